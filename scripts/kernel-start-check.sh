#!/usr/bin/env bash
# Starts the notebook kernel N times in a row and counts the starts that never answer.
#   scripts/kernel-start-check.sh N [--timeout S] [--kernel NAME] [--out DIR]
#       a fresh kernel from the kernelspec each time (jupyter_client, as nbconvert uses it), one
#       trivial cell; a hung start's thread dump (jstack) and each kernel's log go to DIR
#       (default build/kernel-start-check)
#   scripts/kernel-start-check.sh N --run-notebooks [--out DIR]
#       the same through scripts/run-notebooks.sh itself: a one-cell notebook executed N times,
#       its summary counts the kernel start retries
# Exit status 1 when any start hung.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
    ""|-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; [ -n "${1:-}" ]; exit ;;
esac
cd "$root"
if [ "${2:-}" = "--run-notebooks" ]; then
    n="$1"
    out="build/kernel-start-check"
    [ "${3:-}" = "--out" ] && out="${4:?--out needs a folder}"
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "kernel-start-check: N must be a positive number of starts" >&2; exit 2; }
    mkdir -p "$out"
    nb="$out/one-cell.ipynb"
    cat > "$nb" <<'JSON'
{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["1 + 1"]}],
 "metadata": {"kernelspec": {"display_name": "Java", "language": "java", "name": "java"}},
 "nbformat": 4, "nbformat_minor": 5}
JSON
    nbs=()
    for _ in $(seq "$n"); do nbs+=("$nb"); done
    log="$out/run-notebooks.log"
    status=0
    scripts/run-notebooks.sh "$out/executed" "${nbs[@]}" | tee "$log" || status=$?
    retries="$(sed -n 's/.* \([0-9]*\) kernel start retries.*/\1/p' "$log" | tail -1)"
    echo "kernel starts through run-notebooks.sh: $n notebook runs, kernel start retries: ${retries:-?}"
    [ "$status" = 0 ] && [ "${retries:-1}" = 0 ]
    exit
fi
# jupyter_client of the jupyter that run-notebooks.sh uses (Debian's first, as there).
py=/usr/bin/python3
if [ ! -x /usr/bin/jupyter ] || [ ! -x "$py" ]; then py="$(command -v python3)"; fi
"$py" -c 'import jupyter_client' 2>/dev/null \
    || { echo "kernel-start-check: jupyter_client is not installed: run 'make setup'" >&2; exit 1; }
exec "$py" "$root/scripts/kernel_start_check.py" "$@"
