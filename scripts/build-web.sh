#!/usr/bin/env bash
# Builds the console and the resident portal into web/dist, which `anju` serves. Installs the
# packages of web/package-lock.json first, but only when web/node_modules is missing or older than
# the lockfile, so a second run only rebuilds.
set -euo pipefail
cd "$(dirname "$0")/../web"

if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  echo "== web: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  # npm ci leaves the folder's time as it was when only some packages changed.
  touch node_modules
fi
echo "== web: build"
npm run --silent build -- --logLevel warn
