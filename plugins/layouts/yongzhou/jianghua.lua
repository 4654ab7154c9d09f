-- yongzhou/jianghua: 江华瑶族自治县. The county's long name shrinks the masthead
-- title to fit 156 mm; the masthead sits 35 mm down as GB/T 9704 §7.2.4 places a
-- 发文机关标志, the 编者按 and county news lead-ins keep the city styles, and the
-- title is a deeper red.
return {
   api = 1,
   base = "yongzhou",
   name = "yongzhou/jianghua",
   description = "江华瑶族自治县实施安全守底行动工作专报",
   header = {
      ["标题"] = "江华瑶族自治县实施安全守底行动工作专报",
      ["编发"] = "江华瑶族自治县安全守底行动工作专班",
   },
   masthead = { top = 35, title_max = 42 },
   styles = { masthead_title = { color = "#C8102E" } },
}
