#!/usr/bin/env bash
# Load test: a release hub with the demo data on a fresh database, then `wrk` at a fixed
# concurrency against each endpoint in turn: search (`/api/v1/search` with facet counts),
# the project, model and search pages (`/projects/imf-ts-coding`, `/models/insee/naf-coder`,
# `/search?q=…`) and the sync endpoint (`POST /api/v1/agent/sync/batches` with an agent's
# token, a new batch id per request). Prints requests per second, the median and 99th
# percentile latencies and the errors (non-2xx answers plus socket errors) of each, and
# exits 1 when any endpoint had an error.
#
#   deploy/local/load.sh                         # 60 s per endpoint, 16 connections
#   LOAD_DURATION=5s deploy/local/load.sh        # a short check
#   LOAD_CONNECTIONS=64 LOAD_THREADS=2 deploy/local/load.sh
#   AGORA_PROFILE=dev deploy/local/load.sh       # debug build (faster to compile, slower)
#
# Installs Debian's `wrk` when it is missing (as root). Uses the PostgreSQL that
# deploy/local/postgres.sh finds or starts; the database `agora_load` is made anew.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$here"
# shellcheck source=deploy/local/postgres.sh
. "$here/deploy/local/postgres.sh"

duration=${LOAD_DURATION:-60s}
connections=${LOAD_CONNECTIONS:-16}
threads=${LOAD_THREADS:-2}
profile=${AGORA_PROFILE:-release}
# The hub reads every AGORA_ variable as a setting: these are the script's own.
unset AGORA_PROFILE

if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || die "wrk is needed: install it (apt-get install wrk)"
  say "installing wrk from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

ensure_postgres
admin=$(local_url postgres)
say "making the agora_load database anew"
psql "$admin" -qc 'drop database if exists agora_load with (force)' -c 'create database agora_load'
AGORA_DATABASE_URL=$(local_url agora_load)
export AGORA_DATABASE_URL

say "building agora-hub ($profile profile)"
cargo build --profile "$profile" -p agora-hub --bin agora-hub
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
dir=$([ "$profile" = dev ] && echo debug || echo "$profile")
hub="$target_dir/$dir/agora-hub"

work=$(mktemp -d)
hub_pid=
cleanup() {
  if [ -n "$hub_pid" ]; then
    kill "$hub_pid" 2>/dev/null || true
    wait "$hub_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export AGORA_INDEX_DIR="$work/index"
say "loading the demo data"
"$hub" seed-demo >/dev/null
token=$("$hub" agent create --org insee --name load-1 2>/dev/null)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
RUST_LOG=${RUST_LOG:-warn} "$hub" serve --listen "127.0.0.1:$port" >"$work/hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$hub_pid" 2>/dev/null || { cat "$work/hub.log" >&2; die "the hub did not start"; }
  sleep 0.2
done
curl -fsS "$base/readyz" >/dev/null || die "the hub does not answer /readyz"

# Shared by every run: each thread counts the answers that are not 2xx; `done` prints one
# line (requests/s, p50 and p99 in ms, errors = non-2xx + socket errors, requests) for the
# table.
cat >"$work/report.lua" <<'LUA'
local threads = {}
local id = 0
setup = function(thread)
  id = id + 1
  thread:set("tid", id)
  table.insert(threads, thread)
end
non2xx = 0
response = function(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n", summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    bad + e.connect + e.read + e.write + e.timeout, summary.requests))
end
LUA

# The sync endpoint: a batch with one model card of the agent's office, a new batch id per
# request (so none is a replay); after the first, the card is unchanged.
cat "$work/report.lua" - >"$work/sync.lua" <<'LUA'
local token = os.getenv("LOAD_TOKEN")
local counter = 0
local nonce = tostring(os.time())
request = function()
  counter = counter + 1
  local body = string.format(
    '{"batch_id":"load-%s-%d-%d","source":"load","epoch":"load-%s","items":[' ..
    '{"key":"load/card","hash":"%s","kind":"model_card","payload":{"organisation":"insee",' ..
    '"name":"load-card","title":"A card sent under load","body":"Unchanged.","visibility":"public",' ..
    '"task":"coding"}}]}', nonce, tid, counter, nonce, string.rep("ab", 32))
  return wrk.format("POST", "/api/v1/agent/sync/batches", {
    ["Authorization"] = "Bearer " .. token,
    ["Agora-Protocol"] = "1",
    ["User-Agent"] = "agora-agent/load",
    ["Content-Type"] = "application/json",
  }, body)
end
LUA

run() { # NAME SCRIPT URL
  say "wrk: $1 for $duration at $connections connections"
  local out
  out=$(LOAD_TOKEN=$token wrk -t"$threads" -c"$connections" -d"$duration" --timeout 5s -s "$2" "$3")
  printf '%s\n' "$out" | grep -v '^RESULT' >&2
  printf '%s %s\n' "$1" "$(printf '%s\n' "$out" | sed -n 's/^RESULT //p')"
}

results=$(
  run search "$work/report.lua" "$base/api/v1/search?q=occupation%20coding&per_page=10"
  run project-page "$work/report.lua" "$base/projects/imf-ts-coding"
  run model-page "$work/report.lua" "$base/models/insee/naf-coder"
  run search-page "$work/report.lua" "$base/search?q=occupation%20coding"
  run sync "$work/sync.lua" "$base"
)

printf '\n%-13s %12s %10s %10s %8s %10s   (%s, %s connections, %s threads, %s build)\n' \
  endpoint 'requests/s' 'p50 ms' 'p99 ms' errors requests "$duration" "$connections" "$threads" "$profile"
failed=0
while read -r name rps p50 p99 errors requests; do
  printf '%-13s %12s %10s %10s %8s %10s\n' "$name" "$rps" "$p50" "$p99" "$errors" "$requests"
  [ "$errors" = 0 ] || failed=1
done <<<"$results"
if [ "$failed" != 0 ]; then
  say "errors under load: the hub's log follows"
  tail -n 50 "$work/hub.log" >&2
  exit 1
fi
