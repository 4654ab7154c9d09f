return {
   api = 1,
   match = 12,
   build = function(sec, out) end,
}
