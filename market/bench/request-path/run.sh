#!/usr/bin/env bash
# The request path under wrk beside pgbench, in one session on one database (issue 17, item 1):
# starts the packaged market with the demo's data on a fresh database, optionally seeds the
# 10,000-server world, then runs pgbench (a single-row insert about as wide as a bid) and wrk
# (bid, quote, nearby) one after another and prints a table, each row with the load average.
#
#   ./mvnw -q -B -pl market -am package -DskipTests
#   market/bench/request-path/run.sh demo                # the demo's nine servers
#   market/bench/request-path/run.sh 10000               # plus 10,000 servers (seed-10000-servers.sql)
#
# Environment: XM_BENCH_DB (database, dropped and made again; default xm_request_path_bench),
# XM_BENCH_PORT (default 18461), XM_BENCH_SECONDS (default 20), XM_BENCH_CONNECTIONS (default 8),
# XM_BENCH_COUNT_STATEMENTS=1 to count SQL statements per request first (log_statement=all on this
# database only, read from the PostgreSQL log, which must be readable), XM_BENCH_JFR=file.jfr to
# record a JFR profile of the market during the wrk runs (the table also gives PostgreSQL's CPU per request,
# from the backends serving the database), XM_BENCH_MARKET_OPTS for more -D options,
# XM_BENCH_JAR for another packaged market (a copy of target/quarkus-app, to compare builds),
# XM_BENCH_STATEMENT_TIMES=N to time each statement in PostgreSQL first (N sequential requests of each kind,
# log_min_duration_statement=0 on this database only; pg_stat_statements needs shared_preload_libraries,
# which this server does not load): milliseconds and executions per request of each statement,
# XM_BENCH_WARM=N to serve N seconds of each kind under wrk first, not counted (a warm market),
# XM_BENCH_FLOOR=1 to run, after the three, the framework's floor: Quarkus' liveness check, the regions
# list (the cheapest endpoint of the API) and a bid refused by validation (no database).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
world="${1:-demo}"
db="${XM_BENCH_DB:-xm_request_path_bench}"
port="${XM_BENCH_PORT:-18461}"
seconds="${XM_BENCH_SECONDS:-20}"
connections="${XM_BENCH_CONNECTIONS:-8}"
pg_log="${XM_BENCH_PG_LOG:-/var/log/postgresql/postgresql-15-main.log}"
jar="${XM_BENCH_JAR:-$root/market/target/quarkus-app/quarkus-run.jar}"
psql=(psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1)
base="http://127.0.0.1:$port"
token=xm_demo_sponsor_acme
[ -f "$jar" ] || { echo "$jar is missing: ./mvnw -q -B -pl market -am package -DskipTests" >&2; exit 1; }

"${psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
if [ "${XM_BENCH_COUNT_STATEMENTS:-0}" = 1 ] || [ -n "${XM_BENCH_STATEMENT_TIMES:-}" ]; then
  # Only sessions opened after this log their statements, so it is set before the market connects.
  if [ "${XM_BENCH_COUNT_STATEMENTS:-0}" = 1 ]; then
    "${psql[@]}" -d postgres -c "ALTER DATABASE $db SET log_statement = 'all'"
  fi
  if [ -n "${XM_BENCH_STATEMENT_TIMES:-}" ]; then
    "${psql[@]}" -d postgres -c "ALTER DATABASE $db SET log_min_duration_statement = 0"
  fi
fi

log="$(mktemp -t xm-request-path-market.XXXXXX.log)"
jfr=()
[ -n "${XM_BENCH_JFR:-}" ] && jfr=("-XX:StartFlightRecording=filename=$XM_BENCH_JFR,settings=profile,delay=20s")
# As the demo command starts it, on this database; rate limits off (one address, one token, far past
# them); heartbeats never time out, so the seeded servers (which have no node agent) stay ACTIVE.
java "${jfr[@]}" -Dxenomarket.demo.enabled=true -Dxenomarket.database.host=127.0.0.1 \
  -Dxenomarket.database.name="$db" -Dquarkus.http.port="$port" -Dxenomarket.rate-limit.enabled=false \
  -Dxenomarket.node.heartbeat-timeout=PT24H ${XM_BENCH_MARKET_OPTS:-} -jar "$jar" >"$log" 2>&1 &
market=$!
trap 'kill $market 2>/dev/null; wait $market 2>/dev/null; "${psql[@]}" -d postgres -c "ALTER DATABASE $db RESET log_statement" -c "ALTER DATABASE $db RESET log_min_duration_statement" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 180); do
  grep -q "XenoMarket demo is running" "$log" && grep -q "Listening on" "$log" && break
  kill -0 $market 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done
grep -q "Listening on" "$log" || { echo "the market did not start; see $log" >&2; exit 1; }
if [ "$world" = 10000 ]; then
  "${psql[@]}" -d "$db" -f "$here/seed-10000-servers.sql"
fi
servers=$("${psql[@]}" -d "$db" -Atc "SELECT count(*) FROM server WHERE state = 'ACTIVE'")

bid_body='{"resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20},
 "placement": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
 "durationHours": 24, "maxPricePerHour": {"amount": "0.000001", "currency": "EUR"}}'
quote_body='{"near": {"latitude": 52.2, "longitude": 0.12, "withinKm": 500},
 "resources": {"vcpus": 2, "memoryMib": 4096, "diskGib": 20}, "durationHours": 24}'
request() { # name: one request of that kind, answering its HTTP status
  case "$1" in
    bid) curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/bids" -H "Authorization: Bearer $token" \
           -H 'Content-Type: application/json' -d "$bid_body" ;;
    quote) curl -s -o /dev/null -w '%{http_code}' -X POST "$base/api/v1/quotes" -H "Authorization: Bearer $token" \
           -H 'Content-Type: application/json' -d "$quote_body" ;;
    nearby) curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
           "$base/api/v1/servers/nearby?lat=52.2&lon=0.12&withinKm=500&vcpus=2&memoryMib=4096&diskGib=20" ;;
  esac
}
for kind in bid quote nearby; do  # warm up (JIT, price sheets) and check each answers 2xx
  for _ in $(seq 1 50); do status=$(request $kind); done
  case "$status" in 2*) ;; *) echo "$kind answered $status" >&2; exit 1 ;; esac
done

# A market that has served traffic for a while, not one just started: wrk of each kind for XM_BENCH_WARM seconds,
# not counted, so that the measured runs find the request path compiled (C2 compiling it on the two cores the
# requests need is part of a fresh market's tail, not of a serving one's).
if [ -n "${XM_BENCH_WARM:-}" ]; then
  for kind in bid quote nearby; do
    XM_TOKEN=$token wrk -t 2 -c "$connections" -d "${XM_BENCH_WARM}s" -s "$here/$kind.lua" "$base" >/dev/null 2>&1
  done
fi

if [ "${XM_BENCH_COUNT_STATEMENTS:-0}" = 1 ]; then
  echo "SQL statements per request ($db, $servers active servers; sequential requests, log_statement=all):"
  for kind in bid quote nearby; do
    sleep 1
    before=$(wc -l <"$pg_log")
    for _ in $(seq 1 20); do request $kind >/dev/null; done
    sleep 1
    lines="$(tail -n +"$((before + 1))" "$pg_log" | grep -E "@$db (LOG|STATEMENT)?:? *(statement|execute)" || true)"
    count=$(printf '%s' "$lines" | grep -c . || true)
    echo "  $kind: $count statements / 20 requests = $(awk -v c="$count" 'BEGIN {printf "%.1f", c / 20}') per request"
    printf '%s\n' "$lines" | sed -E 's/^.*(statement|execute [^:]*): //' | cut -c1-110 | sort | uniq -c | sort -rn \
      | awk '{ $1 = sprintf("%6.1f x", $1 / 20); print "     " $0 }'
  done
  "${psql[@]}" -d postgres -c "ALTER DATABASE $db RESET log_statement"
  echo
fi

if [ -n "${XM_BENCH_STATEMENT_TIMES:-}" ]; then
  n="$XM_BENCH_STATEMENT_TIMES"
  echo "PostgreSQL time per statement ($db, $servers active servers; $n sequential requests of each kind,"
  echo "log_min_duration_statement=0: parse, bind and execute each logged with its duration; ms per request):"
  for kind in bid quote nearby; do
    sleep 1
    before=$(wc -l <"$pg_log")
    for _ in $(seq 1 "$n"); do request $kind >/dev/null; done
    sleep 1
    tail -n +"$((before + 1))" "$pg_log" | grep -E "@$db LOG: +duration: " \
      | sed -E 's/^.*duration: ([0-9.]+) ms +(parse|bind|execute|statement)[^:]*: (.*)$/\2\t\1\t\3/' \
      | awk -F'\t' -v n="$n" -v kind="$kind" '
          { key = substr($3, 1, 100); ms[key] += $2; total += $2; if ($1 == "execute" || $1 == "statement") runs[key]++;
            phase[$1] += $2 }
          END { printf "  %s: %.3f ms per request in PostgreSQL (parse %.3f, bind %.3f, execute %.3f, simple %.3f)\n", kind,
                  total / n, phase["parse"] / n, phase["bind"] / n, phase["execute"] / n, phase["statement"] / n;
                fflush();
                for (k in ms) printf "     %7.3f ms %5.2f x  %s\n", ms[k] / n, runs[k] / n, k | "sort -rn";
                close("sort -rn") }'
  done
  "${psql[@]}" -d postgres -c "ALTER DATABASE $db RESET log_min_duration_statement"
  echo
fi

# pgbench's reference, on the same database in the same session: a bid-wide row per transaction.
"${psql[@]}" -d "$db" -c "CREATE TABLE pgbench_bid_like (LIKE bid INCLUDING ALL)"
load() { cut -d' ' -f1 /proc/loadavg; }
# The market's CPU time so far (user + system, ms): per request it is the one figure the other
# helpers' load does not inflate much, so before/after comparisons use it beside the rates.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' /proc/$market/stat; }
# PostgreSQL's CPU time so far (ms) in the backends serving this database (the market's pooled
# connections, which live through a run): the other half of where a request's time goes.
db_cpu_ms() {
  local pids
  pids=$("${psql[@]}" -d postgres -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()")
  for p in $pids; do cat "/proc/$p/stat" 2>/dev/null; done \
    | awk -v hz="$(getconf CLK_TCK)" '{ s += $14 + $15 } END { print s * 1000 / hz }'
}
printf '\n%-8s %-16s %10s %9s %9s %8s %11s %11s %7s\n' "servers" "what" "rate/s" "p50 ms" "p99 ms" "errors" "market cpu" "db cpu" "load"
l=$(load)
pg=$(pgbench -h 127.0.0.1 -U postgres -n -M prepared -c "$connections" -j 2 -T "$seconds" \
     -f "$here/pgbench-insert.sql" "$db" 2>&1)
pg_rate=$(printf '%s\n' "$pg" | awk '/^tps/ {print $3; exit}')
pg_lat=$(printf '%s\n' "$pg" | awk '/latency average/ {print $4; exit}')
printf '%-8s %-16s %10.0f %9s %9s %8s %11s %11s %7s\n' "$servers" "pgbench insert" "$pg_rate" "avg $pg_lat" "-" "-" "-" "-" "$l"
kinds="bid quote nearby"
[ "${XM_BENCH_FLOOR:-0}" = 1 ] && kinds="$kinds health regions badbid"
for kind in $kinds; do
  # with a profile, when each run starts, to split its samples by request kind
  [ -n "${XM_BENCH_JFR:-}" ] && echo "(wrk $kind starts at $(date -u +%H:%M:%S))"
  l=$(load)
  c0=$(cpu_ms)
  d0=$(db_cpu_ms)
  out=$(XM_TOKEN=$token wrk -t 2 -c "$connections" -d "${seconds}s" --latency -s "$here/$kind.lua" "$base" 2>&1)
  result=$(printf '%s\n' "$out" | grep '^RESULT' || { printf '%s\n' "$out" >&2; exit 1; })
  eval "$(printf '%s' "${result#RESULT }" | tr ' ' '\n' | sed 's/^/r_/')"
  cpu=$(awk -v a="$c0" -v b="$(cpu_ms)" -v n="$r_requests" 'BEGIN {printf "%.2f ms/req", (b - a) / n}')
  dbcpu=$(awk -v a="$d0" -v b="$(db_cpu_ms)" -v n="$r_requests" 'BEGIN {printf "%.2f ms/req", (b - a) / n}')
  ratio=""
  [ "$kind" = bid ] && ratio=$(awk -v a="$r_rate" -v b="$pg_rate" 'BEGIN {printf " (%.3f of pgbench)", a / b}')
  printf '%-8s %-16s %10.0f %9s %9s %8s %11s %11s %7s%s\n' "$servers" "wrk $kind" "$r_rate" "$r_p50_ms" "$r_p99_ms" \
    "$r_non2xx_or_errors" "$cpu" "$dbcpu" "$l" "$ratio"
done
echo "(wrk -t 2 -c $connections -d ${seconds}s; pgbench -M prepared -c $connections -j 2 -T $seconds; load = 1-min load average at the start of each run; market log: $log)"
