-- 要素: one element per paragraph, "TAG:text", for tests/e2e/test_elements.py.
--   H: headline (balanced)   HP: headline, not balanced   S: subtitle   TO: salutation
--   NOTE: a footnote         ATT: an item of 附件说明 (the first starts with 附件：)
--   SIG: then DATE: the 落款 (GB/T 9704 §7.3.5.2)        PB: a page break
--   RI:n:align:text  a paragraph with right_indent n     HG:n:text  hanging n
--   BAD:field:value  a paragraph with a bad option        W:text  print out:width
--   RND:right:hanging:indent:balance:align:text  a paragraph with all of them given
--   BADROOM: indents that leave no room   BADNOTE: a bad footnote option   BIG: 36 pt text
--   anything else: a body paragraph
return {
   api = 1,
   name = "要素",
   match = [[^要素$]],
   rules = {},
   build = function(sec, out)
      local sig, att_hang
      for _, p in ipairs(sec.paragraphs) do
         local tag, rest = gw.match(p.text, [[^([A-Z]+)[:：](.*)$]])
         if tag == "H" then out:paragraph(rest, { src = p, style = "headline" })
         elseif tag == "HP" then out:paragraph(rest, { src = p, style = "headline_plain" })
         elseif tag == "S" then out:paragraph(rest, { src = p, style = "subtitle" })
         elseif tag == "TO" then out:paragraph(rest, { src = p, style = "salutation" })
         elseif tag == "NOTE" then out:footnote(rest, { src = p })
         elseif tag == "PB" then out:page_break()
         elseif tag == "ATT" then
            if not att_hang then
               -- later lines and items align under the first item's text, after 附件：
               att_hang = 2 + out:width("附件：", "attach")
               out:paragraph(rest, { src = p, style = "attach", hanging = att_hang })
            else
               out:paragraph(rest, { src = p, style = "attach", indent = att_hang, hanging = att_hang })
            end
         elseif tag == "SIG" then sig = rest
         elseif tag == "DATE" then
            -- 署名 right-indented 2 字; the date's first character 2 字 right of the 署名's;
            -- a date longer than that: the date right-indented 2 字, the 署名 moved left
            local sw, dw = out:width(sig, "signature"), out:width(rest, "signature")
            local sr, dr = 2, sw - dw
            if dr < 2 then dr, sr = 2, 4 + dw - sw end
            out:paragraph(sig, { src = p, style = "signature", right_indent = sr })
            out:paragraph(rest, { src = p, style = "signature", right_indent = dr })
         elseif tag == "RI" then
            local n, align, t = gw.match(rest, [[^([0-9.]+):(\w+):(.*)$]])
            out:paragraph(t, { src = p, right_indent = tonumber(n), align = align, indent = 0 })
         elseif tag == "HG" then
            local n, t = gw.match(rest, [[^([0-9.]+):(.*)$]])
            out:paragraph(t, { src = p, hanging = tonumber(n), indent = 0 })
         elseif tag == "BAD" then
            local field, v = gw.match(rest, [[^(\w+):(.*)$]])
            local value = ({ nan = 0 / 0, neg = -1, str = "2", num = 1 })[v]
            out:paragraph("坏值", { src = p, [field] = value })
         elseif tag == "BADROOM" then
            out:paragraph("坏值", { src = p, style = "headline", right_indent = 10, hanging = 10 })
         elseif tag == "BIG" then out:paragraph(rest, { src = p, style = "masthead_title", indent = 0 })
         elseif tag == "BADNOTE" then out:footnote("注", { src = p, right_indent = 0 / 0 })
         elseif tag == "RND" then
            local ri, hg, ind, bal, align, t = gw.match(rest, [[^([0-9.]+):([0-9.]+):([0-9.]+):(\w+):(\w+):(.*)$]])
            out:paragraph(t, { src = p, right_indent = tonumber(ri), hanging = tonumber(hg),
                               indent = tonumber(ind), balance = bal == "true", align = align })
         elseif tag == "W" then
            print("width", rest, out:width(rest), gw.text_width(rest, "fangsong", 16))
         else out:paragraph(p.text, { src = p }) end
      end
   end,
}
