return {
   api = 1,
   match = [[^工作部署$]],
   build = function(sec, out)
      out:image { path = "/etc/shadow" }
   end,
}
