#!/usr/bin/env bash
# Generates TypeScript types from proto/ with proto-loader's generator.
# Usage: scripts/proto-gen.sh [out-dir]   (default proto/generated)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-proto/generated}"
rm -rf "$out"
npx proto-loader-gen-types --longs=Number --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js \
  --includeDirs=proto --outDir="$out" --inputTemplate='%s__Input' --outputTemplate='%s' \
  mediashar/v1/common.proto mediashar/v1/donation.proto mediashar/v1/payment.proto mediashar/v1/notification.proto >/dev/null
# The generator writes extensionless relative imports; NodeNext resolution needs ".js".
find "$out" -name '*.ts' -print0 | xargs -0 sed -i -E "s#(from '\.{1,2}/[^']*)'#\1.js'#"
