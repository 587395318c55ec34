#!/usr/bin/env bash
# SVHN cropped digits (format 2: test_32x32.mat, a MATLAB v5 file) -> CIFAR-style binary records
# $OODLAB_DATA/svhn/<split>/<split>_32x32.bin, converted by dev.oodlab.data.SvhnMat (Java, no
# Python needed) and readable with dev.oodlab.data.Cifar10.read (labels 0-9; SVHN's 10 is 0).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

BASE_URL="${SVHN_URL:-http://ufldl.stanford.edu/housenumbers}"
# split | file | digests. No SHA-256 is published. MD5: as torchvision pins them; SHA-1: as
# MXNet Gluon pins them. Both are checked.
SPLITS=(
    "test|test_32x32.mat|sha1:29b312382ca6b9fba48d41a7b5c19ad9a5462b20 md5:eb5a983be6a315427106f1b164d9cef3"
    "train|train_32x32.mat|sha1:e6588cae42a1a5ab5efe608cc5cd3fb9aaffd674 md5:e26dedcc434d2e4c54c9b2d4a06d8373"
    "extra|extra_32x32.mat|sha1:d7d93fbeec3a7cf69236a18015d56c7794ef7744 md5:a93ce644f1a588dc4d68dda5feec44a7"
)

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-svhn.sh [--trust-unverified] [--help] [SPLIT...]

SPLIT: test (default; 26,032 digits, 64 MB), train (73,257, 182 MB), extra (531,131, 1.3 GB).
Downloads <split>_32x32.mat from \$SVHN_URL (default $BASE_URL), checks its SHA-1
and MD5 (no SHA-256 is published), and converts it with the Java class dev.oodlab.data.SvhnMat
into CIFAR-style records \$OODLAB_DATA/svhn/<split>/<split>_32x32.bin
(now: $OODLAB_DATA/svhn/test/test_32x32.bin): one label byte (0-9, SVHN's 10 becomes 0), then
3x32x32 bytes, channel-first. Needs java; uses \$OODLAB_CLASSPATH, else lib/target/oodlab.jar
(built with Maven when missing); JVM options in \$OODLAB_JAVA_OPTS (extra needs -Xmx4g or
more). Idempotent; an interrupted download is resumed on the next run.
OODLAB_SHA256SUMS names a sha256sum-style file that overrides the carried checksums.
Without Java: scipy.io.loadmat reads the same file (X is 32x32x3xN uint8, y is Nx1).
USAGE
}
parse_common_args usage "$@"
wanted=("${ARGS[@]}")
[ ${#wanted[@]} -gt 0 ] || wanted=(test)

classpath() {
    if [ -n "${OODLAB_CLASSPATH:-}" ]; then
        printf '%s' "$OODLAB_CLASSPATH"
        return 0
    fi
    local jar="$root/lib/target/oodlab.jar"
    if [ ! -f "$jar" ]; then
        say "building $jar (once) for the .mat conversion"
        (cd "$root" && mvn -q -B -DskipTests package >&2) || die "building $jar failed; run 'mvn -DskipTests package' in $root"
    fi
    printf '%s' "$jar"
}

for w in "${wanted[@]}"; do
    line=""
    for s in "${SPLITS[@]}"; do [ "${s%%|*}" = "$w" ] && line="$s"; done
    [ -n "$line" ] || { say "unknown split '$w' (test, train or extra)"; exit 2; }
    IFS='|' read -r split file digests <<<"$line"
    spec="$(expected_digests "$file" "$digests")" || exit 1
    target="$OODLAB_DATA/svhn/$split"
    marker="$file ${spec:-unverified}"
    lock_data "svhn-$split"
    if is_installed "$target" "$marker"; then
        say "SVHN $split already installed and verified in $target"
        continue
    fi
    command -v java >/dev/null 2>&1 || die "java is not installed (needed to convert $file)"
    cp="$(classpath)" || exit 1
    mat="$OODLAB_DATA/downloads/$file"
    fetch_verified "$BASE_URL/$file" "$mat" "$spec"
    tmp_next_to "$target"
    # shellcheck disable=SC2086
    java ${OODLAB_JAVA_OPTS:-} -cp "$cp" dev.oodlab.data.SvhnMat "$mat" "$TMP_DIR/${split}_32x32.bin" \
        || die "converting $file failed (the download is kept in $mat)"
    commit_dir "$TMP_DIR" "$target" "$marker"
    rm -f "$mat"
    say "SVHN $split in $target/${split}_32x32.bin"
done
