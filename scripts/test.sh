#!/usr/bin/env bash
# `npm test`: the same bootstrap as `npm start`, then static checks and every test tier.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export NX_DAEMON=false NX_NO_CLOUD=true

bash scripts/bootstrap.sh

log "static checks: types, lint (module boundaries included), formatting"
npx tsc -p tsconfig.base.json --noEmit
# The module-boundary rule needs Nx's project graph; without a cached one it skips itself.
npx nx show projects >/dev/null
npx eslint . --max-warnings=0
npx prettier --check . --log-level warn

log "unit tier"
npx jest --selectProjects unit --ci

log "integration tier (real Postgres and Kafka)"
npx jest --selectProjects int --ci --runInBand --forceExit

log "e2e tier (the running cluster through its public APIs)"
trap 'bash scripts/cluster.sh stop >/dev/null 2>&1 || true' EXIT
# The e2e tier checks permissions with an operator who may not approve and a read-only viewer.
export FLEETWAVE_USERS="${FLEETWAVE_USERS:-admin:admin:*;operator:operator:READ_ROLLOUT,CREATE_ROLLOUT,HANDLE_ROLLOUT;viewer:viewer:READ_ROLLOUT,READ_TARGET}"
export FLEETWAVE_TOKENS="${FLEETWAVE_TOKENS:-e2e-operator-token-0123456789:operator}"
bash scripts/cluster.sh start
# Every REST response the e2e tier receives must fit the OpenAPI document (and hawkBit's, where present).
export FLEETWAVE_CHECK_RESPONSES=1
npx jest --selectProjects e2e --ci --runInBand --forceExit

log "benchmark smoke: a 10k rollout on the cluster, exact counts asserted (speed is not)"
node -r @swc-node/register bench/rollout.bench.ts --smoke --size 10k

log "fault injection, quick subset: kills, a Postgres crash, duplicates, bad input (see chaos/README.md)"
node -r @swc-node/register chaos/chaos.ts --quick
