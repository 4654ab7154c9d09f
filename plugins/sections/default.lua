-- default: any section no other plugin claims. A 黑体 heading 【…】 and
-- justified 仿宋 paragraphs with a 2-字 first-line indent. Body text outside
-- any 【】 (an implicit section, sec.implicit) gets no heading.
return {
   api = 1,
   name = "prose",
   documentation = [[The default section type: heading, then one paragraph per input line.]],
   build = function(sec, out)
      if not sec.implicit then
         out:heading("【" .. sec.heading .. "】", { src = sec })
      end
      for _, p in ipairs(sec.paragraphs) do
         if p.kind == "table" or p.kind == "image" then
            out:block(p) -- a table or an image, set plainly
         elseif p.kind == "footnote" then
            out:footnote(p.text, { src = p }) -- at the foot of the page, under a short rule
         else
            -- a paragraph, a numbered heading (the headings rules style it h1-h4) or a list item
            out:paragraph(p.text, { src = p })
         end
      end
   end,
}
