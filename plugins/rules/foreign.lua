-- foreign: a stray Latin word inside Chinese prose ("精神 and 省委") is
-- flagged for a person to decide, never changed. Abbreviations in capitals
-- (CPI, GDP) and Latin names in brackets are left alone.
return {
   api = 1,
   name = "foreign",
   rules = {
      {
         id = "foreign-word",
         -- (no \b: with Unicode properties a Han character is a word character too)
         pattern = [[(?<=[\p{Han}，。、；：])[ \t]*([A-Za-z]*[a-z][A-Za-z]*)(?![A-Za-z])[ \t]*(?=[\p{Han}，。、；：])]],
         flag = true,
         message = "a Latin word in Chinese prose; is it a slip for a Chinese word (e.g. 和)?",
      },
   },
}
