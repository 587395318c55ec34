#!/usr/bin/env bash
# Executes notebooks headless into an output folder, as executed .ipynb and .html.
#   scripts/run-notebooks.sh OUTDIR [NOTEBOOK ...]      (default: every notebooks/*.ipynb)
# OODLAB_QUICK=1 makes the notebooks shrink their work. A failing cell fails the run.
# The committed notebooks are never overwritten. OUTDIR/timings.tsv gets one line per notebook:
# name, wall seconds (kernel starts and the HTML export included), attempts, ok or FAILED.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: scripts/run-notebooks.sh OUTDIR [NOTEBOOK ...]}"
shift
if [ "$#" -gt 0 ]; then nbs=("$@"); else nbs=("$root"/notebooks/*.ipynb); fi
jupyter=/usr/bin/jupyter
[ -x "$jupyter" ] || jupyter="$(command -v jupyter)" || { echo "jupyter is not installed: run 'make setup'" >&2; exit 1; }
timeout="${NOTEBOOK_CELL_TIMEOUT:-3600}"
# The Java kernel answers within 2-7 s of its start, also on a 2-core machine with a load of 12
# (scripts/kernel-start-check.sh); 30 s is ample and bounds what a start that never answers costs.
startup="${NOTEBOOK_STARTUP_TIMEOUT:-30}"
mkdir -p "$out"
failed=0
retries=0
printf 'notebook\tseconds\tattempts\tstatus\n' > "$out/timings.tsv"
for nb in "${nbs[@]}"; do
    name="$(basename "$nb" .ipynb)"
    start=$(date +%s.%N)
    echo "notebook $name: executing${OODLAB_QUICK:+ (quick mode)} ..."
    tmp="$out/.$name.running.ipynb"
    rm -f "$out/$name".attempt-*.log
    # A guard: a run whose kernel never answered (not a failing cell) is retried up to five times and
    # counted. rapaio-jupyter-kernel 3.0.1 did not answer 1 start in 12 (on a busy machine 1 in 3)
    # until scripts/install-kernel.sh fixed its start races (scripts/kernel-fix/LoopThread.java);
    # a retry now means a new cause: the failed attempt's log is kept as $name.attempt-N.log.
    attempt=1
    while :; do
        if "$jupyter" nbconvert --to notebook --execute \
            --ExecutePreprocessor.kernel_name=java \
            --ExecutePreprocessor.timeout="$timeout" \
            --ExecutePreprocessor.startup_timeout="$startup" \
            --output-dir "$out" --output ".$name.running" "$nb" >"$out/$name.log" 2>&1; then
            ok=1
            break
        fi
        ok=0
        if [ "$attempt" -lt 6 ] && grep -q -E "Kernel didn't respond|Kernel died before replying|RuntimeError: Kernel" "$out/$name.log"; then
            echo "notebook $name: the kernel did not start (attempt $attempt, log $out/$name.attempt-$attempt.log); retrying"
            cp "$out/$name.log" "$out/$name.attempt-$attempt.log"
            attempt=$((attempt + 1))
            retries=$((retries + 1))
            continue
        fi
        break
    done
    if [ "$ok" = 1 ]; then
        mv -f "$tmp" "$out/$name.ipynb"
        "$jupyter" nbconvert --to html --output-dir "$out" "$out/$name.ipynb" >>"$out/$name.log" 2>&1
        secs="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
        printf '%s\t%s\t%s\tok\n' "$name" "$secs" "$attempt" >> "$out/timings.tsv"
        echo "notebook $name: ok in $secs s"
    else
        rm -f "$tmp"
        secs="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
        printf '%s\t%s\t%s\tFAILED\n' "$name" "$secs" "$attempt" >> "$out/timings.tsv"
        echo "notebook $name: FAILED after $secs s; last lines of $out/$name.log:"
        grep -v -E '^\[20[0-9-]+ [0-9:]+\] \[(INFO|DEBUG)' "$out/$name.log" | tail -40
        failed=$((failed + 1))
    fi
done
echo "notebooks: ${#nbs[@]} run, $failed failed, $retries kernel start retries; outputs in $out"
[ "$failed" = 0 ]
