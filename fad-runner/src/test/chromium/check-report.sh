#!/usr/bin/env bash
# Renders a FAD HTML report in headless Chromium at 1280 px wide and checks what a reader would
# notice: a broken image, an image that is not inline, anything fetched from elsewhere, a page
# that scrolls sideways or a table cut off in its box. Leaves a screenshot to look at.
#
#   fad-runner/src/test/chromium/check-report.sh DIR [DIR...]     report of runs/sweeps (runner report)
#   fad-runner/src/test/chromium/check-report.sh --html FILE      an existing report.html
#
# Options: -o OUT_DIR (default: a new temporary directory) receives report.html (when it writes
# one), report-probe.html and report.png; HEIGHT (environment, default 2000) is the screenshot's
# height. Needs chromium on PATH (Debian: apt-get install chromium). Exit 0 when every check
# passes, 1 when one fails, 2 on a usage error.
set -euo pipefail
home="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
out=""
html=""
dirs=()
while [ $# -gt 0 ]; do
  case "$1" in
    -o) out="$2"; shift 2 ;;
    --html) html="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if [ -z "$html" ] && [ ${#dirs[@]} -eq 0 ]; then
  echo "usage: $0 [-o OUT_DIR] DIR [DIR...] | [-o OUT_DIR] --html FILE" >&2
  exit 2
fi
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "No chromium on PATH (Debian: apt-get install chromium)." >&2
  exit 2
fi
out="${out:-$(mktemp -d -t fad-report-check.XXXXXX)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [ -z "$html" ]; then
  html="$out/report.html"
  "$home/runner" report "${dirs[@]}" --output "$html"
fi
html="$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# 1. Self-contained: every image inline as a PNG, nothing that fetches.
images=$(grep -o '<img ' "$html" | wc -l)
inline=$(grep -o '<img src="data:image/png;base64,' "$html" | wc -l)
[ "$images" -eq "$inline" ] || fail "$((images - inline)) of $images images are not inline PNGs"
if grep -q -E 'https?://|<link|<script|url\(|@import' "$html"; then
  fail "the page refers to something outside it: $(grep -o -E 'https?://[^"<> ]*|<link[^>]*>|<script|url\([^)]*\)|@import' "$html" | head -3 | tr '\n' ' ')"
fi

# 2. In the browser: each image decoded, no sideways scrolling, no table wider than its box. The
#    probe runs in a copy, so the report itself stays free of scripts.
probe="$out/report-probe.html"
sed 's#</body>#<script>\
addEventListener("load", () => {\
  const root = document.documentElement;\
  const broken = [...document.images].filter(i => !i.complete || i.naturalWidth === 0);\
  const clipped = [...document.querySelectorAll(".scroll")].filter(b => b.scrollWidth > b.clientWidth + 1);\
  root.dataset.images = document.images.length;\
  root.dataset.broken = broken.length;\
  root.dataset.brokenAlts = broken.map(i => i.alt).slice(0, 3).join(" | ");\
  root.dataset.pageWidth = root.scrollWidth;\
  root.dataset.clippedTables = clipped.length;\
});\
</script></body>#' "$html" > "$probe"
dom="$("$browser" --headless --no-sandbox --disable-gpu --window-size=1280,2000 --virtual-time-budget=10000 \
  --dump-dom "file://$probe" 2>/dev/null | head -c 4000)"
attribute() { printf '%s' "$dom" | grep -o "data-$1=\"[^\"]*\"" | head -1 | sed 's/^[^"]*"//; s/"$//'; }
rendered="$(attribute images)"
if [ -z "$rendered" ]; then
  fail "chromium did not run the probe (no data-images on <html>)"
else
  [ "$rendered" -eq "$images" ] || fail "the browser saw $rendered images, the file has $images"
  [ "$(attribute broken)" -eq 0 ] || fail "$(attribute broken) broken images: $(attribute broken-alts)"
  [ "$(attribute page-width)" -le 1280 ] || fail "the page is $(attribute page-width) px wide at a 1280 px window"
  [ "$(attribute clipped-tables)" -eq 0 ] || fail "$(attribute clipped-tables) tables are wider than their box at 1280 px"
fi

# 3. A screenshot to look at.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,${HEIGHT:-2000}" \
  --screenshot="$out/report.png" "file://$html" >/dev/null 2>&1 || fail "chromium could not take a screenshot"

echo "Report:     $html ($images images, $(($(wc -c < "$html") / 1024)) KiB)"
echo "Screenshot: $out/report.png"
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed."
  exit 1
fi
echo "All checks passed: $images inline PNG images decoded, nothing external, no sideways scrolling at 1280 px."
