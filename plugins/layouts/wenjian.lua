-- wenjian: the GB/T 9704-2012 文件 format (§7), and the base of the other 文件-family
-- formats (xinhan 信函, mingling 命令, jiyao 纪要: docs/formats.md).
--
-- It extends gbt9704 because a 文件 and a 简报 share the standard's page, grid, fonts,
-- styles and text rules; only the 版头 (draw_masthead), the 落款 (draw_closing), the
-- 版记 (draw_colophon) and the numbers in `format` differ; the title and 主送 are the
-- 简报's (draw_article_head). A county extends it (or a format extending it) as it
-- extends yongzhou. Lengths in mm, sizes in pt.
local pt = 25.4 / 72 -- mm

-- The pieces of a 文件-family 版头, for draw_masthead here and in the layouts extending
-- this one (layout.format.parts). Positions in mm from the 版心's top-left corner.
local parts = {}

-- The header fields keys (份号, 密级, 紧急程度) flush left, one a line from y (§7.2.1-§7.2.3);
-- the y below them.
function parts.stack(m, h, keys, y, pitch, align)
   for _, k in ipairs(keys) do
      if h[k] then
         m:text { text = h[k], style = k == "份号" and "masthead_line" or "masthead_hei",
                  align = align or "left", top = y }
         y = y + pitch
      end
   end
   return y
end

-- The 标志's text: 发文机关标志, else 发文机关 followed by what the format adds (文件, 令…).
function parts.mark_text(h, add)
   return h["发文机关标志"] or (h["发文机关"] and h["发文机关"] .. add)
end

-- The red 标志 (§7.2.4) with its top at y, one line per space-separated part, shrunk to
-- fit the 版心's width; the y of its bottom.
function parts.mark(m, mark, layout, y)
   local f, role, lines = layout.format, layout.styles.masthead_title.role, {}
   for _, part in ipairs(gw.split(mark, [[\s+]])) do
      if part ~= "" then lines[#lines + 1] = part end
   end
   local size = f.mark_max
   for _, t in ipairs(lines) do size = math.min(size, m:fit(t, role, f.mark_max)) end
   for i, t in ipairs(lines) do
      m:text { text = t, style = "masthead_title", size = size, align = "center", top = y }
      y = y + size * pt + (i < #lines and layout.masthead.title_gap or 0)
   end
   return y
end

-- The 发文字号 (§7.2.5) at y, centred; with 签发人 (§7.2.6, an upward document) 1 字 in
-- from the left, "签发人：" 3号仿宋 and the names 3号楷体 1 字 from the right, stacked, the
-- 字号 on the last name's line. The y of the 字号's bottom.
function parts.number(m, h, layout, y, pitch)
   local s = layout.styles.masthead_line.size * pt
   local signers = {}
   for _, name in ipairs(gw.split(h["签发"] or "", "\n")) do
      if name ~= "" then signers[#signers + 1] = name end
   end
   if #signers == 0 then
      if h["发文字号"] then
         m:text { text = h["发文字号"], style = "masthead_line", align = "center", top = y }
      end
      return y + s
   end
   local label, nw = "签发人：", 0
   for _, n in ipairs(signers) do nw = math.max(nw, gw.text_width(n, "kai", 16) * pt) end
   local right = layout.page.text_width - s
   m:text { text = label, style = "masthead_line", align = "left", top = y,
            left = right - nw - gw.text_width(label, "fangsong", 16) * pt }
   for i, n in ipairs(signers) do
      m:text { text = n, style = "masthead_kai", align = "left", left = right - nw,
               top = y + (i - 1) * pitch }
   end
   y = y + (#signers - 1) * pitch
   if h["发文字号"] then
      m:text { text = h["发文字号"], style = "masthead_line", align = "left", left = s, top = y }
   end
   return y + s
end

-- The 版记 (§7.4): a 0.35 mm rule, 主送 (moved here) and 抄送 1 字 in on both sides, wrapped
-- names under the first after the colon, a 0.25 mm rule, 印发机关 left and "…印发" right on
-- one line (with_print; the 信函 has none), a 0.35 mm rule on the 版心 bottom. Each line is
-- centred between its rules, clear of them.
function parts.colophon(out, h, layout, with_print)
   local inset = layout.format.colophon_inset
   local date = with_print and h["印发日期"] and (h["印发日期"] .. "印发")
   local office = with_print and (h["印发机关"] or h["印发"])
   local rows = {}
   for _, k in ipairs { "主送", "报", "送", "发", "抄送" } do
      if h[k] then
         local v = h[k]
         if not gw.find(v, "[。.]$") then v = v .. "。" end
         rows[#rows + 1] = k .. "：" .. v
      end
   end
   if #rows == 0 and not office and not date then return end
   out:rule { thickness = 0.99, lines = 0 }
   for i, t in ipairs(rows) do
      if i > 1 then out:rule { thickness = 0.71, lines = 0 } end
      local key = gw.match(t, "^[^：]+：")
      out:paragraph(t, { style = "colophon", indent = inset, right_indent = inset,
                         hanging = inset + out:width(key, "colophon"), middle = true })
   end
   if office or date then
      if #rows > 0 then out:rule { thickness = 0.71, lines = 0 } end
      if office then out:paragraph(office, { style = "colophon", indent = inset, middle = true }) end
      if date then
         out:paragraph(date, { style = "colophon_right", right_indent = inset, middle = true,
                               same_line = office ~= nil })
      end
   end
   out:rule { thickness = 0.99, lines = 0 }
end

return {
   api = 1,
   base = "gbt9704",
   name = "wenjian",
   description = "GB/T 9704-2012 文件: 版头 with 发文机关标志 and 发文字号, 主体, 印章, 版记",

   format = {
      mark_top = 35,   -- §7.2.4: the 标志's top edge below the 版心 top
      mark_max = 42,   -- the 标志's largest size (初号); a long name shrinks to fit 156 mm
      mark_text = "文件", -- added to 发文机关 when no 发文机关标志 is given
      mark_gap = 2,    -- §7.2.5: blank lines between the 标志 and the 发文字号
      rule_gap = 4,    -- §7.2.7: the red rule this far below the 发文字号
      title_gap = 2,   -- §7.3.1: blank lines between the red rule and the title
      seal = { width = 42, raise = 6 }, -- §7.3.5.1: the 印章's width; its centre above the date's
      colophon_inset = 1, -- §7.4.2: 版记 lines indented 1 字 left and right
      parts = parts,
   },

   masthead = { rule = { thickness = 1.5 } },

   styles = {
      masthead_hei = { role = "hei", size = 16 }, -- 密级, 紧急程度 (§7.2.2, §7.2.3)
      masthead_kai = { role = "kai", size = 16 }, -- the 签发人's name (§7.2.6)
   },

   -- gbt9704's rule sets and wenhao (a 发文字号's brackets, 第 and zeros; a 成文日期 in
   -- Chinese numerals), which also checks the header's values.
   rules = { "headings", "paste", "punctuation", "spacing", "numbers", "foreign", "wenhao" },
   header_rules = { "spacing", "wenhao" },

   -- §7.4.1: the 版记 goes at the foot of an even page (double-sided printing).
   colophon_even_page = true,
   -- §7.3.2: 公文首页必须显示正文: page 1 must show some of the text.
   first_page_text = true,

   -- 版头 (§7.2): 份号, 密级, 紧急程度 flush left from the top; the red 标志 35 mm down;
   -- the 发文字号 2 lines below it (with 签发人 on its line for an upward document); the
   -- red rule 4 mm below. The body's title starts 2 lines below the rule. The pieces are
   -- format.parts, for the layouts that extend this one.
   draw_masthead = function(m, h, layout)
      local f, parts, pitch = layout.format, layout.format.parts, m:pitch()
      local y = parts.stack(m, h, { "份号", "密级", "紧急程度" }, 0, pitch)
      local mark = parts.mark_text(h, f.mark_text)
      if not (mark or h["发文字号"]) then -- no 版头: a blank line under 份号/密级/紧急程度
         m:body_from(y > 0 and y + pitch or 0)
         return
      end
      y = f.mark_top
      if mark then y = parts.mark(m, mark, layout, y) + f.mark_gap * pitch end
      y = parts.number(m, h, layout, y, pitch) + f.rule_gap
      local r = layout.masthead.rule
      m:rule { top = y, thickness = r.thickness, color = r.color }
      -- the title (gbt9704's draw_article_head: 2号小标宋, balanced lines, 主送 a line
      -- below) title_gap lines below the rule (a first head gets no blank line of its own)
      m:body_from(y + f.title_gap * pitch)
   end,

   -- The close (§7.3.4-§7.3.6): 附件说明 1 line below the body, 2 字 in, later items and
   -- wrapped lines under the first item's name (gbt9704's format.attachments); the 落款 with 印章 (date 4 字 from the
   -- right, 署名 centred over it, the seal over both) or without (§7.3.5.2); 附注 in （）.
   draw_closing = function(out, c, layout)
      local f = layout.format
      f.attachments(out, c, layout)
      local seal = c.header["印章"]
      if #c.signatures > 0 or c.date then out:space(1) end
      local sw = 0
      for _, s in ipairs(c.signatures) do sw = math.max(sw, out:width(s.text, "signature")) end
      local dw = c.date and out:width(c.date, "signdate") or 0
      local sr, dr
      if seal and c.date then
         dr = 4
         sr = math.max(0, dr + (dw - sw) / 2)
      else
         sr, dr = 2, 2
         if c.date and #c.signatures > 0 then
            dr = sw - dw
            if dr < 2 then dr, sr = 2, 4 + dw - sw end
         end
      end
      out:keep(function() -- the 署名s and the date on one page
         for _, s in ipairs(c.signatures) do
            local r = sr + (sw - out:width(s.text, "signature")) / (seal and 2 or 1)
            out:paragraph(s.text, { style = "signature", src = s, right_indent = r })
         end
         if c.date then
            out:paragraph(c.date, { style = "signdate", src = c, right_indent = dr,
                                    seal = seal and { path = seal, width = f.seal.width,
                                                      raise = f.seal.raise } or nil })
         end
      end)
      if c.note then
         local n = c.note
         if not gw.find(n, "^[（(]") then n = "（" .. n .. "）" end
         out:paragraph(n, { style = "remark", src = c })
      end
   end,

   -- The 版记 (§7.4) at the foot of the last (even) page (format.parts.colophon).
   draw_colophon = function(out, h, layout)
      layout.format.parts.colophon(out, h, layout, true)
   end,
}
