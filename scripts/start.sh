#!/usr/bin/env bash
# `npm start`: installs what is missing, starts Postgres, Kafka and every service, then seeds a
# demo fleet and runs a demo rollout to the end, printing where to look.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/bootstrap.sh
bash scripts/cluster.sh start
node -r @swc-node/register scripts/demo.ts

cat <<INFO

Fleetwave is running.
  Dashboard       http://127.0.0.1:8080/ui        (user admin / password admin)
  Management API  http://127.0.0.1:8080/rest/v1   (same user)
  API document    http://127.0.0.1:8080/docs      (OpenAPI: /v3/api-docs)
  gRPC            127.0.0.1:50051                 (libs/contracts/proto/rollout/v1/rollout.proto)
  Rollouts        curl -u admin:admin http://127.0.0.1:8080/rest/v1/rollouts
  Metrics         http://127.0.0.1:8080/metrics   (every service on its own port, 8080-8085)
  Health          http://127.0.0.1:8080/health/ready
  Simulator       http://127.0.0.1:8085/simulator/devices
  Logs            $LOCAL_DIR/logs/<service>.log
  Status          npm run status        Stop: npm stop
INFO
