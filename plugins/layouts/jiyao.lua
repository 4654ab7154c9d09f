-- jiyao: the GB/T 9704-2012 纪要 format (§10.3), extending wenjian. The red 标志 "××纪要"
-- 35 mm below the 版心 top (发文机关 + 纪要, or 发文机关标志 as written), then the 文件's
-- 版头 and body; 1 line below the body the 出席, 请假 and 列席 lines, 2 字 in, the label in
-- 3号黑体 with "：", the names in 3号仿宋, wrapped names under the first after the colon.
return {
   api = 1,
   base = "wenjian",
   name = "jiyao",
   description = "GB/T 9704-2012 纪要: red 标志 ××纪要, 出席/请假/列席 after the body",

   format = { mark_text = "纪要", attendance_indent = 2 },

   styles = { attendance_label = { role = "hei" } },

   draw_end = function(out, h, layout)
      local first, indent = true, layout.format.attendance_indent
      for _, k in ipairs { "出席", "请假", "列席" } do
         if h[k] then
            if first then out:space(1) end
            first = false
            local label = k .. "："
            out:paragraph({ { text = label, style = "attendance_label" }, h[k] },
                          { style = "attachment", indent = indent,
                            hanging = indent + out:width(label, "attachment") })
         end
      end
   end,
}
