-- 编者按: the editor's note, set in 楷体.
return {
   api = 1,
   name = "编者按",
   match = [[^编者按$]],
   documentation = [[【编者按】: the editor's note; paragraphs in 楷体 (style "note").]],
   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      for _, p in ipairs(sec.paragraphs) do
         if p.kind == "table" or p.kind == "image" then
            out:block(p) -- a table or an image, set plainly
         else
         out:paragraph(p.text, { src = p, style = "note" })
         end
      end
   end,
}
