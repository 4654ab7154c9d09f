-- mingling: the GB/T 9704-2012 命令（令） format (§10.2), extending wenjian. The red 标志
-- (发文机关 + 令, or 发文机关标志 as written) 20 mm below the 版心 top, no red rule; the
-- 令号 (发文字号) 2 lines below it, centred; the body 2 lines below that; at the end the
-- 签发人's 职务 and name (署名) and the date, 4 字 from the right (§7.3.5.3).
return {
   api = 1,
   base = "wenjian",
   name = "mingling",
   description = "GB/T 9704-2012 命令: red 标志 20 mm down, 令号, body, 签发人 职务 and name",

   format = { mark_top = 20, mark_text = "令", body_gap = 2, sign_gap = 2, sign_right = 4 },

   draw_masthead = function(m, h, layout)
      local f, parts, pitch, pt = layout.format, layout.format.parts, m:pitch(), 25.4 / 72
      local y = parts.stack(m, h, { "份号", "密级", "紧急程度" }, 0, pitch)
      local mark = parts.mark_text(h, f.mark_text)
      if mark then y = parts.mark(m, mark, layout, f.mark_top) + f.mark_gap * pitch end
      if h["发文字号"] then
         m:text { text = h["发文字号"], style = "masthead_line", align = "center", top = y }
         y = y + layout.styles.masthead_line.size * pt
      end
      m:body_from(y + f.body_gap * pitch)
   end,

   -- 2 blank lines below the body: the 签发人's 职务 and name (署名), 4 字 from the right;
   -- 1 blank line, the date 4 字 from the right. With `签名章:` (an image of the
   -- signature) the 职务 2 字 left of it, centred on it (§7.3.5.3, format.parts.signed).
   draw_closing = function(out, c, layout)
      local f = layout.format
      local note = f.parts.note(out, c) -- the 附注, kept with the date
      if c.header["签名章"] and (#c.signatures > 0 or c.date) then
         f.parts.signed(out, c, layout, f.sign_gap, note) -- the 签名章 image beside the 职务
         return
      end
      if #c.signatures > 0 then out:space(f.sign_gap) end
      for _, s in ipairs(c.signatures) do
         out:paragraph(s.text, { style = "signature", src = s, right_indent = f.sign_right })
      end
      if c.date then
         out:space(1)
         out:paragraph(c.date, { style = "signdate", src = c, right_indent = f.sign_right,
                                 keep = note and 1 or nil })
      end
      if note then note() end
   end,
}
