-- yongzhou/lengshuitan: 冷水滩区. The city layout with the district's title and
-- issuer, a ★ in the red rule, and centred page numbers.
return {
   api = 1,
   base = "yongzhou",
   name = "yongzhou/lengshuitan",
   description = "冷水滩区实施安全守底行动工作专报",
   header = {
      ["标题"] = "冷水滩区实施安全守底行动 工作专报",
      ["编发"] = "冷水滩区安全守底行动工作专班",
   },
   masthead = { rule = { style = "star" } },
   page_number = { position = "center" },
}
