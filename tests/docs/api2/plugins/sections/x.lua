return {
   api = 2,
   match = [[^工作部署$]],
   build = function(sec, out) end,
}
