-- paste: repair text that was pasted or extracted from a PDF.
--
-- A `drop` rule removes a paragraph it matches entirely (a page number such
-- as "— 3 —" or "- 3 -" left by a PDF copy). A `join` rule is tested against
-- each paragraph of a section; when it matches, the paragraph continues in the
-- next one (the line break came from the extraction, not from the author).
-- Line endings (CR, CRLF) and full-width indentation are normalised by the
-- reader itself.
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
         -- ends without sentence-final or closing punctuation
         -- (\z first: the end is found at once instead of testing every character)
         join = [=[\z(?<=[^。！？；：…—”’）》」』】〕.!?;:)\]])]=],
         message = "paragraph ends mid-sentence; joined with the next paragraph",
      },
   },
}
