#!/usr/bin/python3
"""Writes reference.json: OOD-metric and calibration reference values from scikit-learn / numpy.

Run once, from this directory, with a Python that has numpy and scikit-learn (Debian:
python3-numpy python3-sklearn), and commit both this script and its output:

    /usr/bin/python3 make_reference.py

The Java tests (dev.oodlab.metrics.ScikitLearnAgreementTest, CalibrationTest) read
reference.json; `make test` never runs Python. Every input score is stored in the file, so the
Java side needs no random generator that matches numpy's.

Reference definitions (in-distribution = positive class = label 1, higher score = more "in"):
  auroc          sklearn.metrics.roc_auc_score(y, s)
  aupr_in        sklearn.metrics.average_precision_score(y, s)
  aupr_out       sklearn.metrics.average_precision_score(1 - y, -s)
  fpr_at_tpr[t]  fpr[argmax(tpr >= t)] of roc_curve(y, s, drop_intermediate=False)
  fpr_at_95_tpr_sklearn_default
                 the same on roc_curve's default curve (drop_intermediate=True); it differs
                 from the definition when the 95 % point lies inside a straight run of the
                 curve, which the "collinear_ties" case shows
  fpr_at_95_tpr_ood_positive
                 fpr[argmax(tpr >= 0.95)] of roc_curve(1 - y, -s, drop_intermediate=False)
  detection_error  min over the points of that curve of 0.5 * (1 - tpr) + 0.5 * fpr
  roc            roc_curve(y, s, drop_intermediate=False) (first threshold dropped: it is
                 max + 1 in this scikit-learn version, +inf in later ones)
  pr_in / pr_out precision_recall_curve(y, s) / (1 - y, -s)
  f1             sklearn.metrics.f1_score of the prediction "in" iff s > delta, positive class
                 in (labels y) or out (labels 1 - y, prediction s <= delta)
  calibration    ECE with 15 equal-width bins (lo, hi], bin edges numpy.linspace(0, 1, 16),
                 as in Guo et al. 2017's reference code, written out here with numpy
"""
import json
import platform

import numpy as np
import sklearn
from sklearn.metrics import (average_precision_score, f1_score, precision_recall_curve,
                             roc_auc_score, roc_curve)

TPR_TARGETS = [0.0, 0.5, 0.8, 0.95, 0.99, 1.0]


def fpr_at(fpr, tpr, target):
    return float(fpr[np.argmax(tpr >= target)])


def ood_case(name, s_in, s_out, deltas):
    s_in = np.asarray(s_in, dtype=np.float64)
    s_out = np.asarray(s_out, dtype=np.float64)
    y = np.r_[np.ones(len(s_in)), np.zeros(len(s_out))].astype(int)
    s = np.r_[s_in, s_out]
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=False)
    fpr_d, tpr_d, _ = roc_curve(y, s)
    fpr_o, tpr_o, _ = roc_curve(1 - y, -s, drop_intermediate=False)
    p_in, r_in, t_in = precision_recall_curve(y, s)
    p_out, r_out, t_out = precision_recall_curve(1 - y, -s)
    f1 = []
    for d in deltas:
        pred_in = (s > d).astype(int)
        f1.append({"delta": float(d),
                   "in": float(f1_score(y, pred_in, zero_division=0)),
                   "out": float(f1_score(1 - y, 1 - pred_in, zero_division=0))})
    return {
        "name": name,
        "in": s_in.tolist(),
        "out": s_out.tolist(),
        "expected": {
            "auroc": float(roc_auc_score(y, s)),
            "aupr_in": float(average_precision_score(y, s)),
            "aupr_out": float(average_precision_score(1 - y, -s)),
            "fpr_at_95_tpr": fpr_at(fpr, tpr, 0.95),
            "fpr_at_95_tpr_sklearn_default": fpr_at(fpr_d, tpr_d, 0.95),
            "fpr_at_95_tpr_ood_positive": fpr_at(fpr_o, tpr_o, 0.95),
            "detection_error": float(np.min(0.5 * (1 - tpr) + 0.5 * fpr)),
            "fpr_at_tpr": [{"tpr": t, "fpr": fpr_at(fpr, tpr, t)} for t in TPR_TARGETS],
            "roc": {"thresholds": thr[1:].tolist(), "fpr": fpr.tolist(), "tpr": tpr.tolist()},
            # reversed so that recall grows, as oodlab returns them; thresholds of pr_out are
            # thresholds on -s
            "pr_in": {"thresholds": t_in[::-1].tolist(), "precision": p_in[::-1].tolist(),
                      "recall": r_in[::-1].tolist()},
            "pr_out": {"thresholds": t_out[::-1].tolist(), "precision": p_out[::-1].tolist(),
                       "recall": r_out[::-1].tolist()},
            "f1": f1,
        },
    }


def calibration_case(name, probs, labels):
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1).astype(np.float64)
    correct = probs.argmax(axis=1) == labels
    edges = np.linspace(0, 1, 16)
    ece, count, acc, mean_conf = 0.0, [], [], []
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (conf > lo) & (conf <= hi)
        n = int(in_bin.sum())
        count.append(n)
        if n > 0:
            a = float(correct[in_bin].mean())
            c = float(conf[in_bin].mean())
            ece += n / len(conf) * abs(a - c)
            acc.append(a)
            mean_conf.append(c)
        else:
            acc.append(None)
            mean_conf.append(None)
    return {
        "name": name,
        "num_classes": probs.shape[1],
        "probabilities": probs.reshape(-1).tolist(),
        "labels": np.asarray(labels).tolist(),
        "expected": {"ece": ece, "count": count, "accuracy": acc, "confidence": mean_conf},
    }


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def main():
    rng = np.random.RandomState(20240601)
    cases = []
    cases.append(ood_case("worked_example", [0.9, 0.8, 0.7, 0.7, 0.6], [0.75, 0.7, 0.5, 0.4],
                          [0.65, 0.7, 0.75]))
    a = np.round(rng.normal(1.0, 1.0, 300), 1)
    b = np.round(rng.normal(0.0, 1.0, 200), 1)
    cases.append(ood_case("ties_one_decimal", a, b, [0.0, 0.5, 1.0]))
    a = np.round(rng.beta(5, 1, 400), 2)
    b = np.round(rng.beta(2, 2, 600), 2)
    cases.append(ood_case("msp_like_many_ties", a, b, [0.5, 0.9, 0.99]))
    a = np.round(rng.normal(1.0, 1.0, 1000), 2)
    b = np.round(rng.normal(0.0, 1.0, 7), 2)
    cases.append(ood_case("imbalance_few_out", a, b, [0.0, 1.0]))
    a = np.round(rng.normal(1.0, 1.0, 5), 2)
    b = np.round(rng.normal(0.0, 1.0, 1000), 2)
    cases.append(ood_case("imbalance_few_in", a, b, [0.0, 1.0]))
    cases.append(ood_case("perfect_separation", rng.uniform(1, 2, 50), rng.uniform(0, 1, 80),
                          [1.0, 0.5]))
    cases.append(ood_case("inverted_separation", rng.uniform(0, 1, 50), rng.uniform(1, 2, 80),
                          [1.0, 0.5]))
    cases.append(ood_case("all_equal", [0.5] * 10, [0.5] * 15, [0.5, 0.4]))
    cases.append(ood_case("one_each", [0.3], [0.7], [0.5]))
    v = np.arange(20) / 20.0
    cases.append(ood_case("collinear_ties", v, v, [0.5]))
    cases.append(ood_case("signed_zero_ties", [0.0, -0.0, 1.0], [-0.0, 0.0, -1.0], [0.0]))
    a = np.round(rng.normal(1.0, 1.0, 2000), 2)
    b = np.round(rng.normal(0.0, 1.0, 2000), 2)
    cases.append(ood_case("two_decimals_2000_each", a, b, [0.0, 0.5]))
    a = np.round(rng.normal(2.0, 1.0, 300), 6)
    b = np.round(rng.normal(0.0, 1.5, 150), 6)
    cases.append(ood_case("continuous_six_decimals", a, b, [0.0, 1.0]))

    calibration = []
    n, k = 1000, 10
    labels = rng.randint(0, k, n)
    logits = rng.normal(0, 1, (n, k)) * 2.0
    logits[np.arange(n), labels] += rng.uniform(0, 4, n)
    calibration.append(calibration_case("softmax_1000x10", np.round(softmax(logits), 4), labels))
    probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.5, 0.5], [0.99, 0.01]])
    calibration.append(calibration_case("small_2_classes", probs, np.array([0, 1, 1, 0, 1])))

    out = {
        "generated_by": "make_reference.py",
        "env": {"python": platform.python_version(), "numpy": np.__version__,
                "sklearn": sklearn.__version__},
        "ood": cases,
        "calibration": calibration,
    }
    with open("reference.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    for c in cases:
        e = c["expected"]
        print(f"{c['name']:28s} auroc {e['auroc']:.6f} aupr_in {e['aupr_in']:.6f} "
              f"aupr_out {e['aupr_out']:.6f} fpr95 {e['fpr_at_95_tpr']:.4f} "
              f"(sklearn default {e['fpr_at_95_tpr_sklearn_default']:.4f}) "
              f"fpr95_oodpos {e['fpr_at_95_tpr_ood_positive']:.4f} "
              f"det {e['detection_error']:.4f}")
    for c in calibration:
        print(f"{c['name']:28s} ece {c['expected']['ece']:.6f}")


if __name__ == "__main__":
    main()
