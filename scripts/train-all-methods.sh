#!/usr/bin/env bash
# Trains every training method of `oodlab train` on Fashion-MNIST (LeNet, MNIST / uniform / Gaussian
# as OOD sets) through the command line, one run per method, and prints a Markdown table of the
# results.json files: test accuracy, AUROC and FPR@95TPR per OOD set, resident-memory growth from
# epoch 2 to the last epoch, training time.
#
#   scripts/train-all-methods.sh [--epochs N] [--seed S] [--out DIR] [--methods a,b,...] [-- extra train options]
#
# Defaults: 5 epochs, seed 42, out build/train-all, the seven methods of the OOD lessons (add
# smoothmix with --methods; it is about 15x slower per epoch than ce). Each run's folder is DIR/<method>;
# a run whose results.json exists is not repeated (delete the folder to redo it).
set -euo pipefail
cd "$(dirname "$0")/.."

epochs=5
seed=42
out=build/train-all
methods=ce,confidence-loss,mixup,mixup-confidence,adversarial-mixup,m-tlat,gaussian
extra=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --epochs) epochs="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --methods) methods="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "train-all-methods: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

mkdir -p "$out"
IFS=, read -r -a list <<< "$methods"
for m in "${list[@]}"; do
    if [[ -f "$out/$m/results.json" ]]; then
        echo "== $m: $out/$m/results.json exists, kept" >&2
        continue
    fi
    echo "== $m" >&2
    ./oodlab train --method "$m" --dataset fashion-mnist --model lenet --epochs "$epochs" \
        --seed "$seed" --ood mnist,uniform,gaussian --quiet --out "$out/$m" "${extra[@]}" > /dev/null
done

python3 - "$out" "${list[@]}" <<'PY'
import json, os, sys
out, methods = sys.argv[1], sys.argv[2:]
sets = ["mnist", "uniform", "gaussian"]
print("| method | epochs | test acc. | " + " | ".join(f"AUROC {s}" for s in sets) + " | "
      + " | ".join(f"FPR@95 {s}" for s in sets) + " | RSS epoch 2 → last | train s |")
print("|" + " --- |" * (4 + 2 * len(sets) + 1))
for m in methods:
    with open(os.path.join(out, m, "results.json")) as f:
        r = json.load(f)
    h = r.get("history", [])
    growth = "n/a"
    if len(h) >= 3:
        a, b = h[1]["rss_mb"], h[-1]["rss_mb"]
        growth = f"{a:.0f} → {b:.0f} MB ({100 * (b - a) / a:+.2f} %)"
    cells = [m, str(r["epochs"]), f"{100 * r['test_accuracy']:.2f} %"]
    cells += [f"{100 * r['ood'][s]['auroc']:.1f}" for s in sets]
    cells += [f"{100 * r['ood'][s]['fpr_at_95_tpr']:.1f}" for s in sets]
    cells += [growth, f"{r.get('training_seconds', float('nan')):.0f}"]
    print("| " + " | ".join(cells) + " |")
PY
