-- headings: the numbered heading levels of official text (GB/T 9704 §7.3.3).
--
-- 一、 is level 1 (黑体), （一） level 2 (楷体), 1. level 3 and （1） level 4
-- (仿宋); the layout's styles h1-h4 set them. A `heading` rule's group 1 is
-- the heading; a heading that ends in 。 may be followed by body text in the
-- same paragraph (group 2). A heading alone on its line keeps with what
-- follows and is never joined to the next paragraph by the paste rules.
--
-- Text pasted from Word, WPS or a PDF types the marks by other habits:
-- 一. 一． 一, 一，  (1) (一)  1、 1．  (1）. The heading rules accept them, so
-- such a line is set as the heading it is, and the heading-mark fixes below
-- then write the mark as GB/T 9704 does (only at a paragraph's start; never
-- where a digit or a Han numeral follows the mark, as in 1、2月 or 一，二季度).
local cn = [[[一二三四五六七八九十]{1,3}]]
local short = [[[^。！？；\n]{1,40}]]
local h1 = cn .. [[(?:、|[.．,，](?![一二三四五六七八九十\d]))]] -- 一、 (一. 一． 一, 一，)
local h2 = "[(（]" .. cn .. "[)）]" -- （一） ((一) (一） （一))
local h3 = [[\d{1,2}[.．、](?!\d)]] -- 1. (1． 1、)
local h4 = "[(（]\\d{1,2}[)）]" -- （1） ((1) (1） （1))
return {
   api = 1,
   name = "headings",
   rules = {
      { id = "heading-1", level = 1, heading = "^(" .. h1 .. short .. ")\\z" },
      { id = "heading-1-run-in", level = 1, heading = "^(" .. h1 .. short .. "[。！？])(.+)\\z" },
      { id = "heading-2", level = 2, heading = "^(" .. h2 .. short .. ")\\z" },
      { id = "heading-2-run-in", level = 2, heading = "^(" .. h2 .. short .. "[。！？])(.+)\\z" },
      { id = "heading-3", level = 3, heading = "^(" .. h3 .. short .. ")\\z" },
      { id = "heading-3-run-in", level = 3, heading = "^(" .. h3 .. short .. "[。！？])(.+)\\z" },
      { id = "heading-4", level = 4, heading = "^(" .. h4 .. short .. ")\\z" },
      { id = "heading-4-run-in", level = 4, heading = "^(" .. h4 .. short .. "[。！？])(.+)\\z" },
      {
         id = "heading-parens",
         -- (1) (一) and the mixed (1） （1): at least one half-width bracket
         pattern = [[^(?:\((\d{1,2}|]] .. cn .. [[)[)）]|（(\d{1,2}|]] .. cn .. [[)\))]],
         replace = function(m) return "（" .. (m[1] or m[2]) .. "）" end,
         message = "a heading number's brackets are full-width: （1） and （一）",
      },
      {
         id = "heading-mark-1",
         pattern = [[^(\d{1,2})[、．](?!\d)]],
         replace = "$1.",
         message = "a level-3 heading number is followed by a full stop: 1. not 1、",
      },
      {
         id = "heading-mark-2",
         pattern = "^(" .. cn .. ")[.．,，](?![一二三四五六七八九十\\d])",
         replace = "$1、",
         message = "a level-1 heading number is followed by 、: 一、 not 一.",
      },
      {
         id = "heading-mark-3",
         pattern = "^（(" .. cn .. "|\\d{1,2})）[、.．,，]",
         replace = "（$1）",
         message = "nothing follows （一） or （1）",
      },
   },
}
