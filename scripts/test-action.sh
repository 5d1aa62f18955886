#!/usr/bin/env bash
# Tests the GitHub Action without GitHub: scripts/install-action.sh against a local folder standing in for the
# releases (file:// URLs), and action.yml's check step (taken out of action.yml) against a stand-in plimsoll
# that records its arguments.
#   scripts/test-action.sh PLIMSOLL_BINARY PYTHON_WITH_PYYAML
set -euo pipefail
cd "$(dirname "$0")/.."
python="$2"
script="$PWD/scripts/install-action.sh"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A copy without debug information keeps the archives small (a debug build is over 100 MB).
binary="$work/plimsoll"
objcopy --strip-debug "$1" "$binary" 2>/dev/null || cp "$1" "$binary"
export XZ_OPT=-0
passed=0
failed=0

check() { # name, then a command that must succeed
    local name="$1"
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAILED: $name" >&2
    fi
}

# A release as dist lays it out: <name>-<target>/plimsoll in a .tar.xz (or plimsoll.exe in a .zip) beside its
# .sha256 ("<hash> *<file>").
releases="$work/releases"
make_release() { # target
    local target="$1" dir="$releases/v$version" stage="$work/stage/plimsoll-$1"
    mkdir -p "$dir" "$stage"
    case "$target" in
        *windows*)
            cp "$binary" "$stage/plimsoll.exe"
            (cd "$stage" && zip -q "$dir/plimsoll-$target.zip" plimsoll.exe)
            (cd "$dir" && sha256sum --binary "plimsoll-$target.zip" >"plimsoll-$target.zip.sha256")
            ;;
        *)
            cp "$binary" "$stage/plimsoll"
            tar -cJf "$dir/plimsoll-$target.tar.xz" -C "$work/stage" "plimsoll-$target"
            (cd "$dir" && sha256sum --binary "plimsoll-$target.tar.xz" >"plimsoll-$target.tar.xz.sha256")
            ;;
    esac
}
make_release x86_64-unknown-linux-musl
make_release x86_64-pc-windows-msvc

# Runs install-action.sh in a fresh install folder; its outputs land in $out, its PATH additions in $ghpath.
run_install() { # mode, then VAR=value settings
    local mode="$1"
    shift
    case_dir="$(mktemp -d "$work/case.XXXX")"
    out="$case_dir/output"
    ghpath="$case_dir/path"
    : >"$out"
    : >"$ghpath"
    env -u PLIMSOLL_VERSION -u PLIMSOLL_ACTION_REF RUNNER_OS=Linux RUNNER_ARCH=X64 \
        PLIMSOLL_RELEASES_URL="file://$releases" PLIMSOLL_INSTALL_DIR="$case_dir/install" \
        PLIMSOLL_ACTION_PATH="$PWD" GITHUB_OUTPUT="$out" GITHUB_PATH="$ghpath" "$@" \
        bash "$script" "$mode" >"$case_dir/stdout" 2>"$case_dir/stderr"
}
has() { grep -qxF -- "$2" "$1"; }
mentions() { grep -qF -- "$2" "$1"; }

# The action's ref names the release: the binary for the runner is installed and runs.
run_install release PLIMSOLL_ACTION_REF="v$version"
check "tag ref: installed from the release" has "$out" "installed=release"
check "tag ref: version output" has "$out" "version=$version"
check "tag ref: the binary runs" bash -c "'$case_dir/install/bin/plimsoll' --version | grep -qF '$version'"
check "tag ref: bin folder on PATH" has "$ghpath" "$case_dir/install/bin"
check "tag ref: checksum reported" mentions "$case_dir/stderr" "matches plimsoll-x86_64-unknown-linux-musl.tar.xz.sha256"

# `version` wins over a ref that names no release (a commit pin).
run_install release PLIMSOLL_ACTION_REF=0123456789abcdef0123456789abcdef01234567 PLIMSOLL_VERSION="$version"
check "version input: installed" has "$out" "installed=release"

# Windows gets the .zip and plimsoll.exe.
run_install release PLIMSOLL_ACTION_REF="v$version" RUNNER_OS=Windows RUNNER_ARCH=X64
check "windows: installed from the zip" has "$out" "installed=release"
check "windows: plimsoll.exe" test -x "$case_dir/install/bin/plimsoll.exe"

# A branch, a floating major tag, a local action: no release, so a source build (nothing installed here).
for ref in main v0 ""; do
    run_install release PLIMSOLL_ACTION_REF="$ref"
    check "ref '$ref': no release" has "$out" "installed=none"
    check "ref '$ref': a cache key" grep -qE '^source-key=Linux-X64-[0-9a-f]{16}$' "$out"
    check "ref '$ref': nothing installed" test ! -e "$case_dir/install/bin/plimsoll"
done

# A version tag whose release does not exist (yet), or has no build for the runner: a source build too.
run_install release PLIMSOLL_ACTION_REF=v99.0.0
check "unreleased tag: no release" has "$out" "installed=none"
run_install release PLIMSOLL_ACTION_REF="v$version" RUNNER_OS=macOS RUNNER_ARCH=ARM64
check "no archive for the runner: no release" has "$out" "installed=none"
check "no archive for the runner: says which" mentions "$case_dir/stderr" "has no plimsoll-aarch64-apple-darwin.tar.xz"
run_install release PLIMSOLL_ACTION_REF="v$version" RUNNER_OS=Linux RUNNER_ARCH=ARM
check "unknown platform: no release" has "$out" "installed=none"

# An archive that does not match its checksum is refused, and is no reason for a source build.
cp -r "$releases" "$work/tampered"
printf 'tampered' >>"$work/tampered/v$version/plimsoll-x86_64-unknown-linux-musl.tar.xz"
status=0
run_install release PLIMSOLL_ACTION_REF="v$version" PLIMSOLL_RELEASES_URL="file://$work/tampered" || status=$?
check "tampered: fails" test "$status" -eq 1
check "tampered: says why" mentions "$case_dir/stderr" "does not match its checksum"
check "tampered: nothing installed" test ! -e "$case_dir/install/bin/plimsoll"
check "tampered: no fallback" test ! -s "$out"

# The source build runs `cargo install --locked` on the action's checkout into the install folder.
fake_bin="$work/fake-bin"
mkdir -p "$fake_bin"
cat >"$fake_bin/cargo" <<'EOF'
#!/usr/bin/env bash
printf '%s\n' "$@" >"$CARGO_ARGS_LOG"
root=""
while [ "$#" -gt 0 ]; do
    if [ "$1" = --root ]; then root="$2"; fi
    shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "plimsoll 0.0.0-source"\n' >"$root/bin/plimsoll"
chmod +x "$root/bin/plimsoll"
EOF
chmod +x "$fake_bin/cargo"
run_install source PATH="$fake_bin:$PATH" CARGO_ARGS_LOG="$work/cargo-args"
check "source: cargo install --locked" bash -c "head -n 2 '$work/cargo-args' | tr '\n' ' ' | grep -qx 'install --locked '"
check "source: into the install folder" has "$work/cargo-args" "$case_dir/install"
check "source: from the action's checkout" has "$work/cargo-args" "$PWD"
check "source: the build runs" test -x "$case_dir/install/bin/plimsoll"

# action.yml's check step: paths one per line (spaces kept), annotations always, SARIF only when asked.
"$python" - "$work/check-step.sh" <<'EOF'
import sys, yaml
action = yaml.safe_load(open("action.yml"))
step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
open(sys.argv[1], "w").write(step["run"])
EOF
cat >"$fake_bin/plimsoll" <<'EOF'
#!/usr/bin/env bash
if [ "$1" = --version ]; then echo "plimsoll 9.9.9"; exit 0; fi
printf '%s\n' "$@" >>"$PLIMSOLL_ARGS_LOG"
echo "--" >>"$PLIMSOLL_ARGS_LOG"
exit "${PLIMSOLL_STATUS:-0}"
EOF
chmod +x "$fake_bin/plimsoll"
run_check() { # VAR=value settings
    case_dir="$(mktemp -d "$work/check.XXXX")"
    out="$case_dir/output"
    : >"$out"
    (cd "$case_dir" && env PATH="$fake_bin:$PATH" PLIMSOLL_ARGS_LOG="$case_dir/args" GITHUB_OUTPUT="$out" \
        INPUT_PATHS=. INPUT_FAIL_ON= INPUT_CONFIG= INPUT_ARGS= INPUT_UPLOAD_SARIF=false INPUT_SARIF_FILE= "$@" \
        bash -eo pipefail "$work/check-step.sh" >"$case_dir/stdout" 2>&1)
}
run_check INPUT_PATHS=$'  docker/Dockerfile\n\nmy services/compose.yaml  \n' INPUT_ARGS="--select PLD,PLC2" INPUT_FAIL_ON=warning
printf '%s\n' check --format github --fail-on warning --select PLD,PLC2 -- docker/Dockerfile "my services/compose.yaml" -- >"$work/expected"
check "check step: paths per line, spaces kept, annotations" diff -u "$work/expected" "$case_dir/args"
check "check step: no SARIF unless asked" bash -c "! grep -q '^sarif-file=' '$out'"
check "check step: status" has "$out" "status=0"
check "check step: version" has "$out" "version=9.9.9"

run_check INPUT_UPLOAD_SARIF=true PLIMSOLL_STATUS=1
check "check step with SARIF: findings reported, not failed yet" has "$out" "status=1"
check "check step with SARIF: the file" has "$out" "sarif-file=plimsoll.sarif"
check "check step with SARIF: written by a second run" \
    bash -c "grep -qx -- '--format' '$case_dir/args' && grep -qx sarif '$case_dir/args' && grep -qx plimsoll.sarif '$case_dir/args'"

status=0
run_check PLIMSOLL_STATUS=2 || status=$?
check "check step: an error (2) fails the step at once" test "$status" -eq 2

echo "action tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
