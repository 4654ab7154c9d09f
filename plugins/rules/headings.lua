-- headings: the numbered heading levels of official text (GB/T 9704 §7.3.3).
--
-- 一、 is level 1 (黑体), （一） level 2 (楷体), 1. level 3 and （1） level 4
-- (仿宋); the layout's styles h1-h4 set them. A `heading` rule's group 1 is
-- the heading; a heading that ends in 。 may be followed by body text in the
-- same paragraph (group 2). A heading alone on its line keeps with what
-- follows and is never joined to the next paragraph by the paste rules.
local cn = [[[一二三四五六七八九十]{1,3}]]
local short = [[[^。！？；\n]{1,40}]]
return {
   api = 1,
   name = "headings",
   rules = {
      { id = "heading-1", level = 1, heading = "^(" .. cn .. "、" .. short .. ")\\z" },
      { id = "heading-1-run-in", level = 1, heading = "^(" .. cn .. "、" .. short .. "[。！？])(.+)\\z" },
      { id = "heading-2", level = 2, heading = "^(（" .. cn .. "）" .. short .. ")\\z" },
      { id = "heading-2-run-in", level = 2, heading = "^(（" .. cn .. "）" .. short .. "[。！？])(.+)\\z" },
      { id = "heading-3", level = 3, heading = [[^(\d{1,2}[.．](?!\d)]] .. short .. ")\\z" },
      { id = "heading-3-run-in", level = 3, heading = [[^(\d{1,2}[.．](?!\d)]] .. short .. "[。！？])(.+)\\z" },
      { id = "heading-4", level = 4, heading = [[^(（\d{1,2}）]] .. short .. ")\\z" },
      { id = "heading-4-run-in", level = 4, heading = [[^(（\d{1,2}）]] .. short .. "[。！？])(.+)\\z" },
      {
         id = "heading-mark-1",
         pattern = [[^(\d{1,2})、]],
         flag = true,
         suggest = "$1.",
         message = "a level-3 heading number is followed by a full stop: 1. not 1、",
      },
      {
         id = "heading-mark-2",
         pattern = "^(" .. cn .. ")[.．,，]",
         flag = true,
         suggest = "$1、",
         message = "a level-1 heading number is followed by 、: 一、 not 一.",
      },
      {
         id = "heading-mark-3",
         pattern = "^（(" .. cn .. ")）[、.．,，]",
         flag = true,
         suggest = "（$1）",
         message = "nothing follows （一）",
      },
   },
}
