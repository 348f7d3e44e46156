#!/usr/bin/env bash
# Installs Redocly CLI, the OpenAPI linter the market's OpenApiDocumentTest runs on /q/openapi, from
# the npm registry into .tools/openapi-lint of the repository (not global, not on the PATH), at a
# pinned version. Idempotent: does nothing when that version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY_VERSION=2.77.0
DIR=.tools/openapi-lint
BIN="$DIR/node_modules/.bin/redocly"

if [ -x "$BIN" ] && [ "$("$BIN" --version 2>/dev/null)" = "$REDOCLY_VERSION" ]; then
  echo "== ci: redocly $REDOCLY_VERSION present"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "== ci: installing node and npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
fi
echo "== ci: installing @redocly/cli $REDOCLY_VERSION (node $(node --version))"
mkdir -p "$DIR"
# A package.json of its own, so npm installs here and not into a parent folder's project.
[ -f "$DIR/package.json" ] || echo '{"name": "xenomarket-openapi-lint", "private": true}' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "@redocly/cli@$REDOCLY_VERSION" >/dev/null
"$BIN" --version
