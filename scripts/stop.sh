#!/usr/bin/env bash
# `npm stop`: stops every service, then Kafka and Postgres. Data stays in .local/.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/cluster.sh" stop
bash "$ROOT/scripts/infra.sh" stop
