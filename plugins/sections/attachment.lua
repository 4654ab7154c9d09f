-- attachment: 【附件】, 【附件1】, 【附件2】 … an attachment's body (GB/T 9704 §7.3.7). It
-- starts a new page with "附件1" in 3号黑体 flush left on line 1; the text after 】 on
-- the heading's line is its title, centred on line 3 in 2号小标宋; the body follows as
-- ordinary text.
return {
   api = 1,
   name = "附件",
   match = [[^附件\d*$]],
   documentation = [[【附件1】title: an attachment on a new page; "附件1" (style attachment_label), the title (style headline) two lines below, then the body.]],
   build = function(sec, out)
      out:page_break()
      out:paragraph(sec.heading, { src = sec, style = "attachment_label" })
      out:space(1)
      for i, p in ipairs(sec.paragraphs) do
         if i == 1 and p.kind == "paragraph" and p.line == sec.line then
            out:paragraph(p.text, { src = p, style = "headline" }) -- 【附件1】its title
         elseif p.kind == "table" or p.kind == "image" then
            out:block(p)
         elseif p.kind == "footnote" then
            out:footnote(p.text, { src = p })
         else
            out:paragraph(p.text, { src = p })
         end
      end
   end,
}
