-- 数据通报: one statistic per input line, "指标名 数值 单位 [说明]".
--
--   全社会用电量 12.56 亿千瓦时 同比增长6.8%
--
-- is set as a paragraph whose 指标名 is a 黑体 lead-in (style "lead"),
-- followed by a 1-字 gap, the value with its unit, and the optional remark:
--
--   全社会用电量　12.56亿千瓦时，同比增长6.8%。
return {
   api = 1,
   name = "数据通报",
   match = [[^数据通报$]],
   documentation = [[【数据通报】: lines "指标名 数值 单位 [说明]"; the 指标名 is a 黑体 lead-in (style "lead").]],
   -- Only the spacing rules: the paste rule would join these lines, because
   -- none of them ends with closing punctuation.
   rules = { "spacing" },

   build = function(sec, out)
      out:heading("【" .. sec.heading .. "】", { src = sec })
      local blank = [[[ \t\x{3000}]+]]
      local line = "^(\\S+)" .. blank .. [[([-+]?[0-9][0-9,]*(?:\.[0-9]+)?%?)]]
         .. "(?:" .. blank .. [[(\S+))?]] .. "(?:" .. blank .. [[(.+))?$]]
      for _, p in ipairs(sec.paragraphs) do
         local name, value, unit, remark = gw.match(p.text, line)
         if name then
            local text = value .. (unit or "")
            if remark then text = text .. "，" .. remark end
            if not gw.find(text, [[[。！？]$]]) then text = text .. "。" end
            out:paragraph({ { text = name .. "　", style = "lead" }, text }, { src = p })
         else
            gw.warn("not \"指标名 数值 单位\"; set as plain text", p)
            out:paragraph(p.text, { src = p })
         end
      end
   end,
}
