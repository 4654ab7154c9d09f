-- spacing: remove spaces typed between Chinese and numbers.
--
-- Official text has no spaces between Han characters and digits
-- ("2 月 28 日" -> "2月28日"); typographic spacing is the layout's business.
return {
   api = 1,
   name = "spacing",
   rules = {
      {
         id = "space-han-digit",
         pattern = [[(?<=[\p{Han}])[ \t\x{3000}]+(?=[0-9])|(?<=[0-9])[ \t\x{3000}]+(?=[\p{Han}])]],
         replace = "",
         message = "typed space between a Han character and a digit removed",
      },
   },
}
