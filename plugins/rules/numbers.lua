-- numbers: dates and numbers as GB/T 15835 and GB/T 9704 §7.3.5.4 write them.
--
-- 2024.2.29 and 2024-02-29 in prose become 2024年2月29日; leading zeros go
-- (2024年02月09日 -> 2024年2月9日); an abbreviated year (24年) is flagged.
local function ymd(m)
   return m[2] .. "年" .. tonumber(m[3]) .. "月" .. tonumber(m[4]) .. "日"
end
return {
   api = 1,
   name = "numbers",
   rules = {
      {
         id = "date-dotted",
         pattern = [[(?<![\d.])((\d{4})\.(\d{1,2})\.(\d{1,2}))(?![\d.])]],
         replace = function(m) return ymd({ m[1], m[2], m[3], m[4] }) end,
         adds_han = true, -- gongwen fix leaves it to check; build applies it
         message = "a date in prose is written 2024年2月29日",
      },
      {
         id = "date-iso",
         pattern = [[(?<![\d\-/])((\d{4})-(\d{1,2})-(\d{1,2}))(?![\d\-])]],
         replace = function(m) return ymd({ m[1], m[2], m[3], m[4] }) end,
         adds_han = true,
         message = "a date in prose is written 2024年2月29日 (ISO dates belong in tables)",
      },
      {
         id = "leading-zero",
         pattern = [[(?<=[年月第〕])0+(?=[1-9]\d{0,3}[月日期号])]],
         needs = "0",
         replace = "",
         message = "no leading zeros in dates and issue numbers",
      },
      {
         id = "abbreviated-year",
         pattern = [[(?<![\d０-９])(\d{2})年(?!代|度|龄|级|间|来|内|前|后)]],
         flag = true,
         suggest = "20$1年",
         message = "write the year in full",
      },
   },
}
