-- punctuation: GB/T 15834 marks in Chinese text (format-spec §3.3).
--
-- Half-width marks next to Chinese become full-width; "..." and "。。。"
-- become ……; "--", "－－" and "――" become ——; straight quotes become “ ”
-- and, inside them, ‘ ’; 文号 years in [ ] ［ ］ 【 】 ( ) become 〔 〕. URLs,
-- e-mail addresses, times and standard numbers are never touched (every rule
-- is protected).
local han = [[\p{Han}]]
local cjk_mark = "[，。、；：？！“”‘’（）《》〈〉【】〔〕]"
return {
   api = 1,
   name = "punctuation",
   rules = {
      {
         id = "wenhao-brackets",
         -- the bracket first: a leading \p{Han}{1,10}? made this the slowest rule by 10x
         pattern = [[(?<=\p{Han})[\[［【(（](\d{4})[\]］】)）](?=\d{1,4}号)]],
         needs = "号", -- speed: most paragraphs have none, and then the pattern is not run
         replace = "〔$1〕",
         message = "a document number's year goes in 〔 〕 (GB/T 9704 §7.2.5)",
      },
      {
         id = "ellipsis",
         pattern = [[\.{3,}|。{3,}|…{3,}|(?<!…)…(?!…)]],
         needs = { "...", "。。。", "…" },
         replace = "……",
         message = "an ellipsis is …… (two U+2026)",
      },
      {
         id = "dash",
         -- two or more hyphens: ASCII --, full-width －－ (Word, WPS), or ―― (U+2015,
         -- which some GBK converters make of the dash); a single — between Han
         -- characters is the connecting mark 一字线 (北京—上海), so it stays
         pattern = [[(?<=]] .. han .. [[)[ \t]*[\-－―]{2,}[ \t]*(?=]] .. han .. [[)]],
         replace = "——",
         message = "a dash is —— (two U+2014)",
      },
      {
         id = "double-quotes",
         pattern = [["([^"\n]*?]] .. han .. [[[^"\n]*?)"]],
         replace = "“$1”",
         message = "Chinese text uses “ ” quotes",
      },
      {
         id = "single-quotes",
         pattern = [['([^'\n]*?]] .. han .. [[[^'\n]*?)']],
         replace = "‘$1’",
         message = "quotes inside quotes are ‘ ’",
      },
      {
         id = "comma",
         pattern = [[(?<=]] .. han .. [[)[ \t]*,[ \t]*|[ \t]*,[ \t]*(?=]] .. han .. [[)]],
         replace = "，",
         message = "a half-width comma in Chinese text",
      },
      {
         id = "full-stop",
         -- not after a heading number at the line start (一. is the headings set's to flag)
         pattern = [[(?<!^[一二三四五六七八九十])(?<!^[一二三四五六七八九十]{2})(?<=]] .. han .. [[)\.(?=[ \t]*$|[ \t]*]] .. han .. [[|[ \t]*[“”])]],
         replace = "。",
         message = "a half-width full stop in Chinese text",
      },
      {
         id = "semicolon",
         pattern = [[(?<=]] .. han .. [[)[ \t]*;[ \t]*|[ \t]*;[ \t]*(?=]] .. han .. [[)]],
         replace = "；",
         message = "a half-width semicolon in Chinese text",
      },
      {
         id = "colon",
         pattern = [[(?<=]] .. han .. [[)[ \t]*:[ \t]*|[ \t]*:[ \t]*(?=]] .. han .. [[|[“‘])]],
         replace = "：",
         message = "a half-width colon in Chinese text",
      },
      {
         id = "question-mark",
         pattern = [[(?<=]] .. han .. [[)[ \t]*\?]],
         replace = "？",
         message = "a half-width question mark in Chinese text",
      },
      {
         id = "exclamation-mark",
         pattern = [[(?<=]] .. han .. [[)[ \t]*!]],
         replace = "！",
         message = "a half-width exclamation mark in Chinese text",
      },
      {
         id = "parentheses",
         pattern = [[\(([^()\n]*?]] .. han .. [[[^()\n]*?)\)]],
         replace = "（$1）",
         message = "half-width parentheses around Chinese text",
      },
      {
         id = "space-around-mark",
         pattern = [[[ \t\x{3000}]+(?=]] .. cjk_mark .. [[)|(?<=]] .. cjk_mark .. [[)[ \t\x{3000}]+]],
         needs = { " ", "\t", "\u{3000}" },
         replace = "",
         message = "a typed space next to a full-width mark",
      },
   },
}
