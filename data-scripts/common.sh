# Shared helpers for the data-scripts (sourced, not run).
# OODLAB_DATA is the data directory; default ~/.cache/oodlab.
OODLAB_DATA="${OODLAB_DATA:-$HOME/.cache/oodlab}"

say() { printf 'oodlab data: %s\n' "$*" >&2; }
die() { printf 'oodlab data: error: %s\n' "$*" >&2; exit 1; }

# sha256_of FILE -> prints the hex digest
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# verify_sha256 FILE EXPECTED -> fails with a message naming the file
verify_sha256() {
    local got
    got="$(sha256_of "$1")"
    [ "$got" = "$2" ] || die "$1: SHA-256 mismatch: expected $2, got $got"
}

# download URL DEST SHA256: fetch into DEST.part, verify, then rename into place.
download() {
    local url="$1" dest="$2" sha="$3"
    if [ -f "$dest" ] && [ "$(sha256_of "$dest")" = "$sha" ]; then
        say "$dest already verified"
        return 0
    fi
    mkdir -p "$(dirname "$dest")"
    fetch_url "$url" "$dest.part"
    verify_sha256 "$dest.part" "$sha" || { rm -f "$dest.part"; exit 1; }
    mv -f "$dest.part" "$dest"
}

# fetch_url URL FILE: download (resuming a partial FILE) with curl or wget.
fetch_url() {
    say "downloading $1"
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 3 -C - -o "$2" "$1" || die "download of $1 failed"
    elif command -v wget >/dev/null 2>&1; then
        wget -c -O "$2" "$1" || die "download of $1 failed"
    else
        die "neither curl nor wget is installed"
    fi
}
