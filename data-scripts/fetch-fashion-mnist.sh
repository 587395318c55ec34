#!/usr/bin/env bash
# Makes Fashion-MNIST available: Debian's dataset-fashion-mnist package where apt exists,
# otherwise the four IDX files downloaded and checked against their SHA-256, installed together
# or not at all (a folder with some of the files would hide the complete Debian copy).
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
(default $BASE_URL), checks each (SHA-256 of the decompressed content, or the SHA-256 of the file
listed in \$OODLAB_SHA256SUMS), and installs the four together into \$OODLAB_DATA/fashion-mnist
(now: $OODLAB_DATA/fashion-mnist): they are gathered in a temporary folder that is renamed into
place once all four are verified, so a failure installs nothing. Idempotent; an interrupted
download is resumed on the next run.
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

# verified FILE INDEX: FILE is the INDEX-th file, by the SHA-256 listed for its name in
# $OODLAB_SHA256SUMS if there is one, else by the carried SHA-256 of its decompressed content.
verified() {
    local file="$1" i="$2" spec
    spec="$(expected_digests "${FILES[$i]}" content)"
    if [ "$spec" != content ]; then
        digests_match "$file" "$spec" "${FILES[$i]}"
    else
        [ "$(gzip -dc "$file" 2>/dev/null | sha256sum | cut -d' ' -f1)" = "${SHAS[$i]}" ]
    fi
}

dest="$OODLAB_DATA/fashion-mnist"
marker=""
for i in "${!FILES[@]}"; do
    marker+="${FILES[$i]} $(expected_digests "${FILES[$i]}" "content-sha256:${SHAS[$i]}")"$'\n'
done
marker="${marker%$'\n'}"
lock_data fashion-mnist
if is_installed "$dest" "$marker"; then
    say "Fashion-MNIST already installed and verified in $dest"
    exit 0
fi
tmp_next_to "$dest"
downloads="$OODLAB_DATA/downloads"
mkdir -p "$downloads"
for i in "${!FILES[@]}"; do
    name="${FILES[$i]}"
    if [ -f "$dest/$name" ] && verified "$dest/$name" "$i" 2>/dev/null; then
        say "$name already verified in $dest"
        cp "$dest/$name" "$TMP_DIR/$name"
        continue
    fi
    if ! { [ -f "$downloads/$name" ] && verified "$downloads/$name" "$i" 2>/dev/null; }; then
        rm -f "$downloads/$name"
        fetch_url "$BASE_URL/$name" "$downloads/$name.part"
        if ! verified "$downloads/$name.part" "$i"; then
            rm -f "$downloads/$name.part"
            die "$name from $BASE_URL is not the expected file (SHA-256 mismatch); deleted it; nothing installed"
        fi
        mv -f "$downloads/$name.part" "$downloads/$name"
    fi
    cp "$downloads/$name" "$TMP_DIR/$name"
done
commit_dir "$TMP_DIR" "$dest" "$marker"
for f in "${FILES[@]}"; do rm -f "$downloads/$f"; done
say "Fashion-MNIST in $dest"
