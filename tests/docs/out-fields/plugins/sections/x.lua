return {
   api = 1,
   match = [[^要素$]],
   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      local p = sec.paragraphs[1]
      out:paragraph(p.text, { style = "body" })
   end,
}
