#!/usr/bin/env bash
# Runs the tests of every JS client package that has a test script, against the packaged
# server in $LIVESTATE_JAR (the console page is tested by e2e/test/console.test.mjs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for pkg in "$here"/*/; do
  [ -f "$pkg/package.json" ] || continue
  echo "== clients/js/$(basename "$pkg")"
  (cd "$pkg" && npm run --if-present test)
done
