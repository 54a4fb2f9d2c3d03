#!/bin/bash
# starttime.sh: how long a start of the server takes until /api/v1/search
# answers 200 (polled every 20 ms), and the total it reports; then stops it.
# Usage: starttime.sh BINARY DATA_DIR PORT
#   rm -rf /tmp/d; docs/scripts/starttime.sh /tmp/st /tmp/d 18601   # first start
#   docs/scripts/starttime.sh /tmp/st /tmp/d 18601                  # second start
set -u
bin=${1:?binary} d=${2:?data dir} port=${3:-18601}
url="http://127.0.0.1:$port/api/v1/search?size=1"
s=$(date +%s.%N)
"$bin" -data "$d" -addr "127.0.0.1:$port" -log-level warn >"/tmp/starttime-$port.log" 2>&1 &
pid=$!
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; do
	kill -0 $pid 2>/dev/null || { echo "server exited; see /tmp/starttime-$port.log" >&2; exit 1; }
	sleep 0.02
done
e=$(date +%s.%N)
echo "$(echo "$e - $s" | bc) s, total $(curl -s "$url" | sed 's/.*"total":\([0-9]*\).*/\1/')"
kill -TERM $pid
wait $pid
