#!/usr/bin/env bash
# Builds every JS client package (a folder here with a package.json) and copies its dist/
# into OUT/<package folder>/, where the server serves it at /js/<package folder>/.
set -euo pipefail
out=${1:?usage: build.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
for pkg in "$here"/*/; do
  [ -f "$pkg/package.json" ] || continue
  name=$(basename "$pkg")
  (cd "$pkg" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent) >&2
  mkdir -p "$out/$name"
  cp -r "$pkg/dist/." "$out/$name/"
done
