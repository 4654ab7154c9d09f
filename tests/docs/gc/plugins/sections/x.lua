return {
   api = 1,
   match = [[^工作部署$]],
   build = function(sec, out)
      setmetatable({}, { __gc = function() end })
   end,
}
