#!/usr/bin/env bash
# Installs what is missing (npm packages, Postgres, Java/Maven for Kafka) and starts the
# infrastructure. Shared by `npm start` and `npm test`.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

stamp="$ROOT/node_modules/.fleetwave-lock"
if [ ! -d node_modules ] || ! cmp -s package-lock.json "$stamp"; then
  log "installing npm packages"
  # Exactly what the lock file says, from a clean node_modules; a lock file out of step with
  # package.json fails here instead of being rewritten.
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

bash "$ROOT/scripts/infra.sh" start
