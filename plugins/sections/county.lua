-- 县市区动态: news from the counties. Each paragraph starts with the name of
-- a county, city, district or zone ("冷水滩区 区政府正在…"), set as a 黑体
-- lead-in (style "county") followed by a 1-字 gap; townships (镇, 乡, 街道) too.
-- The lead-in: a place name and a space at the paragraph's start (kept by the
-- text rules and gongwen fix because it is declared as `lead_in`).
local NAME = [[^(\p{Han}{1,10}?(?:区|县|市|旗|镇|乡|街道|管理区|开发区|新区))[ \t\x{3000}]+(\S.*)$]]

return {
   api = 1,
   name = "县市区动态",
   lead_in = NAME,
   match = [[^(县市区|县区|区县)动态$]],
   documentation = [[【县市区动态】: paragraphs "县市区名 正文"; the name is the lead-in (style "county").]],
   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      for _, p in ipairs(sec.paragraphs) do
         local county, rest
         if p.kind ~= "table" and p.kind ~= "image" then
            county, rest = gw.match(p.text, NAME)
         end
         if p.kind == "table" or p.kind == "image" then
            out:block(p) -- a table or an image, set plainly
         elseif county then
            out:paragraph({ { text = county .. "　", style = "county" }, rest }, { src = p })
         else
            out:paragraph(p.text, { src = p })
         end
      end
   end,
}
