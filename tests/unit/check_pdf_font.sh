#!/bin/sh
# check_pdf_font.sh - verify the PDF written by test_pdf_font.
#
# Usage: tests/unit/check_pdf_font.sh OUT.pdf
#
# Checks, with poppler-utils and qpdf:
#   - pdftotext extracts exactly the three test lines, with no warnings;
#   - pdffonts lists three fonts, each embedded, subset and with a
#     ToUnicode map (emb/sub/uni = yes), with no warnings;
#   - qpdf --check finds no errors or warnings;
#   - pdftoppm renders page 1 without warnings (fonts load in FreeType).
# Exits non-zero if any check fails.

set -u

pdf=${1:?usage: check_pdf_font.sh OUT.pdf}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }

# 1. text extraction: the non-empty lines must be exactly these
cat >"$tmp/want" <<'TXT'
永州市安全守底行动（2024年）
吉𠮷祥𫖯𰻞
文泉驿正黑字体测试ABC
TXT
if pdftotext -enc UTF-8 "$pdf" - >"$tmp/text" 2>"$tmp/text.err"; then
    tr -d '\f' <"$tmp/text" | grep -v '^$' >"$tmp/got"
    if cmp -s "$tmp/want" "$tmp/got"; then
        ok "pdftotext text"
    else
        bad "pdftotext text differs:"
        diff "$tmp/want" "$tmp/got"
    fi
else
    bad "pdftotext failed"
fi
if [ -s "$tmp/text.err" ]; then
    bad "pdftotext warnings:"
    cat "$tmp/text.err"
else
    ok "pdftotext stderr empty"
fi

# 2. fonts: columns end with "emb sub uni object ID"
if pdffonts "$pdf" >"$tmp/fonts" 2>"$tmp/fonts.err"; then
    cat "$tmp/fonts"
    n=$(awk 'NR > 2' "$tmp/fonts" | wc -l)
    good=$(awk 'NR > 2 && $(NF-4) == "yes" && $(NF-3) == "yes" &&
                $(NF-2) == "yes" && /CID TrueType/ && /Identity-H/' \
           "$tmp/fonts" | wc -l)
    if [ "$n" -eq 3 ] && [ "$good" -eq 3 ]; then
        ok "pdffonts: 3 fonts, all emb/sub/uni"
    else
        bad "pdffonts: $n fonts, $good embedded+subset+unicode CID TrueType"
    fi
else
    bad "pdffonts failed"
fi
if [ -s "$tmp/fonts.err" ]; then
    bad "pdffonts warnings:"
    cat "$tmp/fonts.err"
fi

# 3. structure
if qpdf --check "$pdf" >"$tmp/qpdf" 2>&1; then
    ok "qpdf --check"
else
    bad "qpdf --check:"
    cat "$tmp/qpdf"
fi

# 4. rendering (loads the embedded font programs)
if pdftoppm -r 60 -png -f 1 -l 1 "$pdf" "$tmp/page" 2>"$tmp/ppm.err" &&
   [ ! -s "$tmp/ppm.err" ]; then
    ok "pdftoppm renders page 1 cleanly"
else
    bad "pdftoppm:"
    cat "$tmp/ppm.err"
fi

if [ "$fail" -eq 0 ]; then
    echo "check_pdf_font: all checks passed"
else
    echo "check_pdf_font: FAILED"
fi
exit "$fail"
