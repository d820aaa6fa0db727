#!/usr/bin/env bash
# Local Postgres 15 for development and tests: a private cluster under .local/postgres,
# owned by the postgres OS user, listening on loopback only, trusting local connections.
source "$(dirname "$0")/lib.sh"

PG_BIN=/usr/lib/postgresql/15/bin
# The cluster lives in .local/postgres, unless the project folder is closed to the postgres OS
# user (a clone in a private temp directory): then in that user's home, one per project path.
set_paths() {
  PG_HOME="$LOCAL_DIR/postgres"
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$LOCAL_DIR"; then
    PG_HOME="$(getent passwd postgres | cut -d: -f6)/fleetwave-$(printf %s "$ROOT" | sha1sum | cut -c1-12)"
  fi
  PG_DATA="$PG_HOME/data"
  PG_LOG="$PG_HOME/postgres.log"
}
set_paths
HOST="$(url_part host)"; PORT="$(url_part port)"; PGUSER_NAME="$(url_part user)"; DB="$(url_part db)"

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_if_missing() {
  [ -x "$PG_BIN/postgres" ] && return 0
  log "installing Postgres 15 from Debian's packages"
  [ "$(id -u)" = 0 ] || fail "Postgres 15 is missing and installing it needs root (apt-get install postgresql-15)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
}

init_cluster() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  log "initialising a Postgres cluster in $PG_DATA"
  mkdir -p "$PG_DATA"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$PG_HOME"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_HOME'
max_connections = 300
# A million-target fleet's hot indexes (processed messages, actions, targets) stay in Postgres's
# own cache instead of going through the kernel's on every miss.
shared_buffers = 1GB
max_wal_size = 2GB
CONF
}

# The postmaster is up: pg_ctl says so and its pid is not a zombie. A SIGKILLed postmaster whose
# parent never reaps it stays a zombie, which pg_ctl takes for a running server.
postmaster_running() {
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 || return 1
  local pid state
  pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null)" || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

start() {
  if ! is_loopback "$HOST"; then
    log "DATABASE_URL points at $HOST; not managing a local Postgres"
    return 0
  fi
  install_if_missing
  set_paths
  init_cluster
  if ! postmaster_running; then
    if port_open 127.0.0.1 "$PORT"; then
      fail "port $PORT is taken by another process; stop it or set DATABASE_URL to another port"
    fi
    log "starting Postgres on 127.0.0.1:$PORT"
    local attempt
    for attempt in 1 2 3 4 5; do
      # After a crash the lock file names a dead (or zombie) postmaster, and its backends may take
      # a moment to exit; a postmaster refuses to start over either, so clear and try again.
      postmaster_running || rm -f "$PG_DATA/postmaster.pid"
      as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -o "-p $PORT" -w -t 60 start >/dev/null 2>&1 && break
      [ "$attempt" = 5 ] && { tail -n 20 "$PG_LOG" >&2; fail "Postgres did not start; its log is $PG_LOG"; }
      sleep 1
    done
  fi
  wait_until "Postgres on 127.0.0.1:$PORT" 60 "$PG_LOG" \
    psql -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -Atqc 'select 1'
  if [ "$(psql -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -Atqc "select 1 from pg_database where datname = '$DB'")" != 1 ]; then
    log "creating database $DB"
    psql -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -qc "create database \"$DB\"" >/dev/null
  fi
  # Durable by default: a commit is acknowledged only once its WAL is flushed, so no Kafka offset
  # or relay checkpoint can move past work a crash would erase. Applied to existing clusters too.
  psql -h 127.0.0.1 -p "$PORT" -U "$PGUSER_NAME" -d postgres -qAtc "alter system set synchronous_commit = on" \
    -c "alter system set fsync = on" -c "alter system set full_page_writes = on" -c "select pg_reload_conf()" >/dev/null
  log "Postgres ready: $DATABASE_URL"
}

stop() {
  if [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "stopping Postgres"
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
  fi
}

status() {
  if psql "$DATABASE_URL" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "postgres: up ($DATABASE_URL)"
  else
    echo "postgres: down ($DATABASE_URL; log $PG_LOG)"; return 1
  fi
}

"${1:-status}"
