-- elements: the styles tests/e2e/test_elements.py sets the official-text elements in
-- (headline, subtitle, salutation, 落款, 附件说明, footnote) on top of gbt9704.
return {
   api = 1,
   base = "gbt9704",
   styles = {
      headline = { role = "xbs", size = 22, align = "center", balance = true },
      headline_plain = { role = "xbs", size = 22, align = "center" },
      subtitle = { role = "kai", size = 16, align = "center" },
      salutation = { role = "fangsong", size = 16, indent = 0, align = "left" },
      signature = { role = "fangsong", size = 16, align = "right", right_indent = 2 },
      attach = { role = "fangsong", size = 16, indent = 2, hanging = 5 },
      footnote = { role = "fangsong", size = 14, indent = 2 },
   },
}
