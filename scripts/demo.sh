#!/usr/bin/env bash
# Starts ipscope with live demo traffic: provisions what is missing, starts Redis and
# Kafka (or uses REDIS_URL / KAFKA_BROKERS), builds the web app, then runs the server
# (API + ingest) and the traffic generator until Ctrl-C. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

tsx=node_modules/.bin/tsx
eval "$($tsx packages/testkit/src/cli.ts env)"
export REDIS_URL KAFKA_BROKERS
export IPSCOPE_PORT="${IPSCOPE_PORT:-8787}"
export IPSCOPE_TOPIC="${IPSCOPE_TOPIC:-zeek.conn}"

# A demo left running by an earlier call is stopped, so the port is free again.
mkdir -p .ipscope
for f in .ipscope/demo-server.pid .ipscope/demo-traffic.pid; do
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then kill "$(cat "$f")" 2>/dev/null || true; sleep 1; fi
  rm -f "$f"
done

echo "ipscope: building the web app" >&2
pnpm --filter @ipscope/web run build >/dev/null

$tsx apps/server/src/main.ts & echo $! > .ipscope/demo-server.pid
$tsx packages/testkit/src/traffic/cli.ts --rate "${IPSCOPE_DEMO_RATE:-200}" --history "${IPSCOPE_DEMO_HISTORY:-21600}" & echo $! > .ipscope/demo-traffic.pid
cleanup() { kill "$(cat .ipscope/demo-server.pid)" "$(cat .ipscope/demo-traffic.pid)" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$IPSCOPE_PORT/healthz" >/dev/null 2>&1 && break
  sleep 1
done
echo
echo "ipscope is running: open http://127.0.0.1:$IPSCOPE_PORT/  (Ctrl-C stops the server and traffic; 'pnpm services down' stops Redis and Kafka)"
wait
