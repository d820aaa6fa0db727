# Shared helpers for the infrastructure scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL_DIR="${FLEETWAVE_LOCAL_DIR:-$ROOT/.local}"
mkdir -p "$LOCAL_DIR"

DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rollouts}"
KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
export DATABASE_URL KAFKA_BROKERS

log() { printf '[fleetwave] %s\n' "$*"; }
fail() { printf '[fleetwave] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_until DESCRIPTION TIMEOUT_SECONDS LOGFILE COMMAND...
# Polls COMMAND every half second until it succeeds; on timeout names what did not come up
# and where to look.
wait_until() {
  local what="$1" timeout="$2" logfile="$3"; shift 3
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      echo "[fleetwave] ERROR: $what did not come up within ${timeout}s; its log is $logfile" >&2
      [ -f "$logfile" ] && tail -n 20 "$logfile" >&2
      return 1
    fi
    sleep 0.5
  done
}

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# url_part FIELD: host, port, user or db of DATABASE_URL.
url_part() {
  node -e '
    const u = new URL(process.argv[1]);
    const v = { host: u.hostname, port: u.port || "5432", user: decodeURIComponent(u.username || "postgres"),
                db: u.pathname.replace(/^\//, "") || "rollouts" }[process.argv[2]];
    process.stdout.write(v);' "$DATABASE_URL" "$1"
}

is_loopback() { case "$1" in 127.*|localhost|::1) return 0 ;; *) return 1 ;; esac; }

# stop_pidfile NAME PIDFILE TIMEOUT_SECONDS: SIGTERM, wait (bounded), then SIGKILL; removes the pid file.
stop_pidfile() {
  local name="$1" pidfile="$2" timeout="$3"
  if pid_alive "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill -TERM "$pid"
    local deadline=$((SECONDS + timeout))
    while kill -0 "$pid" 2>/dev/null; do
      ((SECONDS >= deadline)) && { log "$name did not stop in ${timeout}s; killing it"; kill -9 "$pid"; break; }
      sleep 0.2
    done
  fi
  rm -f "$pidfile"
}
