-- county-words: 示范县's own house style, on top of the shipped rule sets
-- (docs/rules.md). Switched on by the rules-demo layout.
--
--   县委县政府, 县委,县政府, 县委/县政府  ->  县委、县政府      fix and build
--   两办                                  ->  县委办、县政府办  build only (adds Han)
--   领导高度重视                           flagged by check, never changed
return {
   api = 1,
   name = "county-words",
   rules = {
      {
         id = "party-and-government",
         -- nothing, a space, a comma or a slash between the two names
         pattern = [[县委[ \t\x{3000},，/]?县政府]],
         replace = "县委、县政府",
         message = "the county's party committee and government are written 县委、县政府",
      },
      {
         id = "two-offices",
         pattern = [[两办(?!公)]],
         replace = "县委办、县政府办",
         adds_han = true, -- new Han characters: gongwen fix leaves it to check, build applies it
         message = "write out 两办: 县委办、县政府办",
      },
      {
         id = "banned-phrase",
         pattern = [[领导高度重视]],
         flag = true,
         message = "the style guide bans 领导高度重视; say what was done instead",
      },
   },
}
