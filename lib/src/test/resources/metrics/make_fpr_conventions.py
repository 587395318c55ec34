#!/usr/bin/env python3
"""Writes fpr_conventions.json: FPR@95TPR as three reference repositories compute it.

Run once, from this directory, with a Python that has numpy, and commit both this script and
its output (the Java test dev.oodlab.metrics.FprConventionAgreementTest reads the JSON; `make
test` never runs Python):

    python3 make_fpr_conventions.py

The score sets are those of reference.json (written by make_reference.py) plus six cases
chosen for these conventions; every input is stored in the output, so the Java side needs no
random generator that matches numpy's.

Each function below follows its repository's loop statement by statement (our transcription,
not their code), in-distribution scores X, OOD scores Y, higher = more in-distribution:

  odin         facebookresearch/odin, code/calMetric.py, tpr95(): delta over
               np.arange(start, end, gap), gap = (end - start) / 100000; tpr = mean(X >= delta),
               fpr = mean(Y > delta); average fpr over the deltas with 0.9495 <= tpr <= 0.9505.
               The repository fixes start/end per score type (0.1 and 1 for CIFAR-10 softmax);
               here, as in the library, start = the smallest and end = the largest score. No
               delta in range: the code divides 0.0 by 0.0 (a ZeroDivisionError) -> null.
  lee          alinlab/Confident_classifier, src/calculate_log.py, tpr95(): the same loop with
               start = min, end = max over both sets, gap = (end - start) / 200000, and the
               range 0.94 <= tpr <= 0.96; no delta in range: 1 ("corner case").
  mahalanobis  pokaxpoka/deep_Mahalanobis_detector, calculate_log.py, get_curve(): no grid.
               Both sets sorted ascending and walked together from the bottom: at each step the
               smaller score leaves (an in-distribution score first when the two are equal), the
               counts (tp, fp) of what is left give one point; the point nearest TPR 0.95,
               np.abs(tp / n_in - .95).argmin() (the first such point), gives
               TNR = 1 - fp / n_out. We store fpr = fp / n_out and the code's tnr.

When every score is equal, end - start = 0 and np.arange fails (step 0) in both grid
conventions: null.
"""
import json
import platform

import numpy as np


def grid_average(x, y, steps, low, high, empty_value):
    end = np.max([np.max(x), np.max(y)])
    start = np.min([np.min(x), np.min(y)])
    if end == start:
        return None, 0  # np.arange(start, end, 0.0) raises ZeroDivisionError
    gap = (end - start) / steps
    total = 0.0
    fpr = 0.0
    for delta in np.arange(start, end, gap):
        tpr = np.sum(np.sum(x >= delta)) / float(len(x))
        error2 = np.sum(np.sum(y > delta)) / float(len(y))
        if tpr <= high and tpr >= low:
            fpr += error2
            total += 1
    if total == 0:
        return empty_value, 0
    return float(fpr / total), int(total)


def odin(x, y):
    return grid_average(x, y, 100000, 0.9495, 0.9505, None)


def lee(x, y):
    return grid_average(x, y, 200000, 0.94, 0.96, 1.0)


def mahalanobis(x, y):
    known = np.array(x, dtype=np.float64)
    novel = np.array(y, dtype=np.float64)
    known.sort()
    novel.sort()
    num_k = known.shape[0]
    num_n = novel.shape[0]
    tp = -np.ones([num_k + num_n + 1], dtype=int)
    fp = -np.ones([num_k + num_n + 1], dtype=int)
    tp[0], fp[0] = num_k, num_n
    k, n = 0, 0
    for step in range(num_k + num_n):
        if k == num_k:
            tp[step + 1:] = tp[step]
            fp[step + 1:] = np.arange(fp[step] - 1, -1, -1)
            break
        elif n == num_n:
            tp[step + 1:] = np.arange(tp[step] - 1, -1, -1)
            fp[step + 1:] = fp[step]
            break
        elif novel[n] < known[k]:
            n += 1
            tp[step + 1] = tp[step]
            fp[step + 1] = fp[step] - 1
        else:
            k += 1
            tp[step + 1] = tp[step] - 1
            fp[step + 1] = fp[step]
    position = np.abs(tp / num_k - .95).argmin()
    return float(fp[position] / num_n), float(1. - fp[position] / num_n)


def case(name, s_in, s_out):
    x = np.asarray(s_in, dtype=np.float64)
    y = np.asarray(s_out, dtype=np.float64)
    odin_fpr, odin_count = odin(x, y)
    lee_fpr, lee_count = lee(x, y)
    maha_fpr, maha_tnr = mahalanobis(x, y)
    return {
        "name": name,
        "in": x.tolist(),
        "out": y.tolist(),
        "expected": {
            "odin": odin_fpr,
            "odin_thresholds_in_range": odin_count,
            "lee": lee_fpr,
            "lee_thresholds_in_range": lee_count,
            "mahalanobis": maha_fpr,
            "mahalanobis_tnr": maha_tnr,
        },
    }


def main():
    with open("reference.json") as f:
        reference = json.load(f)
    cases = [case(c["name"], c["in"], c["out"]) for c in reference["ood"]]
    rng = np.random.RandomState(20250117)
    # 2000 distinct in-distribution scores: every TPR count near 95 % is met by grid thresholds,
    # so the inclusive ends 1899/2000 = 0.9495 and 1901/2000 = 0.9505 count.
    a = np.round(rng.normal(2.0, 1.0, 2000), 6)
    b = np.round(rng.normal(0.0, 1.5, 1000), 6)
    cases.append(case("continuous_2000_in", a, b))
    # max-softmax-like float32 scores crowded near 1, widened to double as oodlab does.
    a = rng.beta(8, 1, 1500).astype(np.float32).astype(np.float64)
    b = rng.beta(3, 2, 900).astype(np.float32).astype(np.float64)
    cases.append(case("msp_float32_1500_in", a, b))
    # n_in = 50: |48/50 - .95| and |47/50 - .95| differ only in the last bits.
    a = np.round(rng.uniform(0.3, 1.0, 50), 3)
    b = np.round(rng.uniform(0.0, 0.7, 60), 3)
    cases.append(case("fifty_in_overlapping", a, b))
    # Every score a point of one of the two grids (start 0.1 and end 2.3 are scores): a grid
    # threshold equal to a score tells >= from > and the numpy grid formula from start + i * gap.
    lee_grid = np.arange(0.1, 2.3, (2.3 - 0.1) / 200000)
    odin_grid = np.arange(0.1, 2.3, (2.3 - 0.1) / 100000)
    a = np.r_[lee_grid[rng.randint(1, 40000, 1000)], odin_grid[rng.randint(1, 20000, 1000)]]
    b = np.r_[lee_grid[rng.randint(1, 200000, 600)], odin_grid[rng.randint(1, 100000, 400)]]
    cases.append(case("scores_on_the_grid", np.r_[a[:-2], 0.1, 2.3], b))
    # 19 of 20 in-distribution scores at the maximum: the band runs up to the grid's last point,
    # and from 0.05 to 1.0 numpy's arange has 200001 points for 200000 steps, the last below 1.
    a = np.r_[np.full(19, 1.0), 0.05]
    b = np.round(rng.uniform(0.05, 1.0, 300), 4)
    cases.append(case("top_heavy", a, b))
    # n_in = 50: |47/50 - .95| == |48/50 - .95| in doubles; argmin takes 48, and OOD scores
    # between the second and the third smallest in-distribution score tell the two apart.
    a = np.r_[0.10, 0.20, 0.30, np.round(rng.uniform(0.4, 1.0, 47), 3)]
    b = np.r_[0.21, 0.25, 0.29, np.round(rng.uniform(0.0, 0.6, 40), 3)]
    cases.append(case("fifty_in_tied_nearest", a, b))
    out = {
        "generated_by": "make_fpr_conventions.py",
        "env": {"python": platform.python_version(), "numpy": np.__version__},
        "ood": cases,
    }
    with open("fpr_conventions.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for c in cases:
        e = c["expected"]
        print(f"{c['name']:26s} odin {e['odin']} ({e['odin_thresholds_in_range']}) "
              f"lee {e['lee']} ({e['lee_thresholds_in_range']}) "
              f"mahalanobis {e['mahalanobis']}")


if __name__ == "__main__":
    main()
