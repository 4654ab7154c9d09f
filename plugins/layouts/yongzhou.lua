-- yongzhou: the city layout (永州市). Builds on gbt9704 and supplies the
-- city's masthead title and issuer; the document's own header overrides them.
return {
   api = 1,
   base = "gbt9704",
   name = "yongzhou",
   description = "永州市实施安全守底行动工作专报",
   header = {
      ["标题"] = "永州市实施安全守底行动 工作专报",
      ["编发"] = "市实施安全守底行动工作专班",
   },
   masthead = { rule = { style = "double" } },
}
