#!/usr/bin/env bash
# Runs every JS client package's own tests (against the packaged server in $LIVESTATE_JAR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for pkg in "$here"/*/; do
  [ -f "$pkg/package.json" ] || continue
  echo "== clients/js/$(basename "$pkg")"
  (cd "$pkg" && npm test)
done
