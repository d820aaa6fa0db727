#!/usr/bin/env bash
# `npm run reporting:rebuild -- <projection>... | all`: drops reporting projections and rebuilds
# them from the Kafka topics (from the beginning). Stop the reporting service first, e.g.
# `bash scripts/cluster.sh stop_one reporting`, and start it again afterwards
# (`bash scripts/cluster.sh restart reporting`). Env: DATABASE_URL, KAFKA_BROKERS.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
exec node --enable-source-maps -r @swc-node/register apps/reporting/src/rebuild/rebuild.main.ts "$@"
