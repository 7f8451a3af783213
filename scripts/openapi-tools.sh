#!/usr/bin/env bash
# Installs the npm tools of tools/openapi (@redocly/cli, pinned by its package-lock.json) once, and again only when
# the lock file changes. Idempotent: ./test.sh runs it on every run, the OpenAPI lint test when the tool is missing.
set -euo pipefail
cd "$(dirname "$0")/../tools/openapi"
if ! command -v npm >/dev/null 2>&1; then
  source ../../scripts/services.sh
  mm_ensure_packages nodejs npm
fi
stamp=node_modules/.package-lock.sha256
want="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ -x node_modules/.bin/redocly ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error >/dev/null
echo "$want" > "$stamp"
