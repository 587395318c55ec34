#!/usr/bin/env bash
# Times the notebook series as `make notebooks` runs it: every notebook through
# scripts/run-notebooks.sh (a fresh kernel each, its start included) into OUTDIR, then writes
# OUTDIR/bench.md, a table of each notebook's wall time, its kernel start attempts and the training
# runs it loaded from the run cache, with the total and the conditions (cores, load, cache, mode).
#   scripts/bench-notebooks.sh [OUTDIR] [NOTEBOOK ...]     (default OUTDIR build/notebooks)
# OODLAB_QUICK=1 times the quick mode; OODLAB_CACHE=off times a run without the run cache.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
out="${1:-build/notebooks}"
[ "$#" -gt 0 ] && shift
load="$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo '?')"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
t0=$(date +%s.%N)
status=0
"$root/scripts/run-notebooks.sh" "$out" "$@" || status=$?
total="$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
[ -f "$out/timings.tsv" ] || { echo "bench-notebooks: no $out/timings.tsv was written" >&2; exit 1; }

# Training runs a notebook loaded from the run cache (the libraries' log line says so).
hits() {
    local nb="$out/$1.ipynb"
    [ -f "$nb" ] || { echo "-"; return; }
    grep -o 'loaded from the run cache' "$nb" | wc -l | tr -d ' '
}
cache="${OODLAB_CACHE:-on}"
case "${OODLAB_QUICK:-}" in 1|true|TRUE|True) mode=quick ;; *) mode=full ;; esac
{
    echo "# Notebook series timing"
    echo
    echo "\`scripts/bench-notebooks.sh\` ($(basename "$out")), started $started:" \
        "$(nproc) cores, 1-minute load average $load at the start," \
        "$mode mode, run cache $cache."
    echo
    echo "| notebook | wall s | kernel start attempts | runs from the cache | status |"
    echo "| --- | ---: | ---: | ---: | --- |"
    tail -n +2 "$out/timings.tsv" | while IFS=$'\t' read -r name secs attempts st; do
        echo "| $name | $secs | $attempts | $(hits "$name") | $st |"
    done
    sum="$(tail -n +2 "$out/timings.tsv" | awk -F'\t' '{ s += $2 } END { printf "%.1f", s }')"
    echo "| **all** (sum) | $sum | | | |"
    echo
    echo "Wall time of the whole run: $total s ($(awk -v t="$total" 'BEGIN { printf "%.1f", t / 60 }') min)."
} > "$out/bench.md"
cat "$out/bench.md"
exit "$status"
