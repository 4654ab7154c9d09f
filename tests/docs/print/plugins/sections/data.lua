-- docs/plugin-api.md, gw.log and print: a note at the section's heading
return { api = 1, match = [[^数据通报$]], build = function(sec, out)
print("paragraphs:", #sec.paragraphs)
   for _, p in ipairs(sec.paragraphs) do out:block(p) end
end }
