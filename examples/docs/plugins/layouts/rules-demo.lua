-- rules-demo: the gbt9704 bulletin with the county's own rule set added.
-- Lists replace in a derived layout, so the shipped sets are named again;
-- county-words runs last, after punctuation has made "," into "，".
return {
   api = 1,
   base = "gbt9704",
   name = "rules-demo",
   description = "gbt9704 plus the county-words rule set",

   rules = { "headings", "paste", "punctuation", "spacing", "numbers", "foreign", "county-words" },
}
