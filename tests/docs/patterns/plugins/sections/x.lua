return {
   api = 1,
   match = [[^工作部署$]],
   build = function(sec, out)
      string.find(sec.heading, "工作")
   end,
}
