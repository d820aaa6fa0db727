#!/usr/bin/env bash
# Installs what is missing (npm packages, Chromium, Postgres, Java/Maven for Kafka) and starts the
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

# The dashboard's browser test drives Debian's Chromium through playwright-core, which brings no
# browser of its own (CHROMIUM_PATH points at another build).
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  [ "$(id -u)" = 0 ] || fail "Chromium is missing for the browser test and installing it needs root (apt-get install chromium)"
  log "installing chromium (for the dashboard's browser test)"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

bash "$ROOT/scripts/infra.sh" start
