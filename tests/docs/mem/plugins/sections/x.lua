return {
   api = 1,
   match = [[^工作部署$]],
   build = function(sec, out)
      local t = {}
      for i = 1, 1e9 do t[i] = ("x"):rep(1 << 20) .. i end
   end,
}
