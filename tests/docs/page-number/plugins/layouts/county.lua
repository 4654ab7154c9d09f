return {
   api = 1,
   page = 210,
   base = "gbt9704",
}
