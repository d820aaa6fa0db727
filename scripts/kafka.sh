#!/usr/bin/env bash
# Local Apache Kafka in KRaft mode: one combined broker + controller on loopback, run from the
# broker's jars that Maven resolves into the local cache (infra/kafka/pom.xml).
source "$(dirname "$0")/lib.sh"

KAFKA_DIR="$LOCAL_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
CLASSPATH_FILE="$KAFKA_DIR/classpath.txt"
FIRST_BROKER="${KAFKA_BROKERS%%,*}"
KAFKA_PORT="${FIRST_BROKER##*:}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_PARTITIONS="${KAFKA_PARTITIONS:-12}"
mkdir -p "$KAFKA_DIR"

ensure_tools() {
  if ! command -v java >/dev/null || ! command -v mvn >/dev/null; then
    [ "$(id -u)" = 0 ] || fail "Java 17 and Maven are needed (apt-get install openjdk-17-jre-headless maven)"
    log "installing Java 17 and Maven from Debian's packages"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless maven >/dev/null
  fi
}

# The classpath is cached and rebuilt whenever the pom changes.
classpath() {
  local stamp; stamp="$(sha1sum "$ROOT/infra/kafka/pom.xml" | cut -c1-40)"
  if [ ! -s "$CLASSPATH_FILE" ] || [ "$(cat "$CLASSPATH_FILE.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "resolving the Kafka broker jars with Maven" >&2
    mvn -q -B -f "$ROOT/infra/kafka/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$CLASSPATH_FILE" >"$KAFKA_DIR/maven.log" 2>&1 \
      || { tail -n 20 "$KAFKA_DIR/maven.log" >&2; fail "Maven could not resolve Kafka; its log is $KAFKA_DIR/maven.log"; }
    echo "$stamp" >"$CLASSPATH_FILE.stamp"
  fi
  cat "$CLASSPATH_FILE"
}

write_config() {
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
      -e "s#@DATA_DIR@#$KAFKA_DATA#g" -e "s#@PARTITIONS@#$KAFKA_PARTITIONS#g" \
      "$ROOT/infra/kafka/server.properties.template" >"$KAFKA_DIR/server.properties"
  # Services use short consumer sessions (3 s by default, KAFKA_SESSION_TIMEOUT_MS) so a crashed member's partitions move on
  # quickly; the lower broker bound lets a deployment shorten them further.
  printf '%s\n' "group.min.session.timeout.ms=${KAFKA_GROUP_MIN_SESSION_TIMEOUT_MS:-2000}" >>"$KAFKA_DIR/server.properties"
}

run_java() { java $KAFKA_HEAP_OPTS -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2.yaml" -cp "$(classpath)" "$@"; }

start() {
  if pid_alive "$KAFKA_PID" && port_open 127.0.0.1 "$KAFKA_PORT"; then
    log "Kafka already running on $FIRST_BROKER"; return 0
  fi
  port_open 127.0.0.1 "$KAFKA_PORT" && fail "port $KAFKA_PORT is taken by another process; stop it or set KAFKA_BROKERS"
  ensure_tools
  write_config
  if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
    log "formatting Kafka storage in $KAFKA_DATA"
    local cluster_id; cluster_id="$(run_java kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)"
    run_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_DIR/server.properties" \
      >"$KAFKA_DIR/format.log" 2>&1 || { cat "$KAFKA_DIR/format.log" >&2; fail "formatting Kafka storage failed"; }
  fi
  log "starting Kafka (KRaft) on $FIRST_BROKER"
  nohup java $KAFKA_HEAP_OPTS -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2.yaml" \
    -cp "$(classpath)" kafka.Kafka "$KAFKA_DIR/server.properties" >"$KAFKA_LOG" 2>&1 &
  echo $! >"$KAFKA_PID"
  wait_until "Kafka on $FIRST_BROKER" 90 "$KAFKA_LOG" kafka_up \
    || { pid_alive "$KAFKA_PID" || log "the Kafka process has exited"; exit 1; }
  log "Kafka ready: $FIRST_BROKER"
}

kafka_up() { pid_alive "$KAFKA_PID" && port_open 127.0.0.1 "$KAFKA_PORT"; }

stop() {
  pid_alive "$KAFKA_PID" && log "stopping Kafka"
  stop_pidfile Kafka "$KAFKA_PID" 60
}

status() {
  if kafka_up; then echo "kafka: up ($FIRST_BROKER)"; else echo "kafka: down ($FIRST_BROKER; log $KAFKA_LOG)"; return 1; fi
}

"${1:-status}"
