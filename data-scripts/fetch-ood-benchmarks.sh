#!/usr/bin/env bash
# The OOD test sets of the ODIN paper (Liang et al., ICLR 2018), as its authors distribute them:
# TinyImageNet crop/resize, LSUN crop/resize, iSUN -> image folders $OODLAB_DATA/ood/<name>,
# readable with dev.oodlab.data.ImageFolder.readUnlabelled (every image below the folder).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=common.sh
. "$here/common.sh"

# name | archive | Dropbox id (links from github.com/facebookresearch/odin) | MD5
# The ODIN authors publish no checksums. The MD5s are those pinned by pytorch-ood (TinyImageNet
# crop/resize, LSUN crop/resize) and by the 'detectors' package (iSUN; its TinyImageNet-resize and
# LSUN-resize MD5s agree with pytorch-ood's). No SHA-256 is known: MD5 is what is checked.
SETS=(
    "tinyimagenet-crop|Imagenet.tar.gz|avgm2u562itwpkl|7c0827e4246c3718a5ee076e999e52e5"
    "tinyimagenet-resize|Imagenet_resize.tar.gz|kp3my3412u5k9rl|0f9ff11d45babf2eff5fe12281d1ac31"
    "lsun-crop|LSUN.tar.gz|fhtsw1m3qxlwj6h|458a0a0ab8e5f1cb4516d7400568e460"
    "lsun-resize|LSUN_resize.tar.gz|moqh2wh8696c3yl|278b7b31c8cb7e804a1465a8ce03a2dc"
    "isun|iSUN.tar.gz|ssz7qxfqae0cca5|be77b0f2c26fda898afac5f99645ee70"
)
names() { local s; for s in "${SETS[@]}"; do printf '%s ' "${s%%|*}"; done; }

usage() {
    cat <<USAGE
Usage: data-scripts/fetch-ood-benchmarks.sh [--trust-unverified] [--help] [NAME...]

NAME: $(names)(default: all).
Downloads each set's archive (TinyImageNet/LSUN about 20 MB each) from the ODIN authors' Dropbox
links, or from \$ODIN_OOD_URL/<archive> when that is set, checks its MD5 (the only published
digest; see the script), refuses archives with absolute, '..' or link members, and unpacks it
into the image folder \$OODLAB_DATA/ood/NAME (now: $OODLAB_DATA/ood/NAME).
Idempotent (a verified set is skipped without any download); an interrupted download is resumed
on the next run; a failed set does not stop the others (the exit code is 1 if any failed).
OODLAB_SHA256SUMS names a sha256sum-style file that overrides the carried checksums.
USAGE
}
parse_common_args usage "$@"

install_set() {
    local name="$1" file="$2" id="$3" md5="$4" spec url target marker archive count
    spec="$(expected_digests "$file" "md5:$md5")" || exit 1
    if [ -n "${ODIN_OOD_URL:-}" ]; then
        url="$ODIN_OOD_URL/$file"
    else
        url="https://www.dropbox.com/s/$id/$file?dl=1"
    fi
    target="$OODLAB_DATA/ood/$name"
    marker="$file ${spec:-unverified}"
    lock_data "ood-$name"
    if is_installed "$target" "$marker"; then
        say "$name already installed and verified in $target"
        return 0
    fi
    archive="$OODLAB_DATA/downloads/$file"
    fetch_verified "$url" "$archive" "$spec"
    tmp_next_to "$target"
    unpack_tar "$archive" "$TMP_DIR"
    count="$(find "$TMP_DIR" -type f \( -iname '*.jpg' -o -iname '*.jpeg' -o -iname '*.png' \) | wc -l)"
    [ "$count" -gt 0 ] || refuse_archive "$archive" "holds no .jpg/.jpeg/.png images"
    commit_dir "$TMP_DIR" "$target" "$marker"
    rm -f "$archive"
    say "$name: $count images in $target"
}

wanted=("${ARGS[@]}")
[ ${#wanted[@]} -gt 0 ] || read -r -a wanted <<<"$(names)"
failed=()
for w in "${wanted[@]}"; do
    found=""
    for s in "${SETS[@]}"; do
        IFS='|' read -r name file id md5 <<<"$s"
        if [ "$name" = "$w" ]; then
            found=1
            (trap _oodlab_cleanup EXIT; install_set "$name" "$file" "$id" "$md5") || failed+=("$name")
        fi
    done
    [ -n "$found" ] || { say "unknown set '$w' (known: $(names))"; exit 2; }
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]}"
