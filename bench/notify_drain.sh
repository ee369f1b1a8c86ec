#!/usr/bin/env bash
# How fast central's notification worker drains a backlog, and what the drain costs concurrent claims
# (issue 18; docs/performance.md, "Notification drain"). One round, on a fresh SQLite data dir:
#   1. the real central (--demo, [notify] pointing at `kioskctl notify serve`, the fake provider) takes
#      CLAIMS claims from `kioskctl load` with no backlog: the baseline p99 (the worker only sends the
#      claims' own "earned" messages);
#   2. central stops; MESSAGES pending messages are written into its outbox (spread over the members of
#      step 1); central starts again and, while the worker drains them, `kioskctl load` sends CLAIMS more
#      claims: the concurrent p99; the drain rate is (MESSAGES + CLAIMS) / the time from central's start
#      until the provider has every one of them.
# Every round checks that the provider got each message once and that nothing is left pending.
# Usage: bench/notify_drain.sh [ROUNDS]
# Env: MESSAGES (default 100000), CLAIMS (3000), CONCURRENCY (8), KIOSKCTL (build/bin/kioskctl),
# CENTRAL (build/bin/central), NOTIFY_TOML (extra [notify] lines, e.g. "senders = 8"), MIN_RATE (fail
# below this many messages/s; default 0 = report only).
set -euo pipefail
python3=$(command -v /usr/bin/python3 || command -v python3)
rounds=${1:-3}
messages=${MESSAGES:-100000}
claims=${CLAIMS:-3000}
concurrency=${CONCURRENCY:-8}
kioskctl=${KIOSKCTL:-build/bin/kioskctl}
central=${CENTRAL:-build/bin/central}
work=$(mktemp -d /tmp/notify-drain.XXXXXX)
central_pid= provider_pid=
cleanup() {
  [[ -n "$central_pid" ]] && kill "$central_pid" 2>/dev/null && wait "$central_pid" 2>/dev/null
  [[ -n "$provider_pid" ]] && kill "$provider_pid" 2>/dev/null && wait "$provider_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$python3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$1/stat"; }

wait_http() {  # URL LOG
  for _ in $(seq 200); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "not up: $1" >&2; cat "$2" >&2; exit 1
}

start_central() {
  "$central" --demo --config "$work/central.toml" --data "$work/data" --listen "127.0.0.1:$cport" \
    >>"$work/central.log" 2>&1 &
  central_pid=$!
  wait_http "http://127.0.0.1:$cport/healthz" "$work/central.log"
}

stop_central() { kill "$central_pid"; wait "$central_pid" 2>/dev/null || true; central_pid=; }

# The poll runs ten times a second during the drain: curl and sed only (no interpreter start-up).
provider_stat() { curl -fs "http://127.0.0.1:$pport/stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
unique() { provider_stat unique; }
duplicates() { provider_stat duplicates; }

load() {  # -> "p99"
  LOYALTY_ADMIN_TOKEN=dev-admin-token "$kioskctl" load --url "http://127.0.0.1:$cport" --claims "$claims" \
    --concurrency "$concurrency" >"$work/load.out" 2>&1 || { cat "$work/load.out" >&2; exit 1; }
  grep -q "^status 200 *$claims\$" "$work/load.out" || { echo "not every claim accepted:" >&2; cat "$work/load.out" >&2; exit 1; }
  sed -n 's/^latency ms .*p99 \([0-9.]*\).*/\1/p' "$work/load.out"
}

fill_outbox() {  # writes $messages pending "earned" messages, due now, over the existing members
  "$python3" - "$work/data/central.db" "$messages" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
members = db.execute("SELECT member_id, phone FROM members ORDER BY member_id").fetchall()
now = int(time.time())
rows = ((f"bench:{i}", *members[i % len(members)], "earned", 0, "points=10&balance=10&store=DEV001", now,
         "pending", 0, 0) for i in range(int(sys.argv[2])))
db.executemany("INSERT INTO notif_outbox (idempotency_key, member_id, phone, event, marketing, params, "
               "created_at, state, attempts, next_attempt_at) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
EOF
}

left_pending() { "$python3" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM notif_outbox WHERE state <> '"'sent'"'").fetchone()[0])' "$work/data/central.db"; }

echo "notify drain: $messages queued messages, $claims claims at concurrency $concurrency per load run; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "test-notify-secret-0123456789abcdefghijkl" >"$work/secret"
for round in $(seq "$rounds"); do
  rm -rf "$work/data" "$work/central.log"
  pport=$(free_port) cport=$(free_port)
  "$kioskctl" notify serve --listen "127.0.0.1:$pport" --secret-file "$work/secret" >"$work/provider.log" 2>&1 &
  provider_pid=$!
  wait_http "http://127.0.0.1:$pport/stats" "$work/provider.log"
  printf '[notify]\nprovider_url = "http://127.0.0.1:%s/send"\nsecret_file = "%s"\n%s\n' \
    "$pport" "$work/secret" "${NOTIFY_TOML:-}" >"$work/central.toml"

  start_central
  idle_p99=$(load)
  for _ in $(seq 200); do [[ $(unique) -ge $claims ]] && break; sleep 0.05; done
  stop_central
  fill_outbox
  target=$((claims + messages + claims))
  t0=$(now) provider_cpu0=$(cpu_ms "$provider_pid")
  start_central
  load >"$work/busy_p99" &
  load_pid=$!
  while [[ $(unique) -lt $target ]]; do
    sleep 0.1
    kill -0 "$central_pid" 2>/dev/null || { echo "central died" >&2; cat "$work/central.log" >&2; exit 1; }
  done
  t1=$(now) central_cpu=$(cpu_ms "$central_pid") provider_cpu=$(cpu_ms "$provider_pid")
  load_end=
  if kill -0 "$load_pid" 2>/dev/null; then load_end="(load still running at the end of the drain)"; fi
  wait "$load_pid"
  busy_p99=$(cat "$work/busy_p99")
  sleep 0.3
  pending=$(left_pending) dups=$(duplicates)
  stop_central
  kill "$provider_pid"; wait "$provider_pid" 2>/dev/null || true; provider_pid=
  rate=$("$python3" -c "print(f'{($messages + $claims) / ($t1 - $t0):.0f}')")
  seconds=$("$python3" -c "print(f'{$t1 - $t0:.1f}')")
  cpu=$("$python3" -c "n = $messages + $claims; print(f'central {$central_cpu / n:.3f}, provider {($provider_cpu - $provider_cpu0) / n:.3f}')")
  echo "round $round drain $((messages + claims)) messages in $seconds s = $rate msg/s; claims p99 ms idle $idle_p99 during drain $busy_p99; CPU ms/message $cpu; duplicates $dups, not sent $pending $load_end"
  [[ "$dups" == 0 && "$pending" == 0 ]] || { echo "FAILED: duplicates or messages left" >&2; exit 1; }
  if [[ "${MIN_RATE:-0}" != 0 ]] && ((rate < MIN_RATE)); then echo "FAILED: $rate < $MIN_RATE msg/s" >&2; exit 1; fi
done
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
