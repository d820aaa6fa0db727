#!/usr/bin/env bash
# Runs every service as a background process: start|stop|status|restart SERVICE.
# Logs in .local/logs/<service>.log, pids in .local/run/<service>.pid.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

SERVICES=(rollout-command group-orchestrator action-dispatch reporting device-simulator gateway)
declare -A PORTS=([gateway]=8080 [rollout-command]=8081 [group-orchestrator]=8082 [action-dispatch]=8083 [reporting]=8084 [device-simulator]=8085)
LOG_DIR="$LOCAL_DIR/logs"; RUN_DIR="$LOCAL_DIR/run"
mkdir -p "$LOG_DIR" "$RUN_DIR"

port_of() { local var; var="$(echo "$1" | tr 'a-z-' 'A-Z_')_PORT"; echo "${!var:-${PORTS[$1]}}"; }

start_one() {
  local service="$1" port; port="$(port_of "$service")"
  if pid_alive "$RUN_DIR/$service.pid"; then log "$service already running"; return 0; fi
  port_open 127.0.0.1 "$port" && fail "port $port for $service is taken by another process"
  NO_COLOR=1 nohup bash scripts/service.sh "$service" >>"$LOG_DIR/$service.log" 2>&1 &
  echo $! >"$RUN_DIR/$service.pid"
}

ready_one() {
  local service="$1"; local port; port="$(port_of "$service")"
  pid_alive "$RUN_DIR/$service.pid" && curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null
}

wait_ready() {
  local service="$1"
  wait_until "$service (http://127.0.0.1:$(port_of "$service")/health/ready)" "${SERVICE_START_TIMEOUT:-90}" \
    "$LOG_DIR/$service.log" ready_one "$service"
}

stop_one() { stop_pidfile "$1" "$RUN_DIR/$1.pid" 30; }

start() {
  log "starting services (logs in $LOG_DIR)"
  for s in "${SERVICES[@]}"; do start_one "$s"; done
  for s in "${SERVICES[@]}"; do wait_ready "$s"; done
  log "all services ready"
}

stop() { for s in gateway device-simulator reporting action-dispatch group-orchestrator rollout-command; do stop_one "$s"; done; }

status() {
  local rc=0
  for s in "${SERVICES[@]}"; do
    if ready_one "$s"; then echo "$s: ready (http://127.0.0.1:$(port_of "$s"))"
    elif pid_alive "$RUN_DIR/$s.pid"; then echo "$s: running, not ready (log $LOG_DIR/$s.log)"; rc=1
    else echo "$s: stopped"; rc=1; fi
  done
  return $rc
}

restart() { stop_one "$1"; start_one "$1"; wait_ready "$1"; }

cmd="${1:-status}"; shift || true
"$cmd" "$@"
