#!/usr/bin/env bash
# Mass cancel through the venue's rate limit (issue #15, "Measured"): 2,000 open orders on `oms venue --rate-limit 50`
# (the venue answers HTML 429 past 50 requests a second per key), cancelled three ways, each against a fresh venue:
#   one by one   oms load --open-orders --batch off --limit 50
#   batched      oms load --open-orders --batch auto --limit 50
#   cancel-all   oms cancel-all (the venue's cancel-all, then the open orders checked and what is left cancelled)
# For each: the wall time until the command ended with the venue's book showing nothing open, the requests the venue
# counted, and its open orders afterwards. Fates are confirmed in every run (status queries count against the limit).
#   usage: bench/mass-cancel.sh [ORDERS] [LIMIT]      (from anywhere; builds Release first)
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-2000}
limit=${2:-50}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/Oms.Cli/Oms.Cli.csproj -c Release -v quiet -nologo >/dev/null
oms=(dotnet src/Oms.Cli/bin/Release/net10.0/oms.dll)
work=$(mktemp -d)
venue_pid=
cleanup() { [ -n "$venue_pid" ] && kill "$venue_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

start_venue() {
  rm -f "$work/env"
  "${oms[@]}" venue --port 0 --seed-orders "$orders" --rate-limit "$limit" --env-out "$work/env" >"$work/venue.log" 2>&1 &
  venue_pid=$!
  for _ in $(seq 1 200); do [ -s "$work/env" ] && break; sleep 0.1; done
  [ -s "$work/env" ] || { echo "the venue did not start" >&2; cat "$work/venue.log" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$work/env"
}

stop_venue() { kill "$venue_pid" 2>/dev/null; wait "$venue_pid" 2>/dev/null || true; venue_pid=; }

stat() { curl -s --http2-prior-knowledge "$OMS_STATS_URL" | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"; }

run() {
  local name=$1 command=$2
  start_venue
  local began ended exit=0
  began=$(date +%s.%N)
  eval "$command" >"$work/$name.out" 2>"$work/$name.err" || exit=$?
  ended=$(date +%s.%N)
  local requests status limited open
  requests=$(stat "s['cancelRequests'] + s['batchRequests'] + s['cancelAllRequests']")
  status=$(stat "s['statusRequests'] + s['openOrdersRequests']")
  limited=$(stat "s['rateLimited']")
  open=$(stat "$orders - s['ordersCanceled'] - s['filledBeforeCancel'] - s['filledAfterAck']")
  printf '| %-10s | %7.1f | %4d | %8s | %6s | %5s | %4s |\n' "$name" "$(echo "$ended - $began" | bc)" "$exit" "$requests" "$status" "$limited" "$open"
  stop_venue
  [ "$exit" -eq 0 ] || { echo "  $name: $(tail -2 "$work/$name.err" | tr '\n' ' ' | cut -c1-300)"; }
}

echo "mass cancel of $orders open orders, venue limit $limit requests/s per key, engine limit $limit/s, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "| way        | seconds | exit | cancel requests | status/open queries | 429s | open after |"
echo "|------------|--------:|-----:|---------:|-------:|------:|-----:|"
common='--base-url "$OMS_BASE_URL" --account-group "$OMS_ACCOUNT_GROUP"'
run one-by-one "\"\${oms[@]}\" load $common --open-orders --orders $orders --rate 0 --limit $limit --batch off --json"
run batched "\"\${oms[@]}\" load $common --open-orders --orders $orders --rate 0 --limit $limit --batch auto --json"
run cancel-all "\"\${oms[@]}\" cancel-all $common --deadline-ms 60000 --json"
