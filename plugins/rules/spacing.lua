-- spacing: remove spaces typed between Chinese and numbers or Latin words.
--
-- Official text has no spaces between Han characters and digits or Latin
-- letters ("2 月 28 日" -> "2月28日"); typographic spacing is the layout's
-- business (typeset.cjk_latin_spacing). Spaces inside Latin phrases stay, and
-- so does the space after a section lead-in ("冷水滩区 区政府…"). A full-width
-- space that pads a name stays too: one U+3000 between two Han characters, one of
-- which stands alone (李　明, 县长　张　伟), as offices write two-character names
-- in 出席, 署名, 签发人 and tables.
return {
   api = 1,
   name = "spacing",
   rules = {
      {
         id = "fullwidth-space",
         -- not a name's pad: one U+3000 between Han characters, the one before it
         -- or the one after it alone (no Han character on its other side)
         pattern = [[(?<=\S)(?!(?<=\p{Han})(?:(?<!\p{Han}{2})|(?=\x{3000}\p{Han}(?!\p{Han})))\x{3000}\p{Han})\x{3000}+(?=\S)]],
         needs = "\u{3000}", -- speed: paragraphs without one skip the pattern
         replace = " ",
         message = "a full-width space inside a line",
      },
      {
         id = "space-han-digit",
         pattern = [[(?<=[\p{Han}])[ \t\x{3000}]+(?=[0-9])|(?<=[0-9%])[ \t\x{3000}]+(?=[\p{Han}])]],
         needs = { " ", "\t", "\u{3000}" },
         replace = "",
         message = "a typed space between a Han character and a digit",
      },
      {
         id = "space-han-latin",
         pattern = [[(?<=[\p{Han}])[ \t]+(?=[A-Za-z])|(?<=[A-Za-z])[ \t]+(?=[\p{Han}])]],
         needs = { " ", "\t" },
         replace = "",
         message = "a typed space between a Han character and a Latin letter",
      },
   },
}
