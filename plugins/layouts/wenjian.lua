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

-- The lines of a value that may repeat (签发, 发文机关, 签名章: one a line), blank ones left out.
function parts.lines(v)
   local out = {}
   for _, t in ipairs(gw.split(v or "", "\n")) do
      if t ~= "" then out[#out + 1] = t end
   end
   return out
end

-- The 标志's text: 发文机关标志, else 发文机关 followed by what the format adds (文件, 令…).
-- A joint document's (§7.2.4: several 发文机关, one a line, the 主办机关 first; or a
-- 发文机关标志 "A B 文件" of two or more names and the word): { names = {…}, word = add }.
function parts.mark_text(h, add)
   local written = h["发文机关标志"]
   if written then
      local ps = {}
      for _, t in ipairs(gw.split(written, [[\s+]])) do
         if t ~= "" then ps[#ps + 1] = t end
      end
      if add ~= "" and #ps > 2 and ps[#ps] == add then
         return { names = { table.unpack(ps, 1, #ps - 1) }, word = add }
      end
      return written
   end
   local names = parts.lines(h["发文机关"])
   if #names > 1 and add ~= "" then return { names = names, word = add } end
   return h["发文机关"] and h["发文机关"] .. add
end

-- A joint 标志 (§7.2.4) with its top at y: the names stacked, the 主办机关 first, each
-- spread over the longest's width (分散对齐), and the word ("文件") to their right,
-- vertically centred on the stack; the whole centred and shrunk to fit the 版心's width.
-- The y of its bottom.
local function joint_mark(m, mark, layout, y)
   local f, role = layout.format, layout.styles.masthead_title.role
   local gap, lead = f.joint.gap, f.joint.line_gap
   local nw = 0
   for _, t in ipairs(mark.names) do nw = math.max(nw, gw.text_width(t, role, 10) / 10) end
   local ww = gw.text_width(mark.word, role, 10) / 10
   -- widths in em: the names' column, the gap and the word
   local size = math.min(f.mark_max, layout.page.text_width / pt / (nw + gap + ww))
   local w = (nw + gap + ww) * size * pt
   local left = (layout.page.text_width - w) / 2
   local top = y
   for i, t in ipairs(mark.names) do
      m:text { text = t, style = "masthead_title", size = size, align = "justify", left = left,
               width = nw * size * pt, top = y }
      y = y + size * pt + (i < #mark.names and lead or 0)
   end
   m:text { text = mark.word, style = "masthead_title", size = size, align = "left",
            left = left + (nw + gap) * size * pt, top = (top + y - size * pt) / 2 }
   return y
end

-- The red 标志 (§7.2.4) with its top at y, one line per space-separated part, shrunk to
-- fit the 版心's width (a joint one: joint_mark); the y of its bottom.
function parts.mark(m, mark, layout, y)
   if type(mark) == "table" then return joint_mark(m, mark, layout, y) end
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

-- The 附注 (§7.3.6) in （）, for the 落款's `after`: set in the 落款's out:keep, so that it
-- does not go to the next page without the date (nil without one).
function parts.note(out, c)
   if not c.note then return nil end
   return function()
      local n = c.note
      if not gw.find(n, "^[（(]") then n = "（" .. n .. "）" end
      out:paragraph(n, { style = "remark", src = c })
   end
end

-- A joint document's 印章s (§7.3.5.1, 联合行文): one per organ, paired with the 署名s in
-- order, the 主办机关's first. The names two to a row (one, when two would not keep within
-- the 版心), each row's seals side by side: the right column centred over the date (4 字
-- from the right), the left one a seal's width and format.joint.seal_gap mm further left,
-- or a name's width and 2 字, whichever is more; an odd last name in the right column, so
-- that the last seal presses the last name and the date. Every seal sits on its name as
-- the single seal does on its 署名 and date (centre format.seal.raise above the line under
-- the name); the rows as many lines apart as keep the seals format.joint.seal_gap mm apart
-- on the grid, and clear of each other on a page set closer (a seal taken as high as wide). A seal without a name is set on an
-- ideographic space; a name without a seal is set in its place.
local function joint_seals(out, c, layout, seals, sw, dw, after)
   local f, chars = layout.format, layout.grid.chars
   local zi = layout.page.text_width / chars
   local pitch = layout.page.text_height / layout.grid.lines
   local seal_z = f.seal.width / zi
   local dr = 4
   local cr = math.max(seal_z / 2, math.max(0, dr + (dw - sw) / 2) + sw / 2) -- 字 from the right
   local d = math.max(seal_z + f.joint.seal_gap / zi, sw + 2)
   local per_row = cr + d + math.max(sw, seal_z) / 2 <= chars and 2 or 1
   local n = math.max(#c.signatures, #seals)
   local rows = math.ceil(n / per_row)
   local apart = math.ceil((f.seal.width + f.joint.seal_gap) / pitch) -- lines between rows
   if apart * pitch * (f.squeeze or 1) <= f.seal.width + 0.5 then apart = apart + 1 end
   local function name(i, column, same)
      local s = c.signatures[i]
      local text = s and s.text or "　"
      local w = out:width(text, "signature")
      local seal = seals[i] and { path = seals[i], width = f.seal.width, field = "印章",
                                  raise = f.seal.raise - pitch }
      local o = { style = "signature", src = s, seal = seal, same_line = same or nil }
      local at = column == 2 and cr + d or cr -- the column's centre, 字 from the right
      if not s and seal then -- no text to centre on: the seal set at its column
         seal.right, seal.beside = (at - seal_z / 2) * zi, 0
      elseif column == 2 then -- the left column: set from the left, so the indent stays small
         o.align, o.indent, o.right_indent = "left", chars - at - w / 2, 0
      else
         o.right_indent = at - w / 2
      end
      out:paragraph(text, o)
   end
   out:keep(function()
      local i = 1
      for r = 1, rows do
         if r > 1 then out:space(apart - 1) end
         local here = math.min(per_row, n - i + 1)
         if r == rows and here < per_row then -- the last name in the right column
            name(i, 1)
         elseif per_row == 2 then
            name(i, 2)
            name(i + 1, 1, true)
         else
            name(i, 1)
         end
         i = i + here
      end
      out:paragraph(c.date, { style = "signdate", src = c, right_indent = dr,
                              keep = after and 1 or nil })
      if after then after() end
   end, { squeeze = f.squeeze })
end

-- The 署名s and the date (§7.3.5.1-§7.3.5.2), on one page, kept with the text (§7.3.5.5),
-- and what `after` sets (the 附注) with them. With 印章: the date 4 字 from the right, the
-- 署名s centred over it, the seal over both; several 印章 (a joint document): joint_seals.
-- Without: the 署名 2 字 from the right; the date's first character 2 字 right of the
-- 署名's, or, if it is longer, the date 2 字 from the right and the 署名 moved left.
function parts.signatures(out, c, layout, after)
   local f = layout.format
   local seals = parts.lines(c.header["印章"])
   local seal = seals[1]
   local sw = 0
   for _, s in ipairs(c.signatures) do sw = math.max(sw, out:width(s.text, "signature")) end
   local dw = c.date and out:width(c.date, "signdate") or 0
   if #seals > 1 and c.date then return joint_seals(out, c, layout, seals, sw, dw, after) end
   local sr, dr
   if seal and c.date then
      dr = 4
      sr = math.max(0, dr + (dw - sw) / 2)
   elseif seal then -- no date: the seal presses the (last) 署名, set 4 字 from the right
      sr, dr = 4, 4
   else
      sr, dr = 2, 2
      if c.date and #c.signatures > 0 then
         dr = sw - dw
         if dr < 2 then dr, sr = 2, 4 + dw - sw end
      end
   end
   local seal_opts = seal and { path = seal, width = f.seal.width, raise = f.seal.raise,
                                field = "印章" } or nil
   out:keep(function()
      for i, s in ipairs(c.signatures) do
         local r = sr + (sw - out:width(s.text, "signature")) / (seal and 2 or 1)
         local last = i == #c.signatures
         out:paragraph(s.text, { style = "signature", src = s, right_indent = r,
                                 keep = last and not c.date and after and 1 or nil,
                                 seal = last and not c.date and seal_opts or nil })
      end
      if c.date then
         out:paragraph(c.date, { style = "signdate", src = c, right_indent = dr,
                                 keep = after and 1 or nil,
                                 seal = seal_opts })
      end
      if after then after() end
   end, { squeeze = f.squeeze })
end

-- The 落款 with 签发人签名章 (§7.3.5.3): 2 blank lines below the body, the 签名章 (an image,
-- `签名章:`, format.sign_seal.height mm high) 4 字 from the right, the 职务 (署名) 2 字 left
-- of it, centred on it; the date 1 blank line below, 4 字 from the right. A joint
-- document's 签名章 repeat, one a line with its 署名 in order, the 主办机关's first, the
-- seals' right edges aligned. The rows stay on one page, kept with the text (§7.3.5.5),
-- with what `after` sets (the 附注).
function parts.signed(out, c, layout, gap, after)
   local f = layout.format
   local sg, right, zi = f.sign_seal, f.sign_right, layout.page.text_width / layout.grid.chars
   local seals = parts.lines(c.header["签名章"])
   -- blank rows the seal needs above and below its 职务's line (centred on its em box), a
   -- part of a row under half above it taken from the blank lines before, and between
   -- two rows of a joint document (seals clear of each other)
   local pitch, size = layout.page.text_height / layout.grid.lines, layout.styles.signature.size * pt
   local reach = (sg.height - size) / 2
   local above = math.max(0, math.ceil((reach - pitch / 2) / pitch))
   local below = math.max(0, math.ceil((reach - (pitch - size) - 0.5) / pitch))
   local between = math.max(above + below, math.ceil(sg.height / pitch) - 1)
   out:space(gap + above)
   out:keep(function()
      for i = 1, math.max(#c.signatures, #seals) do
         if i > 1 then out:space(between) end
         local s = c.signatures[i]
         local seal = seals[i] and { path = seals[i], height = sg.height, right = right * zi,
                                     beside = sg.beside, field = "签名章" }
         -- a 签名章 without its 职务 is set on an ideographic space, so that it has a line
         out:paragraph(s and s.text or "　", { style = "signature", src = s, seal = seal,
                                               right_indent = right })
      end
      if c.date then
         out:space(below + 1)
         out:paragraph(c.date, { style = "signdate", src = c, right_indent = right,
                                 keep = after and 1 or nil })
      end
      if after then after() end
   end, { squeeze = f.squeeze })
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
      -- §7.3.5.3: the 签名章's height (mm; its width from its shape), the 职务 this many 字
      -- left of it; the 签名章 and the date sign_right 字 from the right, sign_gap blank lines
      -- below the body
      sign_seal = { height = 15, beside = 2 },
      sign_right = 4,
      sign_gap = 2,
      -- §7.3.5.5: a 落款 that does not fit under the last text may have that page's lines
      -- set closer, down to this share of the grid's pitch (0.85: 24.6 pt for 28.99 pt),
      -- so that no page holds the 落款 alone; beyond it, it moves to the next page whole
      squeeze = 0.85,
      -- §7.2.4: a joint 标志's word ("文件") this many em right of the names' column; the
      -- names this many mm apart; §7.3.5.1: a joint document's 印章s at least seal_gap mm
      -- apart
      joint = { gap = 0.5, line_gap = 3, seal_gap = 3 },
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
   -- wrapped lines under the first item's name (gbt9704's format.attachments); the 落款 with
   -- 签名章 (§7.3.5.3, parts.signed), else with 印章 or without (§7.3.5.1-2,
   -- parts.signatures); 附注 in （）, kept with the date (parts.note).
   draw_closing = function(out, c, layout)
      local f = layout.format
      f.attachments(out, c, layout)
      local note = f.parts.note(out, c)
      if c.header["签名章"] and (#c.signatures > 0 or c.date) then
         f.parts.signed(out, c, layout, f.sign_gap, note)
      elseif #c.signatures > 0 or c.date then
         out:space(1)
         f.parts.signatures(out, c, layout, note)
      elseif note then
         note()
      end
   end,

   -- The 版记 (§7.4) at the foot of the last (even) page (format.parts.colophon).
   draw_colophon = function(out, h, layout)
      layout.format.parts.colophon(out, h, layout, true)
   end,
}
