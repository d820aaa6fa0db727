#!/usr/bin/env bash
# `npm run chaos -- [--quick] [--only CASE,CASE] [--devices N]`: fault injection on the real
# cluster (see chaos/README.md). One JSON object per case on stdout, a summary last; exit status 1
# when a case fails. Kills only the processes the scripts started (.local pid files).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
bash scripts/bootstrap.sh >&2
bash scripts/cluster.sh start >&2
node -r @swc-node/register chaos/chaos.ts "$@"
