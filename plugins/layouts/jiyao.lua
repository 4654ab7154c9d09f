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

   -- attendance: the label's line, kept with the names set on it (same_line)
   styles = { attendance_label = { role = "hei" },
              attendance = { role = "fangsong", size = 16, indent = 0, align = "left", keep = 1 } },

   -- Each label is a paragraph of its own and the names a paragraph set on its line
   -- (same_line), starting a full 字 after the colon and wrapping there: the colon keeps
   -- its cell, never compressed to make the names' line fit, and the names line up under
   -- the first. Both are kept on one page (out:keep).
   draw_end = function(out, h, layout)
      local first, indent = true, layout.format.attendance_indent
      for _, k in ipairs { "出席", "请假", "列席" } do
         if h[k] then
            if first then out:space(1) end
            first = false
            local at = indent + math.ceil(out:width(k, "attendance") - 1e-6) + 1 -- 字
            out:keep(function()
               out:paragraph({ { text = k .. "：", style = "attendance_label" } },
                             { style = "attendance", indent = indent })
               out:paragraph(h[k], { style = "attachment", indent = at, hanging = at,
                                     same_line = true })
            end)
         end
      end
   end,
}
