#!/usr/bin/env bash
# `npm run bench -- [--size 10k|100k|1m] [--groups N] [--smoke]`: benchmarks on the real cluster,
# one JSON object per line on stdout, progress and a readable table on stderr (see bench/README.md).
# `--smoke` runs only the rollout and asserts completion and exact counts (exit status 1 otherwise).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/bootstrap.sh >&2
case " $* " in
  *" --smoke "*) ;;
  *) node -r @swc-node/register bench/event-store.bench.ts ;;
esac
bash scripts/cluster.sh start >&2
node -r @swc-node/register bench/rollout.bench.ts "$@"
