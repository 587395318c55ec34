#!/usr/bin/env bash
# CIFAR-10, binary version (cifar-10-binary.tar.gz) -> $OODLAB_DATA/cifar10/cifar-10-batches-bin,
# the folder dev.oodlab.data.Cifar10 reads (Datasets.cifar10Directory()).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

BASE_URL="${CIFAR10_URL:-https://www.cs.toronto.edu/~kriz}"
FILE=cifar-10-binary.tar.gz
# MD5: published by the authors on https://www.cs.toronto.edu/~kriz/cifar.html.
# SHA-256: not published by the authors; the value that several independent projects pin for this
# file (170,052,171 bytes). Both are checked.
DIGESTS="sha256:c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd md5:c32a1d4ab5d03f1284b67883e8d87530"
BATCHES=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-cifar10.sh [--trust-unverified] [--help]

Downloads $FILE (162 MB) from \$CIFAR10_URL (default $BASE_URL),
checks its SHA-256 and the authors' MD5, refuses archives with absolute, '..' or link members,
and unpacks it into \$OODLAB_DATA/cifar10/cifar-10-batches-bin
(now: $OODLAB_DATA/cifar10/cifar-10-batches-bin): data_batch_1..5.bin, test_batch.bin.
Idempotent (a verified install is skipped without any download); an interrupted download is
resumed on the next run. OODLAB_SHA256SUMS names a sha256sum-style file that overrides the
carried checksum (see data-scripts/common.sh).
USAGE
}
parse_common_args usage "$@"
[ ${#ARGS[@]} -eq 0 ] || { usage >&2; exit 2; }

spec="$(expected_digests "$FILE" "$DIGESTS")" || exit 1
target="$OODLAB_DATA/cifar10/cifar-10-batches-bin"
marker="$FILE ${spec:-unverified}"
lock_data cifar10
if is_installed "$target" "$marker"; then
    say "CIFAR-10 already installed and verified in $target"
    exit 0
fi

archive="$OODLAB_DATA/downloads/$FILE"
fetch_verified "$BASE_URL/$FILE" "$archive" "$spec"
tmp_next_to "$target"
unpack_tar "$archive" "$TMP_DIR"
src="$TMP_DIR/cifar-10-batches-bin"
for b in "${BATCHES[@]}"; do
    f="$src/$b"
    [ -f "$f" ] || refuse_archive "$archive" "has no cifar-10-batches-bin/$b"
    size="$(wc -c <"$f")"
    if [ "$size" -eq 0 ] || [ $((size % 3073)) -ne 0 ]; then
        refuse_archive "$archive" "cifar-10-batches-bin/$b has $size bytes, not a positive multiple of the 3073-byte record"
    fi
done
commit_dir "$src" "$target" "$marker"
rm -f "$archive"
say "CIFAR-10 in $target"
