#!/usr/bin/env bash
# Install the peer tools the end-to-end tests compare rootsmith against, and
# fetch the arm64 busybox-static binary the aarch64 test distribution ships.
#
# Idempotent. Meant for Debian bookworm, run as root (CI runs it as root).
# Usage: scripts/install-test-deps.sh            (from anywhere in the repo)
# Env:   ROOTSMITH_TEST_DEPS   cache dir (default: <repo>/target/test-deps)
#        SKIP_APT=1            do not apt-get install (tools already there)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${ROOTSMITH_TEST_DEPS:-$ROOT/target/test-deps}
export DEBIAN_FRONTEND=noninteractive

PKGS=(rpm python3-rpm createrepo-c dnf libsolv-tools python3-solv skopeo busybox-static zstd sqlite3 xz-utils file libcap2-bin tar)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if [ "${SKIP_APT:-0}" != 1 ]; then
    missing=()
    for p in "${PKGS[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "install-test-deps: installing ${missing[*]}"
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends "${missing[@]}"
    else
        echo "install-test-deps: apt packages already installed (${PKGS[*]})"
    fi
fi

# x86_64 busybox: the host's busybox-static.
if ! file -L /bin/busybox 2>/dev/null | grep -q 'x86-64.*statically linked'; then
    echo "install-test-deps: /bin/busybox is not a static x86-64 binary" >&2
    exit 1
fi

# arm64 busybox: Debian's busybox-static:arm64 .deb, fetched with a private apt
# state so the host's dpkg architecture list and apt lists stay untouched.
BB_ARM=$CACHE/busybox-arm64
if [ -x "$BB_ARM/bin/busybox" ] && file "$BB_ARM/bin/busybox" | grep -q 'ARM aarch64.*statically linked'; then
    echo "install-test-deps: arm64 busybox already in $BB_ARM"
else
    APT_STATE=$CACHE/apt-arm64
    rm -rf "$APT_STATE" "$BB_ARM"
    mkdir -p "$APT_STATE/lists/partial" "$APT_STATE/archives/partial" "$BB_ARM"
    APT_OPTS=(
        -o APT::Architecture=arm64
        -o APT::Architectures::=arm64
        -o Dir::State::Lists="$APT_STATE/lists"
        -o Dir::State::status=/dev/null
        -o Dir::Cache="$APT_STATE/cache"
        -o Dir::Cache::archives="$APT_STATE/archives"
        -o Debug::NoLocking=1
    )
    mkdir -p "$APT_STATE/cache"
    apt-get "${APT_OPTS[@]}" update >"$APT_STATE/update.log" 2>&1 || {
        cat "$APT_STATE/update.log" >&2
        echo "install-test-deps: apt-get update for arm64 failed" >&2
        exit 1
    }
    # apt-get download writes into the current directory; it may run as the
    # _apt user, so make the directory writable for it.
    chmod 0777 "$APT_STATE/archives"
    (cd "$APT_STATE/archives" && apt-get "${APT_OPTS[@]}" download busybox-static:arm64)
    deb=$(ls "$APT_STATE"/archives/busybox-static_*_arm64.deb | head -n1)
    dpkg-deb -x "$deb" "$BB_ARM"
    # Keep only what the tests need; never keep the .deb around in the tree.
    rm -rf "$APT_STATE"
    if ! file "$BB_ARM/bin/busybox" | grep -q 'ARM aarch64.*statically linked'; then
        echo "install-test-deps: $BB_ARM/bin/busybox is not a static aarch64 binary" >&2
        exit 1
    fi
    echo "install-test-deps: arm64 busybox in $BB_ARM/bin/busybox"
fi

# pykickstart, the reference kickstart parser, and PyPI's createrepo_c
# (Debian's 0.17 writes no zstd), in a private venv.
VENV=$CACHE/venv
if ! "$VENV/bin/python" -c 'import pykickstart, createrepo_c' 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check 'pykickstart==3.78' 'createrepo_c==1.2.5'
fi
echo "install-test-deps: pykickstart and createrepo_c in $VENV"

echo "install-test-deps: done"
