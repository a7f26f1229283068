#!/bin/sh
# Load test of `sarx serve` on loopback with wrk (Debian package wrk):
# POST /api/v1/assess (one complete subject) and visit writes
# (POST /api/v1/patients/{id}/visits over 100 patients).  Results go in
# docs/PERFORMANCE.md.  Usage: sh bench/http.sh [SECONDS] [SARX]
# (SARX_SERVE_ARGS adds options to sarx serve, e.g. "--threads 4")
set -eu
secs=${1:-10}
sarx=${2:-build/sarx}
command -v wrk >/dev/null || { echo "bench/http.sh: needs wrk (apt-get install wrk)"; exit 2; }
dir=$(mktemp -d)
SARX_TOKEN=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
export SARX_TOKEN
"$sarx" serve --db "$dir/reg.db" --port 0 ${SARX_SERVE_ARGS:-} --access-log off 2>"$dir/err.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
i=0
while ! grep -q "listening on" "$dir/err.log"; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$dir/err.log"; exit 1; }; sleep 0.05
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\)/\1/p' "$dir/err.log" | sed 's,/$,,')
for p in $(seq 1 100); do
    curl -s -o /dev/null -H "Authorization: Bearer $SARX_TOKEN" -H 'Content-Type: application/json' \
        -d '{"sex":"female","birth_date":"1945-05-05"}' "$url/api/v1/patients"
done
echo "== machine: $(nproc) CPUs, $(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -n 1)"
echo "== baseline: GET /api/v1/health (no work), 2 wrk threads, 32 connections, ${secs}s"
wrk -t2 -c32 -d"${secs}s" --latency "$url/api/v1/health" | grep -E 'Requests/sec| 99%|Non-2xx'
echo "== POST /api/v1/assess, 2 wrk threads, 32 connections, ${secs}s"
wrk -t2 -c32 -d"${secs}s" --latency -s bench/http/assess.lua "$url" | grep -E 'Requests/sec| 99%|Non-2xx'
echo "== POST /api/v1/patients/{id}/visits, 2 wrk threads, 16 connections, ${secs}s"
wrk -t2 -c16 -d"${secs}s" --latency -s bench/http/visit.lua "$url" | grep -E 'Requests/sec| 99%|Non-2xx'
ls -l "$dir"/reg.db | awk '{print "registry size after the run:", $5, "bytes"}'
