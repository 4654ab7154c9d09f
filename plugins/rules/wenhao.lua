-- wenhao: what GB/T 9704 asks of a 发文字号 (§7.2.5: 机关代字〔2024〕5号, the year in 〔〕,
-- no 第, no leading zero) and of a 成文日期 (§7.3.5.4: Arabic numerals). Flagged for a
-- person to correct, never changed: the 文件 layouts apply the set to header values (the
-- 发文字号) and to the text and its 落款. The punctuation set's wenhao-brackets fixes
-- [2024] in prose; here a header's 发文字号 is only checked.
return {
   api = 1,
   name = "wenhao",
   rules = {
      {
         id = "wenhao-year-brackets",
         pattern = [[\p{Han}+[\[［【(（]\d{4}[\]］】)）]\d+号]],
         flag = true,
         message = "a 发文字号 puts the year in 〔〕: 机关代字〔2024〕5号 (GB/T 9704 §7.2.5)",
      },
      {
         id = "wenhao-di",
         pattern = [[〔\d{4}〕第\d+号]],
         flag = true,
         message = "a 发文字号 has no 第: 〔2024〕5号 (GB/T 9704 §7.2.5)",
      },
      {
         id = "wenhao-leading-zero",
         pattern = [[〔\d{4}〕(?:第)?0\d*号]],
         flag = true,
         message = "a 发文字号 has no leading zero: 〔2024〕5号, not 05号 (GB/T 9704 §7.2.5)",
      },
      {
         id = "date-chinese-numerals",
         pattern = [[[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日]],
         flag = true,
         message = "a 成文日期 is written in Arabic numerals: 2024年3月1日 (GB/T 9704 §7.3.5.4)",
      },
   },
}
