-- paste: repair text that was pasted or extracted from a PDF.
--
-- A `drop` rule removes a paragraph it matches entirely (a page number such
-- as "— 3 —" or "- 3 -" left by a PDF copy). A `join` rule is tested against
-- each paragraph of a section; when it matches, the paragraph continues in the
-- next one (the line break came from the extraction, not from the author).
-- Line endings (CR, CRLF) and full-width indentation are normalised by the
-- reader itself.
--
-- A text rule: full-width digits and Latin letters (０-９ Ａ-Ｚ ａ-ｚ), which an
-- input method in full-width mode or a GBK-era document leaves, become the
-- half-width forms GB/T 15835 and GB/T 9704 use; so do ％ after a digit and
-- ． between digits, the marks that belong to the number (docs/rules.md).

-- Each full-width character of the match, as its half-width twin (U+FF01-U+FF5E
-- are U+0021-U+007E moved by 0xFEE0).
local function halfwidth(m)
   local out = {}
   for _, c in utf8.codes(m[0]) do
      out[#out + 1] = utf8.char(c >= 0xFF01 and c <= 0xFF5E and c - 0xFEE0 or c)
   end
   return table.concat(out)
end

return {
   api = 1,
   name = "paste",
   rules = {
      {
         id = "page-number-line",
         drop = [[\A(?:[—–\-]?[ \t]*\d{1,4}[ \t]*[—–\-]?|\d{1,4}[ \t]*/[ \t]*\d{1,4})\z]],
         message = "a page number left over from a PDF copy",
      },
      {
         id = "join-split-paragraph",
         -- ends without sentence-final or closing punctuation; a dash —— ends no
         -- paragraph, it only ends a PDF line ("主题是“…个个会应急——" / "畅通生命通道”")
         -- (\z first: the end is found at once instead of testing every character)
         join = [=[\z(?<=[^。！？；：…”’）》」』】〕.!?;:)\]])]=],
         message = "paragraph ends mid-sentence; joined with the next paragraph",
      },
      {
         id = "fullwidth-alnum",
         -- a run: the letters and digits, ． between digits and ％ after one
         pattern = [[(?:[０-９Ａ-Ｚａ-ｚ]|(?<=[0-9０-９])．(?=[0-9０-９])|(?<=[0-9０-９])％)+]],
         replace = halfwidth,
         message = "full-width digits and letters are written half-width",
      },
   },
}
