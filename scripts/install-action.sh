#!/usr/bin/env bash
# Installs plimsoll for the GitHub Action (action.yml).
#
#   install-action.sh release   the release binary for this runner, when the action's ref (or the `version` input)
#                               names a published release: downloaded, checked against its .sha256, unpacked.
#                               When there is no such release (a branch, a commit, a local `uses: ./`, a tag with
#                               no release yet) it says so in its outputs and installs nothing.
#   install-action.sh source    builds plimsoll from the action's own checkout (`cargo install --locked`).
#
# Reads: PLIMSOLL_VERSION (the `version` input), PLIMSOLL_ACTION_REF (github.action_ref),
#   PLIMSOLL_ACTION_REPOSITORY (github.action_repository), PLIMSOLL_ACTION_PATH (the action's checkout),
#   PLIMSOLL_RELEASES_URL (default https://github.com/<repository>/releases/download; the test points it at a
#   local folder with file://), PLIMSOLL_INSTALL_DIR (where the binary goes), RUNNER_OS, RUNNER_ARCH,
#   GITHUB_OUTPUT, GITHUB_PATH.
# Writes to GITHUB_OUTPUT: `installed` (release | none), `version`, `bin-dir`, `source-key` (what a source build
# is cached under: the runner and a hash of the action's sources).
set -euo pipefail

mode="${1:-release}"
action_path="${PLIMSOLL_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
install_dir="${PLIMSOLL_INSTALL_DIR:?PLIMSOLL_INSTALL_DIR is not set}"
bin_dir="$install_dir/bin"
output="${GITHUB_OUTPUT:-/dev/null}"

say() { printf 'plimsoll: %s\n' "$*" >&2; }
fail() { printf '::error title=plimsoll install::%s\n' "$*" >&2; exit 1; }

# The release version the ref names: `v0.2.0` and `0.2.0` do, `main`, `v0` or a commit do not.
release_version() {
    local ref="${PLIMSOLL_VERSION:-${PLIMSOLL_ACTION_REF:-}}"
    ref="${ref#refs/tags/}"
    ref="${ref#v}"
    if [[ "$ref" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
        printf '%s\n' "$ref"
    fi
}

# The release archive for this runner. Linux gets the static musl build, which runs on any distribution.
runner_target() {
    case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
        Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
        Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
        macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
        macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
        # Windows on Arm runs x64 binaries.
        Windows/X64 | Windows/ARM64) echo x86_64-pc-windows-msvc ;;
        *) return 1 ;;
    esac
}

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    else
        shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
}

# A hash of what a source build is made from, for the cache key (the action's checkout has no .git).
source_key() {
    (cd "$action_path" && find Cargo.toml Cargo.lock src lints -type f -print0 | LC_ALL=C sort -z \
        | xargs -0 cat | { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; } \
        | cut -c 1-16)
}

# Downloads a URL to a file. Returns 2 when the server (or the folder) has no such file, 1 on other errors.
download() {
    local status=0
    curl --fail --silent --show-error --location --retry 3 --output "$2" "$1" || status=$?
    case "$status" in
        0) return 0 ;;
        # 22: an HTTP error (404 for a missing release asset); 37: a file:// path that does not exist.
        22 | 37) return 2 ;;
        *) return 1 ;;
    esac
}

no_release() {
    say "$1; it will be built from source"
    {
        echo "installed=none"
        echo "source-key=${RUNNER_OS:-$(uname -s)}-${RUNNER_ARCH:-$(uname -m)}-$(source_key)"
        echo "bin-dir=$bin_dir"
    } >>"$output"
}

install_release() {
    local version target archive base expected actual exe binary status
    version="$(release_version)"
    if [ -z "$version" ]; then
        no_release "the action's ref '${PLIMSOLL_ACTION_REF:-}' names no release (set the \`version\` input to use one)"
        return 0
    fi
    if ! target="$(runner_target)"; then
        no_release "there is no release build for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
        return 0
    fi
    case "$target" in
        *windows*) archive="plimsoll-$target.zip" exe=plimsoll.exe ;;
        *) archive="plimsoll-$target.tar.xz" exe=plimsoll ;;
    esac
    base="${PLIMSOLL_RELEASES_URL:-https://github.com/${PLIMSOLL_ACTION_REPOSITORY:-plimsoll-lint/plimsoll}/releases/download}"
    base="$base/v$version"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT

    status=0
    download "$base/$archive.sha256" "$work/$archive.sha256" || status=$?
    if [ "$status" -eq 2 ]; then
        no_release "release v$version has no $archive"
        return 0
    elif [ "$status" -ne 0 ]; then
        fail "could not download $base/$archive.sha256"
    fi
    download "$base/$archive" "$work/$archive" || fail "could not download $base/$archive"

    expected="$(tr -d '\r' <"$work/$archive.sha256" | awk 'NF { print tolower($1); exit }')"
    actual="$(sha256_of "$work/$archive")"
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
        fail "$archive does not match its checksum (expected '${expected}', got '${actual}'): not installing it"
    fi
    say "$archive: sha256 $actual (matches $archive.sha256)"

    mkdir -p "$work/unpacked" "$bin_dir"
    case "$archive" in
        *.zip) unzip -q "$work/$archive" -d "$work/unpacked" ;;
        *) tar -xJf "$work/$archive" -C "$work/unpacked" ;;
    esac
    binary="$(find "$work/unpacked" -type f -name "$exe" | head -n 1)"
    [ -n "$binary" ] || fail "$archive holds no $exe"
    cp "$binary" "$bin_dir/$exe"
    chmod +x "$bin_dir/$exe"
    "$bin_dir/$exe" --version >&2 || fail "the installed $exe does not run"
    {
        echo "installed=release"
        echo "version=$version"
        echo "bin-dir=$bin_dir"
    } >>"$output"
    if [ -n "${GITHUB_PATH:-}" ]; then echo "$bin_dir" >>"$GITHUB_PATH"; fi
}

install_source() {
    command -v cargo >/dev/null 2>&1 || fail "there is no release for this ref and no cargo to build plimsoll (add a Rust toolchain, or use a released version)"
    say "building plimsoll from $action_path with cargo"
    cargo install --locked --quiet --root "$install_dir" --path "$action_path"
    "$bin_dir/plimsoll" --version >&2 || fail "the plimsoll cargo built does not run"
}

case "$mode" in
    release) install_release ;;
    source) install_source ;;
    *) fail "unknown mode '$mode' (release or source)" ;;
esac
