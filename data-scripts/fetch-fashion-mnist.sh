#!/usr/bin/env bash
# Makes Fashion-MNIST available: Debian's dataset-fashion-mnist package where apt exists,
# otherwise the four IDX files downloaded and checked against their SHA-256.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

BASE_URL="${FASHION_MNIST_URL:-http://fashion-mnist.s3-website.eu-central-1.amazonaws.com}"
DEBIAN_DIR=/usr/share/datasets/fashion-mnist
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
# SHA-256 of the four files' *decompressed* IDX content, computed from Debian's
# dataset-fashion-mnist 0.0~git20200523.55506a9-1 (whose .gz files are recompressed, so the
# check is on the content, which is the upstream data).
SHAS=(
    c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
    bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
    5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
    0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-fashion-mnist.sh [--download] [--help]

Default: installs Debian's dataset-fashion-mnist (files in $DEBIAN_DIR) when apt-get exists.
--download (or no apt-get): downloads the four IDX .gz files from \$FASHION_MNIST_URL
(default $BASE_URL) into \$OODLAB_DATA/fashion-mnist (now: $OODLAB_DATA/fashion-mnist), each
checked (SHA-256 of the decompressed content) before it is renamed into place. Idempotent.
USAGE
}
mode=auto
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    --download) mode=download ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

if [ "$mode" = auto ] && command -v apt-get >/dev/null 2>&1; then
    if [ -f "$DEBIAN_DIR/train-images-idx3-ubyte.gz" ]; then
        say "Fashion-MNIST already installed in $DEBIAN_DIR"
        exit 0
    fi
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y -q dataset-fashion-mnist \
        || { $sudo apt-get update -q && $sudo apt-get install -y -q dataset-fashion-mnist; } \
        || die "could not install dataset-fashion-mnist; run: sudo apt-get update && sudo apt-get install dataset-fashion-mnist"
    exit 0
fi

dest="$OODLAB_DATA/fashion-mnist"
mkdir -p "$dest"
for i in "${!FILES[@]}"; do
    f="$dest/${FILES[$i]}"
    if [ -f "$f" ] && [ "$(gzip -dc "$f" | sha256sum | cut -d' ' -f1)" = "${SHAS[$i]}" ]; then
        say "$f already verified"
        continue
    fi
    fetch_url "$BASE_URL/${FILES[$i]}" "$f.part"
    got="$(gzip -dc "$f.part" | sha256sum | cut -d' ' -f1)" || got="(not gzip)"
    if [ "$got" != "${SHAS[$i]}" ]; then
        rm -f "$f.part"
        die "${FILES[$i]}: SHA-256 of the content mismatch: expected ${SHAS[$i]}, got $got"
    fi
    mv -f "$f.part" "$f"
done
say "Fashion-MNIST in $dest"
