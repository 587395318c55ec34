#!/usr/bin/env bash
# The full MNIST (60,000 training + 10,000 test digits), the four IDX .gz files ->
# $OODLAB_DATA/mnist, readable with dev.oodlab.data.Idx.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

# yann.lecun.com often refuses downloads; this is the mirror torchvision uses.
BASE_URL="${MNIST_URL:-https://ossci-datasets.s3.amazonaws.com/mnist}"
FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)
# SHA-256 of the four .gz files as distributed (the same on yann.lecun.com and the mirror), pinned
# alike by many independent projects; MD5 as torchvision pins them. Both are checked.
DIGESTS=(
    "sha256:440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609 md5:f68b3c2dcbeaaa9fbdd348bbdeb94873"
    "sha256:3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c md5:d53e105ee54ea40749a09fcbcd1e9432"
    "sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6 md5:9fb629c4189551a2d022fa330f9573f3"
    "sha256:f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6 md5:ec29112dd5afa0611ce80d1b7f02629c"
)

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-mnist.sh [--trust-unverified] [--help]

Downloads the four MNIST IDX files (${FILES[*]})
from \$MNIST_URL (default $BASE_URL), checks each one's SHA-256 and MD5,
and installs them into \$OODLAB_DATA/mnist (now: $OODLAB_DATA/mnist).
Idempotent (a verified install is skipped without any download); an interrupted download is
resumed on the next run. OODLAB_SHA256SUMS names a sha256sum-style file that overrides the
carried checksums (see data-scripts/common.sh).
USAGE
}
parse_common_args usage "$@"
[ ${#ARGS[@]} -eq 0 ] || { usage >&2; exit 2; }

specs=()
for i in "${!FILES[@]}"; do
    spec="$(expected_digests "${FILES[$i]}" "${DIGESTS[$i]}")" || exit 1
    specs+=("$spec")
done
marker=""
for i in "${!FILES[@]}"; do
    marker+="${FILES[$i]} ${specs[$i]:-unverified}"$'\n'
done
marker="${marker%$'\n'}"
target="$OODLAB_DATA/mnist"
lock_data mnist
if is_installed "$target" "$marker"; then
    say "MNIST already installed and verified in $target"
    exit 0
fi

for i in "${!FILES[@]}"; do
    fetch_verified "$BASE_URL/${FILES[$i]}" "$OODLAB_DATA/downloads/${FILES[$i]}" "${specs[$i]}"
done
tmp_next_to "$target"
for f in "${FILES[@]}"; do
    gzip -t "$OODLAB_DATA/downloads/$f" 2>/dev/null || refuse_archive "$OODLAB_DATA/downloads/$f" "not a valid gzip file"
    cp "$OODLAB_DATA/downloads/$f" "$TMP_DIR/$f"
done
commit_dir "$TMP_DIR" "$target" "$marker"
for f in "${FILES[@]}"; do rm -f "$OODLAB_DATA/downloads/$f"; done
say "MNIST in $target"
