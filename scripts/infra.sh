#!/usr/bin/env bash
# Local infrastructure: Postgres and Kafka as plain processes, plus the cluster's topics.
# Usage: scripts/infra.sh start|stop|status. Idempotent: start leaves running parts alone.
source "$(dirname "$0")/lib.sh"

start() {
  bash "$ROOT/scripts/postgres.sh" start
  bash "$ROOT/scripts/kafka.sh" start
  log "creating topics (${KAFKA_PARTITIONS:-12} partitions each)"
  (cd "$ROOT" && node -r @swc-node/register scripts/create-topics.ts)
}

stop() {
  bash "$ROOT/scripts/kafka.sh" stop
  bash "$ROOT/scripts/postgres.sh" stop
}

status() {
  local rc=0
  bash "$ROOT/scripts/postgres.sh" status || rc=1
  bash "$ROOT/scripts/kafka.sh" status || rc=1
  return $rc
}

"${1:-status}"
