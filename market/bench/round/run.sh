#!/usr/bin/env bash
# One clearing round end to end at 100,000 bids x 10,000 servers (issue 17, item 2), beside a raw COPY
# of the same lease and capacity rows in the same run: starts a packaged market on a fresh database
# (rounds left to the bench: interval 1h), seeds the world and asks for one round of eu-west with
# ClearingRoundDatabaseBench (market/src/jmh), then prints the round's phases, the COPY reference, the
# load average before and after, and the market's CPU during seeding and round.
#
#   ./mvnw -q -o install -DskipTests
#   market/bench/round/run.sh                          # this checkout's market/target/quarkus-app
#   XM_BENCH_APP=/tmp/q/main market/bench/round/run.sh # another build (a copy of target/quarkus-app)
#
# Environment: XM_BENCH_APP (a quarkus-app directory), XM_BENCH_DB (dropped and made again; default
# xm_round_bench), XM_BENCH_PORT (default 18801), XM_BENCH_SERVERS (10000), XM_BENCH_BIDS (100000),
# XM_BENCH_OUT (file prefix for the report and the market's log; default /tmp/xm-round), XM_BENCH_LOGMS
# (log statements slower than this many ms on this database; default 150), XM_BENCH_MARKET_OPTS for more -D
# options of the market (e.g. -Dxenomarket.clearing.booking-connections=3), XM_BENCH_JFR=1 to record a
# JFR profile of the market to $XM_BENCH_OUT.jfr, XM_BENCH_WARM=1 to clear a world of the same size in us-east
# first in the same market (the measured round then runs on JIT-compiled code, as a replica's rounds after
# its first do; without it the measured round is the market's first), XM_BENCH_REPEAT=1 (with XM_BENCH_WARM=1)
# to ask for two more rounds of eu-west after the measured one, on the same bids and servers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
app="${XM_BENCH_APP:-$root/market/target/quarkus-app}"
db="${XM_BENCH_DB:-xm_round_bench}"
port="${XM_BENCH_PORT:-18801}"
servers="${XM_BENCH_SERVERS:-10000}"
bids="${XM_BENCH_BIDS:-100000}"
out="${XM_BENCH_OUT:-/tmp/xm-round}"
logms="${XM_BENCH_LOGMS:-150}"
psql=(psql -h 127.0.0.1 -U postgres -d postgres -q -v ON_ERROR_STOP=1)
[ -f "$app/quarkus-run.jar" ] || { echo "$app/quarkus-run.jar is missing: ./mvnw -q -o install -DskipTests" >&2; exit 1; }

# The bench class against this checkout's classes and the PostgreSQL driver the market ships with.
pg="$(ls "$app"/lib/main/org.postgresql.postgresql-*.jar | head -1)"
classes="$root/market/target/classes"
bench="$(mktemp -d -t xm-round-bench.XXXXXX)"
javac -d "$bench" -cp "$pg:$classes" \
  "$root/market/src/jmh/java/org/xenomarket/market/clearing/round/ClearingRoundDatabaseBench.java"

"${psql[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" \
  -c "ALTER DATABASE $db SET log_min_duration_statement = $logms"
echo "load before: $(uptime)" > "$out.txt"
jfr=()
[ "${XM_BENCH_JFR:-0}" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$out.jfr,settings=profile")
(cd "$app" && exec java -Xmx4g "${jfr[@]}" -Dquarkus.http.port="$port" -Dxenomarket.database.host=127.0.0.1 \
  -Dxenomarket.database.name="$db" -Dxenomarket.clearing.round-interval=1h \
  -Dxenomarket.node.heartbeat-timeout=PT24H ${XM_BENCH_MARKET_OPTS:-} -jar quarkus-run.jar > "$out.market.log" 2>&1) &
market=$!
trap 'kill $market 2>/dev/null; wait $market 2>/dev/null; "${psql[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; rm -rf "$bench"' EXIT
for _ in $(seq 1 180); do
  curl -s -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break
  kill -0 $market 2>/dev/null || { echo "the market stopped: $out.market.log" >&2; exit 1; }
  sleep 1
done
cpu0=$(awk '{print $14+$15}' /proc/$market/stat)
java -cp "$bench:$pg:$classes" org.xenomarket.market.clearing.round.ClearingRoundDatabaseBench \
  "jdbc:postgresql://127.0.0.1:5432/$db?reWriteBatchedInserts=true" "http://127.0.0.1:$port" "$servers" "$bids" \
  $([ "${XM_BENCH_WARM:-0}" = 1 ] && echo warm) $([ "${XM_BENCH_REPEAT:-0}" = 1 ] && echo repeat) >> "$out.txt"
cpu1=$(awk '{print $14+$15}' /proc/$market/stat)
echo "market CPU during seeding and round: $(( (cpu1 - cpu0) * 1000 / $(getconf CLK_TCK) )) ms" >> "$out.txt"
echo "load after: $(uptime)" >> "$out.txt"
cat "$out.txt"
