#!/usr/bin/env bash
# Packages the extension for one VS Code platform with that platform's plimsoll binary inside, and checks that
# the binary and the bundled extension are in the .vsix.
#   editors/vscode/package.sh PLATFORM BINARY OUT_DIR      (PLATFORM: linux-x64, darwin-arm64, win32-x64, …)
# The release workflow runs it for every platform (.github/workflows/build-vscode.yml); CI for linux-x64.
set -euo pipefail
platform="$1"
binary="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
out="$(mkdir -p "$3" && cd "$3" && pwd)"
cd "$(dirname "$0")"
[ -d node_modules ] || npm ci --no-audit --no-fund
case "$platform" in
    win32-*) exe=plimsoll.exe ;;
    *) exe=plimsoll ;;
esac
version="$(node -p "require('./package.json').version")"
vsix="$out/plimsoll-$platform-$version.vsix"
rm -rf bundled
mkdir bundled
trap 'rm -rf bundled' EXIT
cp "$binary" "bundled/$exe"
chmod +x "bundled/$exe"
npx vsce package --no-dependencies --target "$platform" --out "$vsix"
listing="$(unzip -l "$vsix")"
for entry in "extension/bundled/$exe" extension/out/extension.js extension/package.json extension/LICENSE.txt; do
    if ! grep -qF " $entry" <<<"$listing"; then
        echo "error: $vsix has no $entry" >&2
        echo "$listing" >&2
        exit 1
    fi
done
if grep -qF "extension/node_modules/" <<<"$listing"; then
    echo "error: $vsix carries node_modules; the extension is meant to be bundled" >&2
    exit 1
fi
echo "$vsix: $(wc -c <"$vsix") bytes, with bundled/$exe"
