-- yongzhou/daoxian: 道县. The city layout with the county's title and issuer, a
-- single rule, and no number on page 1.
return {
   api = 1,
   base = "yongzhou",
   name = "yongzhou/daoxian",
   description = "道县实施安全守底行动工作专报",
   header = {
      ["标题"] = "道县实施安全守底行动工作专报",
      ["编发"] = "道县安全守底行动工作专班",
   },
   masthead = { rule = { style = "single" } },
   page_number = { first_page = false },
}
