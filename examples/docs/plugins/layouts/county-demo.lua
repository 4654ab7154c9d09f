-- county-demo: the gbt9704 bulletin with a darker red title and centred
-- page numbers. Everything else comes from the base layout.
return {
   api = 1,
   base = "gbt9704",
   name = "county-demo",
   description = "gbt9704 with a #C00000 title and centred page numbers",

   styles = {
      masthead_title = { color = "#C00000" }, -- only the colour; role and size stay
   },
   page_number = { position = "center" },   -- format, font, size stay
}
