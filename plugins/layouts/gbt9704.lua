-- gbt9704: the base bulletin layout (GB/T 9704-2012 page, 简报 masthead).
--
-- Every other layout extends this one with `base = "gbt9704"` and states only
-- what differs. Lengths are in mm, font sizes in pt (3号 = 16, 4号 = 14,
-- 小初 = 36, 初号 = 42). See docs/layouts.md.

-- The 附件说明 (GB/T 9704 §7.3.4), after a blank line, in style `attachment`: the first
-- item 2 字 in behind "附件：" (added when the item has none: a header's 附件 gives the
-- name alone), later items under the first one's name (their own "附件：" dropped), and
-- wrapped lines under the item's name, after its number ("1."; on the grid a number
-- takes whole cells, as gw_grid pads it). Shared with the layouts extending this one as
-- layout.format.attachments (wenjian.lua's draw_closing).
local function attachments(out, c, layout)
   if #c.attachments == 0 then return end
   out:space(1)
   local label, own = "附件：", "^(附件|attachment)[：:]?"
   local at = 2 + out:width(label, "attachment") -- where item names start, 字
   for i, a in ipairs(c.attachments) do
      local t = a.text
      local has = gw.find(t, own)
      if i == 1 and not has then t = label .. t end
      if i > 1 and has then t = (gw.gsub(t, own, "")) end
      local num = gw.match((gw.gsub(t, "^附件[：:]?", "")), [=[^\d+[.．]]=])
      local nw = num and out:width(num, "attachment") or 0
      if layout.typeset.grid then nw = math.ceil(nw - 1e-6) end
      out:paragraph(t, { style = "attachment", src = a, indent = i == 1 and 2 or at,
                         hanging = at + nw })
   end
end

return {
   api = 1,
   name = "gbt9704",
   description = "GB/T 9704-2012 bulletin: A4, 22 lines x 28 characters of 3号仿宋",

   -- A4; the text block (版心) is 156 x 225 mm, 37 mm from the top, 28 mm from the left.
   page = { width = 210, height = 297, top = 37, left = 28, text_width = 156, text_height = 225 },
   -- 22 lines of 28 characters of 16 pt; at least 2 lines of a paragraph at a page top/bottom.
   grid = { lines = 22, chars = 28, size = 16, widow = 2, orphan = 2 },

   -- Chinese typesetting (docs/typesetting.md):
   --   kinsoku: "basic", "gb" or "strict" (strict also keeps —— and …… off line starts)
   --   punctuation: "quanjiao" (marks 1 em, adjacent and line-end marks compressed),
   --     "banjiao" (every mark 0.5 em) or "kaiming" (banjiao, but 。？！ keep 1 em)
   --   trim_line_start: an opening mark at a line start loses its blank half
   --   cjk_latin_spacing: em between Han and Latin/digits (公文: 0; clreq allows 0.25)
   --   avoid_single_char_last_line: 单字不成行
   --   latin_role: a font role for Latin letters and digits (e.g. "latin"), false = the run's own
   --   grid: every Han character and full-width mark of a body line in one of the 28
   --     columns (文档网格; quanjiao only); false = free justification
   typeset = { kinsoku = "gb", punctuation = "quanjiao", trim_line_start = false,
               cjk_latin_spacing = 0, avoid_single_char_last_line = true, latin_role = false,
               grid = true },

   -- Role lists here override fonts/roles.conf, e.g. fangsong = { "仿宋_GB2312", "AR PL SungtiL GB" }.
   fonts = {},

   styles = {
      body = { role = "fangsong", size = 16, indent = 2, align = "justify" },
      heading = { role = "hei", size = 16, indent = 0, align = "left", keep = 2 },
      note = { role = "kai", size = 16, indent = 2, align = "justify" },
      lead = { role = "hei" },
      county = { role = "hei" },
      strong = { bold = true },
      -- numbered headings found by the `headings` rules: 一、 黑体, （一） 楷体, 1. and （1） 仿宋.
      -- GB/T 9704 asks for no bold; set bold = true on h2/h3 for the common local practice.
      h1 = { role = "hei" },
      h2 = { role = "kai" },
      h3 = { role = "fangsong" },
      h4 = { role = "fangsong" },
      masthead_title = { role = "xbs", size = 36, color = "#E60000" },
      masthead_issue = { role = "fangsong", size = 16 },
      masthead_line = { role = "fangsong", size = 16 },
      colophon = { role = "fangsong", size = 14, indent = 1, align = "left" },
      -- tables: cells in 4号仿宋, the header row in 黑体, the caption above in 黑体
      table_body = { role = "fangsong", size = 14 },
      table_header = { role = "hei" },
      table_caption = { role = "hei", size = 16, align = "center" },
      image_caption = { role = "kai", size = 14, align = "center" },
      colophon_right = { role = "fangsong", size = 14, indent = 0, align = "right" },
      -- an article's head (draw_article_head): the headline in 2号小标宋 centred, the lines
      -- under it (subtitle, author, time) in 3号楷体 centred, the salutation (主送) flush left
      -- a long headline is set in balanced lines (梯形: the longer line below)
      headline = { role = "xbs", size = 22, indent = 0, align = "center", keep = 2, balance = true },
      subtitle = { role = "kai", size = 16, indent = 0, align = "center", keep = 2 },
      salutation = { role = "fangsong", size = 16, indent = 0, align = "left" },
      -- the close (draw_closing): 附件说明, 署名 and 成文日期 right aligned, 附注
      attachment = { role = "fangsong", size = 16, indent = 2, align = "left" },
      -- right indents computed per GB/T 9704 §7.3.5.2 in draw_closing; keep: the 署名
      -- never parts from the date
      signature = { role = "fangsong", size = 16, indent = 0, align = "right", keep = 1 },
      signdate = { role = "fangsong", size = 16, indent = 0, align = "right" },
      remark = { role = "fangsong", size = 16, indent = 2, align = "left" },
      -- "附件1" on an attachment's first page (plugins/sections/attachment.lua), 3号黑体
      attachment_label = { role = "hei", size = 16, indent = 0, align = "left" },
      -- 注：… lines, set at the foot of their page under a short rule (out:footnote)
      footnote = { role = "fangsong", size = 14, indent = 2, align = "justify" },
   },

   masthead = {
      -- from the text block top to the title's top: 20 mm is 简报 practice (format-spec
      -- §2.2); GB/T 9704 §7.2.4 puts a 发文机关标志 35 mm down.
      top = 20,
      title_max = 36, -- largest title size; longer titles shrink to fit 156 mm
      title_gap = 3, -- between the lines of a two-line title
      issue_gap = 5, -- below the title
      line_gap = 3, -- between the issue line and the issuer/date line
      rule_gap = 3, -- below the issuer line, to the red rule
      -- style: "single"; "double" (thick over thin); "star" (a ★ in the middle of the rule)
      rule = { style = "single", thickness = 2.25, thin = 0.75, gap = 0.6, color = "#E60000" },
      body_gap = 3, -- below the rule, before the body's first grid line
   },

   -- "— N —" 7 mm below the text block, 4号宋体; odd pages right, even pages left,
   -- 1 字 in from the edge. position: "outer", "center" or "none".
   page_number = { format = "— %d —", role = "song", size = 14, below = 7, position = "outer",
                   inset = 1, first_page = true },

   -- Tables: "three-line" (三线表: thick rules above and below, a thin one under the
   -- header) or "grid"; padding in mm, leading as a multiple of the cell font size,
   -- rule widths in pt.
   -- landscape = true: a table too wide for the text block goes on landscape pages
   -- of its own, its head toward the page's left edge (GB/T 9704 §8).
   -- widths = { mm, ... }: fixed widths of the leading columns (0 = from content),
   -- for every table whose plugin gives none.
   tables = { style = "three-line", padding = 1.2, leading = 1.4, thick = 1.0, thin = 0.5,
              landscape = false, widths = {} },
   -- Images: scaled to the text block's width and at most this share of its height.
   images = { max_height = 0.5 },

   -- Put the 版记 on an even page (the back of a sheet), inserting a blank page if needed.
   colophon_even_page = false,
   -- Require page 1 to show some of the text proper (GB/T 9704 §7.3.2), else an error.
   first_page_text = false,

   -- Rule sets applied to section text (sections may choose their own) and to header values.
   rules = { "headings", "paste", "punctuation", "spacing", "numbers", "foreign" },
   header_rules = { "spacing" },

   -- The numbers a format's own layout adds (wenjian.lua and the layouts extending it: the
   -- 版头's positions, the seal's size...); open like styles: a layout may add keys to it.
   -- attachments: the 附件说明, for a derived layout's draw_closing too.
   format = { attachments = attachments },

   -- Header defaults; the document's own header overrides them.
   header = {},

   -- Page 1: the red title (one line per space-separated part), the issue line,
   -- issuer left and date right, the red rule; the body starts below it.
   -- A document with none of the masthead's fields gets no masthead and no rule: its body
   -- starts at the text block's top.
   draw_masthead = function(m, h, layout)
      local mh = layout.masthead
      if not (h["标题"] or h["期号"] or h["总期号"] or h["编发"] or h["日期"] or h["主办"]
              or h["签发"]) then
         return
      end
      local pt = 25.4 / 72
      local title_role = layout.styles.masthead_title.role
      local lines = {}
      for _, part in ipairs(gw.split(h["标题"] or "", [[\s+]])) do
         if part ~= "" then lines[#lines + 1] = part end
      end
      local size = mh.title_max
      for _, t in ipairs(lines) do
         size = math.min(size, m:fit(t, title_role, mh.title_max))
      end
      local y = mh.top
      if h["主办"] then -- the organisation above the title
         local s = layout.styles.masthead_line.size
         m:text { text = h["主办"], style = "masthead_line", align = "center", top = y }
         y = y + s * pt + mh.line_gap
      end
      for i, t in ipairs(lines) do
         m:text { text = t, style = "masthead_title", size = size, align = "center", top = y }
         y = y + size * pt + (i < #lines and mh.title_gap or 0)
      end
      y = y + mh.issue_gap
      if h["期号"] then
         local issue = h["期号"]
         if h["总期号"] then issue = issue .. "（总第" .. h["总期号"] .. "期）" end
         local s = layout.styles.masthead_issue.size
         m:text { text = issue, style = "masthead_issue", align = "center", top = y }
         y = y + s * pt + mh.line_gap
      end
      local s = layout.styles.masthead_line.size
      if h["编发"] or h["日期"] or h["签发"] then
         local issuer = h["编发"]
         if h["签发"] then issuer = (issuer or "") .. "　签发：" .. h["签发"] end
         if issuer then m:text { text = issuer, style = "masthead_line", align = "left", top = y } end
         if h["日期"] then m:text { text = h["日期"], style = "masthead_line", align = "right", top = y } end
         y = y + s * pt
      end
      y = y + mh.rule_gap
      local r = mh.rule
      if r.style == "star" then
         local star = 6 -- mm: the ★ and the gap around it
         local half = (layout.page.text_width - star) / 2
         m:rule { top = y, thickness = r.thickness, color = r.color, width = half }
         m:rule { top = y, thickness = r.thickness, color = r.color, left = half + star, width = half }
         local s = 18 -- the ★'s ink is centred about 0.38 em above its baseline
         m:text { text = "★", role = "song", size = s, color = r.color, align = "center",
                  top = y - s * pt * (0.88 - 0.38) - 0.3 }
      else
         m:rule { top = y, thickness = r.thickness, color = r.color }
         if r.style == "double" then
            y = y + (r.thickness + r.thin) / 2 * pt + r.gap
            m:rule { top = y, thickness = r.thin, color = r.color }
         elseif r.style ~= "single" then
            error("masthead.rule.style must be single, double or star, not " .. tostring(r.style))
         end
      end
      m:body_from(y + mh.body_gap)
   end,

   -- An article's head: a = { headline=, headline_lines = { {text=} }, subtitles =
   -- { {text=, kind=} }, salutation=, first= }. A headline written on several lines keeps
   -- them. A headline after other content gets a blank line above it; the first head
   -- (a.first: nothing in the body yet) starts where the masthead left the body.
   draw_article_head = function(out, a)
      if a.headline then
         if not a.first then out:space(1) end
         if #a.headline_lines > 1 then -- broken where its writer broke it
            for _, l in ipairs(a.headline_lines) do
               out:paragraph(l.text, { style = "headline", src = l, balance = false })
            end
         else
            out:paragraph(a.headline, { style = "headline", src = a })
         end
      end
      for _, s in ipairs(a.subtitles) do
         out:paragraph(s.text, { style = "subtitle", src = s })
      end
      if a.headline or #a.subtitles > 0 then out:space(1) end
      if a.salutation then -- 主送：… may be written without its colon
         local s = a.salutation
         if not gw.find(s, "[：:]$") then s = s .. "：" end
         out:paragraph(s, { style = "salutation", src = a.salutation_src })
      end
   end,

   -- An article's close: c = { attachments = { {text=, kind=} }, signatures = { {text=} },
   -- date=, note= }: 附件说明 after a blank line (format.attachments), 署名 and
   -- 成文日期 right aligned under it (GB/T 9704 §7.3.5), 附注 below.
   draw_closing = function(out, c, layout)
      if c.header["印章"] then -- wenjian and the formats extending it draw one
         gw.warn("this layout sets no 印章 (a 简报 carries none); write 版式: 文件 for a "
                 .. "sealed document")
      end
      layout.format.attachments(out, c, layout)
      if #c.signatures > 0 or c.date then out:space(1) end
      -- GB/T 9704 §7.3.5.2 (no seal): the 署名 right-indented 2 字; the date on the next
      -- line, its first character 2 字 right of the 署名's; a date longer than that is
      -- right-indented 2 字 and the 署名 moves left. Joint 署名 lines start together.
      local sw = 0
      for _, s in ipairs(c.signatures) do sw = math.max(sw, out:width(s.text, "signature")) end
      local sr, dr = 2, 2
      if c.date and #c.signatures > 0 then
         local dw = out:width(c.date, "signdate")
         dr = sw - dw
         if dr < 2 then dr, sr = 2, 4 + dw - sw end
      end
      for _, s in ipairs(c.signatures) do
         local r = sr + sw - out:width(s.text, "signature")
         out:paragraph(s.text, { style = "signature", src = s, right_indent = r })
      end
      if c.date then out:paragraph(c.date, { style = "signdate", src = c, right_indent = dr }) end
      if c.note then out:paragraph(c.note, { style = "remark", src = c }) end
   end,

   -- After the body's last block, before the 版记: nothing here; the 纪要 (jiyao.lua) sets
   -- its 出席, 请假 and 列席 lines.
   draw_end = function(out, h) end,

   -- The 报尾/版记 at the bottom of the last page, from the header keys
   -- 主送 报 送 发 抄送 印发 印数: thick rule, lines in 4号 indented 1 字, thin rules
   -- between, "（共印N份）" on the right, and a thick rule on the text block's bottom edge.
   -- 主送 is a field only when the reader found it after the 落款 (GB/T 9704 §7.3.3: a
   -- long 主送 moves to the 版记, above 抄送); 印发 is the line as written.
   draw_colophon = function(out, h)
      local keys = { "主送", "报", "送", "发", "抄送" }
      local any = h["印数"] or h["印发"]
      for _, k in ipairs(keys) do any = any or h[k] end
      if not any then return end
      out:rule { thickness = 0.99, lines = 0 }
      local first = true
      for _, k in ipairs(keys) do
         if h[k] then
            if not first then out:rule { thickness = 0.71, lines = 0 } end
            out:paragraph(k .. "：" .. h[k], { style = "colophon" })
            first = false
         end
      end
      if h["印发"] then
         if not first then out:rule { thickness = 0.71, lines = 0 } end
         out:paragraph(h["印发"], { style = "colophon" })
      end
      if h["印数"] then
         out:paragraph("（共印" .. h["印数"] .. "份）", { style = "colophon_right" })
      end
      out:rule { thickness = 0.99, lines = 0 }
   end,
}
