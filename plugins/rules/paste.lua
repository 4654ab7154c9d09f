-- paste: repair text that was pasted or extracted from a PDF.
--
-- A `join` rule is tested against each paragraph of a section; when it
-- matches, the paragraph continues in the next one (the line break came from
-- the extraction, not from the author).
return {
   api = 1,
   name = "paste",
   rules = {
      {
         id = "join-split-paragraph",
         -- ends without sentence-final or closing punctuation
         join = [=[[^。！？；：…—”’）》」』】〕.!?;:)\]]\z]=],
         message = "paragraph ends mid-sentence; joined with the next paragraph",
      },
   },
}
