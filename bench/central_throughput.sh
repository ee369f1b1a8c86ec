#!/usr/bin/env bash
# central's claim throughput next to the box's own ceilings, in one run (docs/performance.md,
# "Group commit across requests"). Usage:
#   bench/central_throughput.sh [ROUNDS] LABEL=CENTRAL_BINARY [LABEL=CENTRAL_BINARY ...]
# Env: KIOSKCTL (default build/bin/kioskctl), CLAIMS per load run (default 5000), CONCURRENCY
# (default "8 32 64 256"), DATABASE (a PostgreSQL URL; default: SQLite in a fresh data dir per run).
# Prints one line per run, rounds interleaved (binary A, binary B, A, B…) so the box's load
# hits both alike, then the ceilings measured at the start and the end of the run.
set -euo pipefail
rounds=3
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
(($# > 0)) || { echo "usage: $0 [ROUNDS] LABEL=CENTRAL_BINARY..." >&2; exit 2; }
kioskctl=${KIOSKCTL:-build/bin/kioskctl}
claims=${CLAIMS:-5000}
concurrency=${CONCURRENCY:-8 32 64 256}
port=18190
work=$(mktemp -d /tmp/central-throughput.XXXXXX)
pid=
cleanup() { [[ -n "$pid" ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

ceilings() {
  python3 - "$work/ceiling.db" <<'EOF'
import os, sqlite3, sys, time
path = sys.argv[1]
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(path + suffix): os.remove(path + suffix)
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
def rate(rows_per_commit, seconds=2.0):
    rows, start = 0, time.monotonic()
    while time.monotonic() - start < seconds:
        db.execute("BEGIN IMMEDIATE")
        for _ in range(rows_per_commit): db.execute("INSERT INTO t (v) VALUES ('x')")
        db.execute("COMMIT"); rows += rows_per_commit
    return rows / (time.monotonic() - start)
print(f"ceiling sqlite single-row commits/s {rate(1):.0f}; rows/s at 50 per commit {rate(50):.0f}")
EOF
}

start_central() {  # BINARY
  local data="$work/data-$RANDOM"
  local args=(--demo --data "$data" --listen "127.0.0.1:$port")
  [[ -n "${DATABASE:-}" ]] && args+=(--db "$DATABASE")
  "$1" "${args[@]}" >"$work/central.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "central did not start:" >&2; cat "$work/central.log" >&2; exit 1
}

stop_central() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

healthz() {
  command -v wrk >/dev/null || { echo "healthz: wrk not installed"; return; }
  start_central "$1"
  echo "healthz req/s (wrk -t2 -c32 -d3s): $(wrk -t2 -c32 -d3s "http://127.0.0.1:$port/healthz" |
    awk '/Requests\/sec/ {print $2}')"
  stop_central
}

ceilings
first=${1#*=}
healthz "$first"
for round in $(seq "$rounds"); do
  for c in $concurrency; do
    for pair in "$@"; do
      label=${pair%%=*} binary=${pair#*=}
      start_central "$binary"
      out=$(LOYALTY_ADMIN_TOKEN=dev-admin-token "$kioskctl" load --url "http://127.0.0.1:$port" \
        --claims "$claims" --concurrency "$c")
      stop_central
      rate=$(sed -n 's/^accepted .*(\([0-9]*\) claims\/s)/\1/p' <<<"$out")
      lat=$(sed -n 's/^latency ms *//p' <<<"$out")
      other=$(grep '^status' <<<"$out" | grep -v 'status 200 ' | tr -s ' ' | paste -sd, - || true)
      echo "round $round $label c=$c claims/s $rate $lat ${other:+($other)}"
    done
  done
done
ceilings
healthz "$first"
