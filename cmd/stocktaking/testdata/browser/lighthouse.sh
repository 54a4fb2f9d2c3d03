#!/usr/bin/env bash
# Lighthouse scores of a running Stocktaking server: performance and
# accessibility, desktop and mobile presets, plus the HTML size and the total
# transfer size of each page.
#
#   go build -o /tmp/st ./cmd/stocktaking
#   /tmp/st -data /tmp/bdata -addr 127.0.0.1:18383 &
#   cmd/stocktaking/testdata/browser/lighthouse.sh http://127.0.0.1:18383 '/search?q=health' /
#
# Arguments: the base URL (default http://127.0.0.1:18383), then the paths
# (default: /search?q=health and /). Environment:
#   CHROME_PATH       the browser (default /usr/bin/chromium)
#   LIGHTHOUSE_HOME   where lighthouse is installed with npm (default: a temp
#                     dir, removed at exit); reused when it already has it
#   LIGHTHOUSE_MIN    fail (exit 1) when a score is below it (default: report only)
#   LIGHTHOUSE_OUT    keep the JSON reports in this directory
# Only the loopback server is visited: Chromium runs with background
# networking, sync and component updates off.
set -euo pipefail

version=12.2.3
base=${1:-http://127.0.0.1:18383}
shift || true
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=('/search?q=health' '/')
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
min=${LIGHTHOUSE_MIN:-0}

case "$base" in
http://127.0.0.1:* | http://localhost:* | http://\[::1\]:*) ;;
*) echo "lighthouse.sh: $base is not a loopback URL" >&2; exit 2 ;;
esac
command -v node >/dev/null || { echo "lighthouse.sh: node is missing (apt-get install nodejs npm)" >&2; exit 2; }
[ -x "$CHROME_PATH" ] || { echo "lighthouse.sh: no browser at $CHROME_PATH (apt-get install chromium)" >&2; exit 2; }

home=${LIGHTHOUSE_HOME:-}
if [ -z "$home" ]; then
	home=$(mktemp -d)
	trap 'rm -rf "$home"' EXIT
fi
lh="$home/node_modules/.bin/lighthouse"
if [ ! -x "$lh" ] || [ "$("$lh" --version)" != "$version" ]; then
	echo "installing lighthouse $version into $home" >&2
	npm install --prefix "$home" --no-audit --no-fund --loglevel=error "lighthouse@$version" >&2
fi
out=${LIGHTHOUSE_OUT:-$home/reports}
mkdir -p "$out"

flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --disable-default-apps --disable-extensions"
status=0
printf '%-28s %-8s %11s %13s %10s %12s %9s\n' page preset performance accessibility "html KB" "transfer KB" requests
for path in "${paths[@]}"; do
	for preset in desktop mobile; do
		name=$(printf '%s' "$path-$preset" | tr -c 'A-Za-z0-9._-' '_')
		args=(--quiet --output=json --output-path="$out/$name.json" --only-categories=performance,accessibility
			--chrome-flags="$flags" --max-wait-for-load=30000)
		[ "$preset" = desktop ] && args+=(--preset=desktop)
		"$lh" "$base$path" "${args[@]}" >&2
		line=$(node -e '
const r = require(process.argv[1]);
const reqs = (r.audits["network-requests"].details || {}).items || [];
const doc = reqs.find(q => q.resourceType === "Document") || {};
const kb = n => (n / 1024).toFixed(1);
const score = c => Math.round(r.categories[c].score * 100);
const off = reqs.filter(q => !/^(https?:\/\/(127\.0\.0\.1|localhost|\[::1\])[:\/]|data:|blob:)/.test(q.url));
if (off.length) console.error("requests off the loopback: " + off.map(q => q.url).join(" "));
console.log([score("performance"), score("accessibility"), kb(doc.resourceSize || 0), kb(r.audits["total-byte-weight"].numericValue), reqs.length, off.length].join(" "));
for (const a of Object.values(r.audits))
  if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "manual")
    console.error("  " + process.argv[2] + ": " + a.id + " " + (a.displayValue || "") + " (" + a.title + ")");
' "$out/$name.json" "$path $preset")
		read -r perf a11y html total nreq off <<<"$line"
		printf '%-28s %-8s %11s %13s %10s %12s %9s\n' "$path" "$preset" "$perf" "$a11y" "$html" "$total" "$nreq"
		if [ "$off" != 0 ] || [ "$perf" -lt "$min" ] || [ "$a11y" -lt "$min" ]; then status=1; fi
	done
done
echo "reports: $out" >&2
exit $status
