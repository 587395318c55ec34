# Shared helpers for the data-scripts (sourced, not run).
#
# OODLAB_DATA is the data directory; default ~/.cache/oodlab.
# Environment read by every fetch script:
#   OODLAB_SHA256SUMS        a file in `sha256sum` format ("<hex>  <file name>"); a file named
#                            there is checked against that SHA-256 instead of the digest the
#                            script carries (for mirrors, and for the tests, which serve their
#                            own small archives)
#   OODLAB_DOWNLOAD_RETRIES  retries of a failed transfer (curl --retry); default 3
#
# The install pattern of every data set:
#   1. the archive is downloaded into $OODLAB_DATA/downloads/<file>.part (resumed when a partial
#      .part is there), checked against its digests, and only then renamed to <file>;
#   2. its member list is checked (no absolute paths, no '..', no links or devices) BEFORE
#      anything is extracted;
#   3. it is unpacked into a hidden temporary folder next to the target, checked, a marker file
#      .complete (holding the archive name and digests) is written into it, and the folder is
#      renamed to the target name. A target with a matching .complete is skipped (no download).
# So a data set under its final name is always complete and verified; an interrupted run leaves
# at most a .part (resumed next time) and a temporary folder (removed next time).
OODLAB_DATA="${OODLAB_DATA:-$HOME/.cache/oodlab}"
TRUST_UNVERIFIED="${TRUST_UNVERIFIED:-0}"

say() { printf 'oodlab data: %s\n' "$*" >&2; }
die() {
    printf 'oodlab data: error: %s\n' "$*" >&2
    exit 1
}

# sha256_of FILE -> prints the hex digest
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# verify_sha256 FILE EXPECTED -> fails with a message naming the file
verify_sha256() {
    local got
    got="$(sha256_of "$1")"
    [ "$got" = "$2" ] || die "$1: SHA-256 mismatch: expected $2, got $got"
}

# digest_of ALGO FILE -> prints the hex digest (ALGO: sha256, sha1 or md5)
digest_of() {
    case "$1" in
        sha256) sha256sum "$2" ;;
        sha1) sha1sum "$2" ;;
        md5) md5sum "$2" ;;
        *) die "unknown digest algorithm $1" ;;
    esac | cut -d' ' -f1
}

# digests_match FILE SPEC [LABEL]: SPEC is a space-separated list of ALGO:HEX; every one must
# match. Says which one failed (naming LABEL, default FILE's name); returns 1 then. An empty SPEC
# matches nothing.
digests_match() {
    local file="$1" spec="$2" label="${3:-$(basename "$1")}" d algo hex got
    [ -n "$spec" ] || return 1
    for d in $spec; do
        algo="${d%%:*}"
        hex="${d#*:}"
        got="$(digest_of "$algo" "$file")"
        if [ "$got" != "${hex,,}" ]; then
            say "$label: $algo mismatch: expected ${hex,,}, got $got"
            return 1
        fi
    done
}

# expected_digests NAME CARRIED_SPEC -> prints the digests NAME must have: the SHA-256 listed for
# NAME in $OODLAB_SHA256SUMS if there is one, else CARRIED_SPEC. Where neither exists, refuses
# unless --trust-unverified was given (then prints nothing: the data is installed unverified).
expected_digests() {
    local name="$1" carried="$2" hex=""
    if [ -n "${OODLAB_SHA256SUMS:-}" ]; then
        [ -f "$OODLAB_SHA256SUMS" ] || die "OODLAB_SHA256SUMS=$OODLAB_SHA256SUMS: no such file"
        hex="$(awk -v n="$name" '{ f = $2; sub(/^\*/, "", f) } f == n { print $1; exit }' "$OODLAB_SHA256SUMS")"
        if [ -n "$hex" ]; then
            [[ "$hex" =~ ^[0-9a-fA-F]{64}$ ]] || die "$OODLAB_SHA256SUMS: '$hex' (for $name) is not a SHA-256"
            printf 'sha256:%s' "${hex,,}"
            return 0
        fi
    fi
    if [ -z "$carried" ] && [ "$TRUST_UNVERIFIED" != 1 ]; then
        die "no checksum is known for $name, so it cannot be verified: refusing to install it." \
            "Pass --trust-unverified to install it anyway, or list its SHA-256 in a file named by OODLAB_SHA256SUMS"
    fi
    printf '%s' "$carried"
}

# parse_common_args USAGE_FUNCTION ARGS... -> handles --help and --trust-unverified; the other
# arguments are left in the array ARGS. Unknown options are a usage error (exit 2).
parse_common_args() {
    local usage_fn="$1"
    shift
    ARGS=()
    while [ $# -gt 0 ]; do
        case "$1" in
            -h | --help)
                "$usage_fn"
                exit 0
                ;;
            --trust-unverified) TRUST_UNVERIFIED=1 ;;
            -*)
                "$usage_fn" >&2
                exit 2
                ;;
            *) ARGS+=("$1") ;;
        esac
        shift
    done
}

# download URL DEST SHA256: fetch into DEST.part, verify, then rename into place.
download() {
    fetch_verified "$1" "$2" "sha256:$3"
}

# fetch_url URL FILE: download (resuming a partial FILE) with curl or wget. A resume the server
# refuses restarts from the beginning; a failed transfer keeps FILE for the next run.
fetch_url() {
    local url="$1" out="$2" retries="${OODLAB_DOWNLOAD_RETRIES:-3}" show=-sS
    [ ! -t 2 ] || show=--progress-bar
    say "downloading $url"
    if command -v curl >/dev/null 2>&1; then
        if [ -s "$out" ]; then
            say "resuming $(basename "$out") after $(wc -c <"$out") bytes"
            if curl -fL "$show" --retry "$retries" -C - -o "$out" "$url"; then
                return 0
            fi
            say "could not resume; downloading $(basename "$out") again from the start"
            rm -f "$out"
        fi
        curl -fL "$show" --retry "$retries" -o "$out" "$url" \
            || die "download of $url failed (what arrived is kept in $out; run again to resume)"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -c --tries="$((retries + 1))" -O "$out" "$url" \
            || die "download of $url failed (what arrived is kept in $out; run again to resume)"
    else
        die "neither curl nor wget is installed"
    fi
}

# fetch_verified URL DEST SPEC: DEST, downloaded through DEST.part and checked against SPEC
# (ALGO:HEX ...) before it gets its name. A DEST already there that matches SPEC is reused. With an
# empty SPEC (only after --trust-unverified) the file is installed with a warning and its SHA-256.
fetch_verified() {
    local url="$1" dest="$2" spec="$3" part="$2.part"
    mkdir -p "$(dirname "$dest")"
    if [ -f "$dest" ] && [ -n "$spec" ] && digests_match "$dest" "$spec" 2>/dev/null; then
        say "$(basename "$dest") already downloaded and verified"
        return 0
    fi
    rm -f "$dest"
    fetch_url "$url" "$part"
    if [ -n "$spec" ]; then
        if ! digests_match "$part" "$spec" "$(basename "$dest")"; then
            rm -f "$part"
            die "$(basename "$dest") from $url is not the expected file; deleted it"
        fi
        say "$(basename "$dest"): verified ($spec)"
    else
        say "WARNING: $(basename "$dest") is NOT verified (no known checksum, --trust-unverified);" \
            "its SHA-256 is $(sha256_of "$part")"
    fi
    mv -f "$part" "$dest"
}

# refuse_archive ARCHIVE MESSAGE...: deletes ARCHIVE (so that the next run downloads it again)
# and fails with MESSAGE.
refuse_archive() {
    local archive="$1"
    shift
    rm -f "$archive"
    die "$(basename "$archive"): $* (deleted the archive)"
}

# check_tar_members ARCHIVE: refuses (before anything is extracted) a .tar.gz with a member whose
# path is absolute or contains '..', or a member that is not a plain file or folder.
check_tar_members() {
    local archive="$1" names bad types
    names="$(tar -tzf "$archive")" || refuse_archive "$archive" "not a readable .tar.gz"
    [ -n "$names" ] || refuse_archive "$archive" "the archive is empty"
    bad="$(printf '%s\n' "$names" | grep -E '^/|(^|/)\.\.(/|$)' | head -n 3 || true)"
    [ -z "$bad" ] || refuse_archive "$archive" "refusing to unpack: members with an absolute path or '..':" $bad
    types="$(tar -tvzf "$archive" | cut -c1 | sort -u | tr -d '\n')"
    case "$types" in
        *[!-d]*) refuse_archive "$archive" "refusing to unpack: it holds links or special files (member types '$types')" ;;
    esac
}

# unpack_tar ARCHIVE DIR: checks the members, then extracts into DIR.
unpack_tar() {
    check_tar_members "$1"
    tar -xzf "$1" -C "$2" --no-same-owner --no-same-permissions || refuse_archive "$1" "unpacking failed"
}

_OODLAB_CLEANUP=()
_oodlab_cleanup() { [ ${#_OODLAB_CLEANUP[@]} -eq 0 ] || rm -rf "${_OODLAB_CLEANUP[@]}"; }
trap _oodlab_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# lock_data NAME: one run at a time per data set (flock, where available).
lock_data() {
    mkdir -p "$OODLAB_DATA"
    command -v flock >/dev/null 2>&1 || return 0
    exec 9>"$OODLAB_DATA/.lock-$1"
    flock -n 9 || die "another fetch of $1 is running (lock $OODLAB_DATA/.lock-$1)"
}

# tmp_next_to TARGET: sets TMP_DIR to a new empty folder next to TARGET (same file system, so the
# final rename is atomic), removed when the script exits. Leftovers of killed runs go first.
tmp_next_to() {
    local parent base
    parent="$(dirname "$1")"
    base="$(basename "$1")"
    mkdir -p "$parent"
    rm -rf "$parent/.$base.tmp."* "$parent/.$base.old."*
    TMP_DIR="$(mktemp -d "$parent/.$base.tmp.XXXXXX")"
    _OODLAB_CLEANUP+=("$TMP_DIR")
}

# is_installed TARGET MARKER: TARGET holds a .complete written for MARKER.
is_installed() {
    [ -f "$1/.complete" ] && [ "$(cat "$1/.complete")" = "$2" ]
}

# commit_dir DIR TARGET MARKER: writes DIR/.complete (last), then renames DIR to TARGET,
# replacing an older TARGET.
commit_dir() {
    local dir="$1" target="$2" old=""
    printf '%s\n' "$3" >"$dir/.complete.tmp"
    mv -f "$dir/.complete.tmp" "$dir/.complete"
    if [ -e "$target" ]; then
        old="$(dirname "$target")/.$(basename "$target").old.$$"
        rm -rf "$old"
        mv "$target" "$old"
    fi
    mv "$dir" "$target"
    [ -z "$old" ] || rm -rf "$old"
}
