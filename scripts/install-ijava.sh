#!/usr/bin/env bash
# Registers IJava 1.3.0 (github.com/SpencerPark/IJava) as the Jupyter kernelspec "java", instead
# of rapaio-jupyter-kernel (scripts/install-kernel.sh, the default). Used by
# 'make setup KERNEL=ijava'. The notebooks run unchanged under either kernel.
set -euo pipefail
VERSION="${IJAVA_VERSION:-1.3.0}"
URL="${IJAVA_URL:-https://github.com/SpencerPark/IJava/releases/download/v$VERSION/ijava-$VERSION.zip}"
# No checksum of the release zip is published, and we know of none: the zip is installed only when
# its SHA-256 is given in IJAVA_SHA256, or after --trust-unverified.
SHA256="${IJAVA_SHA256:-}"

say() { printf 'install-ijava: %s\n' "$*" >&2; }
die() {
    printf 'install-ijava: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat <<USAGE
Usage: scripts/install-ijava.sh [--check-only] [--trust-unverified] [--sys-prefix] [--force] [--help]

Downloads IJava $VERSION's release zip from \$IJAVA_URL
(default $URL),
checks its SHA-256 against \$IJAVA_SHA256, checks its layout (install.py, java/kernel.json and
the kernel jar java/*.jar; no absolute or '..' paths), then runs its install.py --user --replace
(or --sys-prefix, for a conda or virtual environment) to register the kernelspec "java", and adds
the JVM options oodlab needs (-Dai.djl.offline=true -Djava.awt.headless=true) to its argv.

No checksum is published for the zip, so without IJAVA_SHA256 the script refuses to install it
unless --trust-unverified is given (it then prints the zip's SHA-256 for you to pin).
--check-only   download and check the zip, install nothing
--force        replace a "java" kernelspec that oodlab did not write (otherwise it is kept)
USAGE
}

check_only=0
trust=0
force=0
location=--user
while [ $# -gt 0 ]; do
    case "$1" in
        -h | --help)
            usage
            exit 0
            ;;
        --check-only) check_only=1 ;;
        --trust-unverified) trust=1 ;;
        --sys-prefix) location=--sys-prefix ;;
        --force) force=1 ;;
        *)
            usage >&2
            exit 2
            ;;
    esac
    shift
done

if [ -n "$SHA256" ]; then
    [[ "$SHA256" =~ ^[0-9a-fA-F]{64}$ ]] || die "IJAVA_SHA256='$SHA256' is not a SHA-256"
elif [ "$trust" != 1 ]; then
    die "no checksum is known for ijava-$VERSION.zip, so it cannot be verified: refusing to install it." \
        "Set IJAVA_SHA256 to its SHA-256, or pass --trust-unverified (make setup KERNEL=ijava IJAVA_FLAGS=--trust-unverified)"
fi
command -v unzip >/dev/null 2>&1 || die "unzip is not installed"
command -v curl >/dev/null 2>&1 || die "curl is not installed"

work="$(mktemp -d "${TMPDIR:-/tmp}/oodlab-ijava.XXXXXX")"
trap 'rm -rf "$work"' EXIT
zip="$work/ijava-$VERSION.zip"
say "downloading $URL"
curl -fsSL --retry "${OODLAB_DOWNLOAD_RETRIES:-3}" -o "$zip.part" "$URL" || die "download of $URL failed"
got="$(sha256sum "$zip.part" | cut -d' ' -f1)"
if [ -n "$SHA256" ]; then
    [ "$got" = "${SHA256,,}" ] || die "ijava-$VERSION.zip: SHA-256 mismatch: expected ${SHA256,,}, got $got"
    say "ijava-$VERSION.zip: SHA-256 verified"
else
    say "WARNING: ijava-$VERSION.zip is NOT verified (--trust-unverified); its SHA-256 is $got"
fi
mv "$zip.part" "$zip"

# Layout check, before anything is unpacked.
names="$(unzip -Z1 "$zip" 2>/dev/null)" || die "ijava-$VERSION.zip is not a readable zip"
bad="$(printf '%s\n' "$names" | grep -E '^/|(^|/)\.\.(/|$)|\\' | head -n 3 || true)"
[ -z "$bad" ] || die "ijava-$VERSION.zip: refusing it: members with an absolute path or '..':" $bad
grep -qx 'install.py' <<<"$names" || die "ijava-$VERSION.zip has no install.py at its top: not an IJava release"
grep -qx 'java/kernel.json' <<<"$names" || die "ijava-$VERSION.zip has no java/kernel.json: not an IJava release"
jar="$(printf '%s\n' "$names" | grep -E '^java/[^/]+\.jar$' | head -n 1 || true)"
[ -n "$jar" ] || die "ijava-$VERSION.zip has no kernel jar java/*.jar: not an IJava release"
say "ijava-$VERSION.zip has the expected layout (install.py, java/kernel.json, $jar)"
if [ "$check_only" = 1 ]; then
    say "--check-only: nothing installed"
    exit 0
fi

python=/usr/bin/python3
"$python" -c 'import jupyter_client' 2>/dev/null || python=python3
"$python" -c 'import jupyter_client' 2>/dev/null || die "jupyter_client is not installed for python3 (run 'make setup' or install Jupyter)"
jupyter=/usr/bin/jupyter
[ -x "$jupyter" ] || jupyter="$(command -v jupyter || true)"
if [ -n "$jupyter" ] && [ "$force" = 0 ]; then
    existing="$("$jupyter" kernelspec list --json 2>/dev/null \
        | "$python" -c 'import json,sys; d=json.load(sys.stdin)["kernelspecs"]; print(d["java"]["resource_dir"] if "java" in d else "")' 2>/dev/null || true)"
    if [ -n "$existing" ] && ! grep -q '"oodlab"' "$existing/kernel.json" 2>/dev/null; then
        say "a 'java' kernelspec already exists in $existing (not oodlab's); keeping it (--force replaces it)"
        exit 0
    fi
fi

mkdir -p "$work/unpacked"
unzip -q "$zip" -d "$work/unpacked" || die "unpacking ijava-$VERSION.zip failed"
out="$(cd "$work/unpacked" && "$python" install.py "$location" --replace)" || die "IJava's install.py failed"
printf '%s\n' "$out" >&2
kdir="$(printf '%s\n' "$out" | sed -n 's/^Installed java kernel into "\(.*\)"$/\1/p' | tail -n 1)"
if [ -z "$kdir" ] && [ -n "$jupyter" ]; then
    kdir="$("$jupyter" kernelspec list --json 2>/dev/null \
        | "$python" -c 'import json,sys; print(json.load(sys.stdin)["kernelspecs"]["java"]["resource_dir"])' 2>/dev/null || true)"
fi
[ -n "$kdir" ] && [ -f "$kdir/kernel.json" ] || die "could not find the installed kernel.json (install.py said: $out)"

# JVM options for oodlab, and a mark that oodlab wrote this kernelspec (written to temp, renamed).
"$python" - "$kdir/kernel.json" "$VERSION" <<'PY' || die "could not add the JVM options to $kdir/kernel.json"
import json, os, sys
path, version = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
argv = spec["argv"]
opts = ["-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-Dai.djl.pytorch.num_interop_threads=1"]
i = 1 if argv and os.path.basename(argv[0]).startswith("java") else 0
spec["argv"] = argv[:i] + [o for o in opts if o not in argv] + argv[i:]
spec.setdefault("metadata", {}).update({"installed_by": "oodlab", "kernel": "IJava " + version})
with open(path + ".tmp", "w") as f:
    json.dump(spec, f, indent=2)
os.replace(path + ".tmp", path)
PY
say "kernelspec 'java' (IJava $VERSION) in $kdir"
