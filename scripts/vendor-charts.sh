#!/usr/bin/env bash
# Vendor Apache ECharts (Apache-2.0) from the npm registry into the dashboard's static folder.
# Run once when upgrading; the vendored files are committed so the dashboard works offline (no CDN).
set -euo pipefail
VERSION="${ECHARTS_VERSION:-6.1.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/src/narrascope/web/static/vendor/echarts"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm pack --silent "echarts@$VERSION" >/dev/null
tar -xzf "echarts-$VERSION.tgz"
mkdir -p "$DEST"
cp package/dist/echarts.min.js "$DEST/echarts.min.js"
cp package/LICENSE "$DEST/LICENSE"
[ -f package/NOTICE ] && cp package/NOTICE "$DEST/NOTICE"
sha256sum "$DEST/echarts.min.js" | sed "s|$DEST/||" >"$DEST/SHA256SUMS"
printf 'echarts %s from the npm registry (npm pack), licence Apache-2.0; see LICENSE and NOTICE.\n' "$VERSION" >"$DEST/VERSION"
echo "vendored echarts $VERSION into $DEST"
