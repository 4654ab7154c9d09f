local kept
return {
   api = 1,
   match = [[^工作]],
   build = function(sec, out)
      if kept then kept:space(1) end
      kept = out
   end,
}
