#!/usr/bin/env bash
# Build the rootsmith test distribution with real rpmbuild and createrepo_c.
#
#   tests/distro/build.sh OUTDIR
#
# produces OUTDIR/x86_64/ and OUTDIR/aarch64/, each a complete repository:
# that arch's packages, every noarch package, repodata/ with comps.
# Incremental: a stamp holding the hash of every input (specs, comps, this
# script, both busybox binaries, rpm/createrepo_c versions) skips the rebuild
# when nothing changed. Concurrent callers serialise on OUTDIR.lock.
#
# Env: TS_BUSYBOX_X86_64   static x86_64 busybox (default /bin/busybox)
#      TS_BUSYBOX_AARCH64  static aarch64 busybox
#                          (default <repo>/target/test-deps/busybox-arm64/bin/busybox,
#                           fetched by scripts/install-test-deps.sh)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
OUT=$(cd "$1" && pwd)

BB_X86_64=${TS_BUSYBOX_X86_64:-/bin/busybox}
BB_AARCH64=${TS_BUSYBOX_AARCH64:-$ROOT/target/test-deps/busybox-arm64/bin/busybox}
ARCHES=(x86_64 aarch64)
# Every RPM's build time and file mtimes; also createrepo_c's revision.
EPOCH=1700000000

for tool in rpmbuild createrepo_c flock sha256sum; do
    command -v "$tool" >/dev/null || { echo "build.sh: $tool missing (run scripts/install-test-deps.sh)" >&2; exit 3; }
done
for bb in "$BB_X86_64" "$BB_AARCH64"; do
    [ -x "$bb" ] || { echo "build.sh: busybox $bb missing (run scripts/install-test-deps.sh)" >&2; exit 3; }
done

exec 9>"$OUT.lock"
flock 9

inputs_hash() {
    {
        (cd "$HERE" && sha256sum build.sh comps.xml specs/*.spec)
        sha256sum "$BB_X86_64" "$BB_AARCH64" | cut -d' ' -f1
        rpmbuild --version
        createrepo_c --version
    } | sha256sum | cut -d' ' -f1
}
HASH=$(inputs_hash)
if [ -f "$OUT/.stamp" ] && [ "$(cat "$OUT/.stamp")" = "$HASH" ]; then
    exit 0
fi

rm -rf "$OUT/.stamp" "$OUT/.build" "${ARCHES[@]/#/$OUT/}"
mkdir -p "$OUT/.build"
TOP=$OUT/.build
export SOURCE_DATE_EPOCH=$EPOCH
export HOME=$TOP   # no ~/.rpmmacros of the caller leaks in

rpmbuild_one() { # ARCH SPEC [extra rpmbuild args...]
    local arch=$1 spec=$2; shift 2
    local log=$TOP/log/$(basename "$spec" .spec)-$arch${*:+-$(echo "$*" | tr -c 'a-zA-Z0-9.' _)}.log
    mkdir -p "$TOP/log"
    if ! rpmbuild -bb --target "$arch" \
        --define "_topdir $TOP" \
        --define "_rpmdir $TOP/RPMS" \
        --define '_buildshell /bin/bash' \
        --define '__strip /bin/true' \
        --define 'debug_package %{nil}' \
        --define '_build_id_links none' \
        --define '_buildhost rootsmith-test' \
        --define 'use_source_date_epoch_as_buildtime 1' \
        --define 'clamp_mtime_to_source_date_epoch 1' \
        --define '_binary_filedigest_algorithm 8' \
        "$@" "$spec" >"$log" 2>&1; then
        cat "$log" >&2
        echo "build.sh: rpmbuild of $spec for $arch failed (log: $log)" >&2
        exit 1
    fi
}

for spec in "$HERE"/specs/*.spec; do
    if grep -q '^BuildArch:[[:space:]]*noarch' "$spec"; then
        rpmbuild_one x86_64 "$spec"
        continue
    fi
    for arch in "${ARCHES[@]}"; do
        bbvar=BB_${arch^^}
        case $(basename "$spec") in
            ts-busybox.spec) rpmbuild_one "$arch" "$spec" --define "ts_busybox ${!bbvar}" ;;
            ts-libfoo.spec)
                rpmbuild_one "$arch" "$spec" --define 'ts_libfoo_version 1.0'
                rpmbuild_one "$arch" "$spec" --define 'ts_libfoo_version 2.0' ;;
            ts-kernel.spec)
                for v in 1.0 2.0 3.0; do
                    rpmbuild_one "$arch" "$spec" --define "ts_kernel_version $v"
                done ;;
            *) rpmbuild_one "$arch" "$spec" ;;
        esac
    done
done

for arch in "${ARCHES[@]}"; do
    repo=$OUT/$arch
    mkdir -p "$repo/Packages"
    cp "$TOP/RPMS/$arch"/*.rpm "$TOP/RPMS/noarch"/*.rpm "$repo/Packages/"
    # primary.xml records each package file's mtime (<time file=...>).
    touch -h -d "@$EPOCH" "$repo/Packages"/*.rpm
    # Deterministic metadata: fixed revision and timestamps, no sqlite,
    # checksummed file names (as real repositories have).
    createrepo_c --quiet --no-database --unique-md-filenames \
        --revision "$EPOCH" --set-timestamp-to-revision \
        --groupfile "$HERE/comps.xml" --workers 1 "$repo" >/dev/null
done

rm -rf "$TOP"
echo "$HASH" >"$OUT/.stamp"
