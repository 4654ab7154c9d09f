-- xinhan: the GB/T 9704-2012 信函 format (§10.1), extending wenjian. The red 标志 30 mm
-- from the page top; a red double rule (thick over thin, 170 mm) 4 mm below it and a
-- thin-over-thick one 20 mm above the page bottom; 份号, 密级 and 紧急程度 flush left and
-- the 发文字号 flush right under the first rule; no page number on page 1; a 版记 without
-- the 印发 line. The title, body, 落款 and 附件 are the 文件's.
return {
   api = 1,
   base = "wenjian",
   name = "xinhan",
   description = "GB/T 9704-2012 信函: red 标志 30 mm from the page top between red double rules",

   format = {
      mark_text = "",  -- the 标志 of a 信函 is the organ's name alone
      mark_page_top = 30, -- the 标志's top, mm from the page's top edge
      -- the double rules: length, thick and thin widths (pt) and the gap between them (mm);
      -- the first `gap` mm below the 标志, the second `bottom` mm above the page's bottom edge
      letter_rule = { width = 170, thick = 2.25, thin = 0.75, space = 0.35, gap = 4, bottom = 20 },
      -- below the first rule: 7/8 of a 3号 character's height (§10.1)
      under_rule = 16 * 7 / 8 * 25.4 / 72,
   },

   page_number = { first_page = false },
   colophon_even_page = false,

   draw_masthead = function(m, h, layout)
      local f, parts, pitch, pt = layout.format, layout.format.parts, m:pitch(), 25.4 / 72
      local lr, color = f.letter_rule, layout.masthead.rule.color
      local left = (layout.page.width - lr.width) / 2 - layout.page.left -- centred on the page
      local y = f.mark_page_top - layout.page.top
      local mark = parts.mark_text(h, f.mark_text)
      if mark then y = parts.mark(m, mark, layout, y) end
      -- a double rule: `first` of the two widths on top, its centre at y
      local function double(top, first, second)
         m:rule { top = top, thickness = first, color = color, left = left, width = lr.width }
         local below = top + (first + second) / 2 * pt + lr.space
         m:rule { top = below, thickness = second, color = color, left = left, width = lr.width }
         return below + second / 2 * pt
      end
      y = double(y + lr.gap, lr.thick, lr.thin) + f.under_rule
      local bottom = layout.page.height - lr.bottom - layout.page.top
      double(bottom - (lr.thick + lr.thin) / 2 * pt - lr.space, lr.thin, lr.thick)
      local below = parts.stack(m, h, { "份号", "密级", "紧急程度" }, y, pitch)
      if h["发文字号"] then
         m:text { text = h["发文字号"], style = "masthead_line", align = "right", top = y }
         below = math.max(below, y + pitch)
      end
      -- the title 2 blank lines below the last of them
      m:body_from(below + f.title_gap * pitch)
   end,

   draw_colophon = function(out, h, layout)
      layout.format.parts.colophon(out, h, layout, false)
   end,
}
