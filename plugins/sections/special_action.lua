-- 专项行动: one paragraph per line of work. A paragraph that starts with a
-- short subject and a space ("安全生产 2月29日上午…") gets that subject as a
-- 黑体 lead-in, followed by a 1-字 gap.
-- The lead-in: 2-8 Han characters and a space at the paragraph's start. Declared
-- as `lead_in` too, so the text rules (and gongwen fix) keep that space.
local LEAD = [[^(\p{Han}{2,8})[ \t\x{3000}]+(\S.*)$]]

return {
   api = 1,
   name = "专项行动",
   lead_in = LEAD,
   match = [[^专项行动$]],
   documentation = [[【专项行动】: paragraphs "主题 正文"; the 主题 (2-8 Han characters) is set in 黑体.]],
   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      for _, p in ipairs(sec.paragraphs) do
         local lead, rest
         if p.kind ~= "table" and p.kind ~= "image" then
            lead, rest = gw.match(p.text, LEAD)
         end
         if p.kind == "table" or p.kind == "image" then
            out:block(p) -- a table or an image, set plainly
         elseif lead then
            out:paragraph({ { text = lead .. "　", style = "lead" }, rest }, { src = p })
         else
            out:paragraph(p.text, { src = p })
         end
      end
   end,
}
