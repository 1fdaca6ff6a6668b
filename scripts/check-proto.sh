#!/usr/bin/env bash
# Fails when proto/generated is stale against proto/*.proto (run npm run proto:gen).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash scripts/proto-gen.sh "$tmp/generated"
if ! diff -r "$tmp/generated" proto/generated >/dev/null; then
  echo "proto/generated is stale: run npm run proto:gen and commit the result" >&2
  diff -r "$tmp/generated" proto/generated | head -20 >&2
  exit 1
fi
echo "proto/generated is current"
