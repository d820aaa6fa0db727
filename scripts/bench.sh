#!/usr/bin/env bash
# `npm run bench`: benchmarks, one JSON object per line on stdout (progress on stderr).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/bootstrap.sh >&2
node -r @swc-node/register bench/event-store.bench.ts
bash scripts/cluster.sh start >&2
node -r @swc-node/register bench/rollout.bench.ts
