#!/usr/bin/env bash
# Transactions committed per bid under wrk (group commit's evidence): starts a packaged market on a fresh
# database with the demo's data (rounds off), warms up with 5 s of wrk bids (bid.lua), then counts bids,
# their audit events and PostgreSQL's committed transactions (pg_stat_database.xact_commit, which counts
# every autocommit statement too) over 10 s of wrk bids (8 connections).
#
#   market/bench/request-path/commits-per-bid.sh market/target/quarkus-app/quarkus-run.jar
#
# Environment: XM_BENCH_DB (default xm_commits_per_bid, dropped and made again), XM_BENCH_PORT (default 18471).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar=$1; db="${XM_BENCH_DB:-xm_commits_per_bid}"; port="${XM_BENCH_PORT:-18471}"
psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
log=$(mktemp)
java -Dxenomarket.demo.enabled=true -Dxenomarket.database.host=127.0.0.1 -Dxenomarket.database.name="$db" \
  -Dquarkus.http.port="$port" -Dxenomarket.rate-limit.enabled=false -Dxenomarket.node.heartbeat-timeout=PT24H \
  -Dxenomarket.clearing.round-interval=1h -jar "$jar" >"$log" 2>&1 &
market=$!
trap 'kill $market; wait $market 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "XenoMarket demo is running" "$log" && grep -q "Listening on" "$log" && break; sleep 1; done
wrk -t 2 -c 8 -d 5s -s "$here/bid.lua" "http://127.0.0.1:$port" >/dev/null
q() { psql -h 127.0.0.1 -U postgres -Atc "$1" -d "$db"; }
counts() { q "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = '$db'), (SELECT count(*) FROM bid),
                     (SELECT count(*) FROM audit_event WHERE action = 'bid.placed')"; }
IFS='|' read -r c0 b0 a0 <<<"$(counts)"
wrk -t 2 -c 8 -d 10s -s "$here/bid.lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Non-2xx" || true
sleep 1
IFS='|' read -r c1 b1 a1 <<<"$(counts)"
echo "bids $((b1 - b0)) audits $((a1 - a0)) commits $((c1 - c0)) commits/bid" \
  "$(awk -v c=$((c1 - c0)) -v b=$((b1 - b0)) 'BEGIN {printf "%.2f", c / b}')"
