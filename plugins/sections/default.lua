-- default: any section no other plugin claims. A 黑体 heading 【…】 and
-- justified 仿宋 paragraphs with a 2-字 first-line indent.
return {
   api = 1,
   name = "prose",
   documentation = [[The default section type: heading, then one paragraph per input line.]],
   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      for _, p in ipairs(sec.paragraphs) do
         if p.kind ~= "paragraph" then
            out:block(p) -- a table or an image, set plainly
         else
         out:paragraph(p.text, { src = p })
         end
      end
   end,
}
