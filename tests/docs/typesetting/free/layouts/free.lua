-- docs/typesetting.md: gbt9704 with free setting, for the seed's figures off the grid
return { api = 1, base = "gbt9704", typeset = { grid = false } }
