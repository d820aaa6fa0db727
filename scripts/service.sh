#!/usr/bin/env bash
# Runs one service in the foreground: `bash scripts/service.sh SERVICE` (or SERVICE from the
# environment, as in the container image). The local cluster and the
# container image both start services through it, so both run with the same V8 heap settings.
#
# The old space is bounded (FLEETWAVE_HEAP_MB, default 320 MiB), so a service stays well inside a
# 512 MiB container: unbounded, V8 on a large machine lets garbage pile up to 500–700 MB before a
# full collection. A bound alone makes V8 grow the heap slowly and shrink the young generation,
# which cost about 15% of a 100k rollout's throughput in full collections and scavenges; the young
# generation is therefore kept at its usual 16 MiB semi-spaces and the heap grows 4x between full
# collections until it nears the bound.
set -euo pipefail
service="${1:-${SERVICE:?usage: service.sh SERVICE}}"
heap_mb="${FLEETWAVE_HEAP_MB:-320}"
[[ "$heap_mb" =~ ^[0-9]+$ ]] && (( heap_mb >= 128 )) || {
  echo "FLEETWAVE_HEAP_MB must be a whole number of MiB, at least 128; got \"$heap_mb\"" >&2
  exit 1
}
cd "$(dirname "$0")/.."
[[ -f "apps/$service/src/main.ts" ]] || { echo "no service \"$service\" in apps/" >&2; exit 1; }
exec node --max-old-space-size="$heap_mb" --max-semi-space-size=16 --heap-growing-percent=300 \
  --enable-source-maps -r @swc-node/register "apps/$service/src/main.ts"
