#!/usr/bin/env bash
# Installs what is missing (npm packages, Postgres, Java/Maven for Kafka) and starts the
# infrastructure. Shared by `npm start` and `npm test`.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

stamp="$ROOT/node_modules/.fleetwave-lock"
if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
  log "installing npm packages"
  # `npm install` rather than `npm ci`: it installs exactly the locked versions too, and it does
  # not refuse a lock file that lists no entries for other platforms' optional binaries.
  npm install --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

bash "$ROOT/scripts/infra.sh" start
