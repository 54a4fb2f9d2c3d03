#!/bin/sh
# admin-during-load.sh: while a load runs, take a backup every 30 s and start
# a reindex every 60 s (polling GET until it finishes), in two independent
# loops, logging one line per operation (UTC time, operation, HTTP status,
# bytes or reindex status, seconds).
# Usage: TOKEN=... admin-during-load.sh BASE_URL DURATION_SECONDS BACKUP_FILE
set -u
base=${1:-http://127.0.0.1:18600}
dur=${2:-300}
out=${3:-/tmp/b.db}
auth="Authorization: Bearer ${TOKEN:?set TOKEN}"
end=$(($(date +%s) + dur))

backups() {
	while sleep 30 && [ "$(date +%s)" -lt "$end" ]; do
		printf '%s backup ' "$(date -u +%T)"
		curl -s -o "$out" -w '%{http_code} %{size_download}B %{time_total}s\n' \
			-X POST -H "$auth" "$base/api/v1/admin/backup"
	done
}

reindexes() {
	while sleep 60 && [ "$(date +%s)" -lt "$end" ]; do
		t0=$(date +%s.%N)
		printf '%s reindex-start ' "$(date -u +%T)"
		curl -s -w ' %{http_code}\n' -X POST -H "$auth" "$base/api/v1/admin/reindex"
		while curl -s -H "$auth" "$base/api/v1/admin/reindex" | grep -q '"running":true'; do
			sleep 0.5
		done
		t1=$(date +%s.%N)
		printf '%s reindex-done %s %ss\n' "$(date -u +%T)" \
			"$(curl -s -H "$auth" "$base/api/v1/admin/reindex")" "$(echo "$t1 - $t0" | bc)"
	done
}

backups &
reindexes &
wait
