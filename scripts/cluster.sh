#!/usr/bin/env bash
# Starts Redis and three Switchboard nodes on this machine, to try the cluster by hand.
#   scripts/cluster.sh          start (builds the jar if missing), print URLs, wait; Ctrl+C stops all
# Nodes listen on 8001-8003 and share Redis on 6390. Tokens and the API key come from
# .switchboard/dev-secrets.yaml (created by the first node), as for a single node.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=server/target/switchboard.jar
REDIS_PORT=${REDIS_PORT:-6390}
[ -f "$JAR" ] || mvn -q -B package -DskipTests
command -v redis-server >/dev/null || { echo "redis-server not found: apt-get install redis-server" >&2; exit 1; }

WORK=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync everysec \
  --dir "$WORK" --logfile "$WORK/redis.log" &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The first node creates the dev secrets; the others must reuse them, so start it alone first.
for i in 1 2 3; do
  SWITCHBOARD_ENGINE=redis SWITCHBOARD_REDIS_URL="redis://127.0.0.1:$REDIS_PORT" \
  SWITCHBOARD_PORT=800$i SWITCHBOARD_NODE_NAME=node$i \
    java -jar "$JAR" serve --config config/dev.yaml > "$WORK/node$i.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:800$i/health" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "node$i: ws://127.0.0.1:800$i/connection/websocket  http://127.0.0.1:800$i/api  (log $WORK/node$i.log)"
done
KEY=$(sed -n 's/^api_key: "\(.*\)"/\1/p' .switchboard/dev-secrets.yaml)
echo
echo "Cluster view:  curl -s -H 'X-API-Key: $KEY' -d '{}' http://127.0.0.1:8002/api/info"
echo "Token:         java -jar $JAR gentoken --user alice --config config/dev.yaml"
echo "Stop:          Ctrl+C"
wait
