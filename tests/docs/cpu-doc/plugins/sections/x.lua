return { api = 1, match = [[^]], build = function(sec, out)
   out:heading("【" .. sec.heading .. "】", { src = sec })
   local n = 0 for _ = 1, 4e7 do n = n + 1 end -- 80 million instructions a call
end }
