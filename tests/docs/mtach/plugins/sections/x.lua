return {
   api = 1,
   mtach = [[^工作部署$]],
   build = function(sec, out) end,
}
