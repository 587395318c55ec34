#!/usr/bin/env python3
"""Reference scores for DetectorReferenceTest, computed independently with PyTorch.

Run from this folder with a Python that has torch and numpy (Debian: /usr/bin/python3 with
python3-torch):

    /usr/bin/python3 detectors.py > detectors.txt

The Java test reads the fixtures (the last layer W, b; labelled training features; test
features) and the expected scores from detectors.txt, so `make test` never needs Python. Each
line is `key value value ...`; matrices row after row.

Every detector is written here from its paper's formula (SPEC.md §3 "Modern baselines"), in
float64, on features h and logits f = W h + b; higher score = more in-distribution. The inputs are
drawn in float32 and printed exactly, so both sides start from the same numbers. The script
asserts that no score depends on how a tie is broken (top-k boundaries, DICE's threshold, ViM's
eigenvalue cut), since tie-breaking is not part of any paper's formula.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

K, D, PER_CLASS = 4, 20, 60
DEAD = D - 1  # a unit that never fires on the training set
gen = torch.Generator().manual_seed(20)


def f32(t):
    """Rounds to float32 and back, so the printed values are exactly the Java side's floats."""
    return t.float().double()


MEANS = torch.rand(K, D, generator=gen) * 2.0
TRAIN = torch.relu(MEANS.repeat_interleave(PER_CLASS, 0)
                   + 0.6 * torch.randn(K * PER_CLASS, D, generator=gen))
TRAIN[:, DEAD] = 0
TRAIN = f32(TRAIN)
LABELS = torch.arange(K).repeat_interleave(PER_CLASS)
W = f32(MEANS - MEANS.mean(0) + 0.3 * torch.randn(K, D, generator=gen))
B = f32(0.2 * torch.randn(K, generator=gen))

rows = []
for k in range(K):  # near each class
    rows.append(torch.relu(MEANS[k] + 0.6 * torch.randn(D, generator=gen)))
for scale in (3.0, 6.0):  # far, dense
    rows.append(torch.rand(D, generator=gen) * scale)
for _ in range(2):  # eight active units
    r = torch.zeros(D)
    idx = torch.randperm(D - 1, generator=gen)[:8]
    r[idx] = 0.5 + 2.5 * torch.rand(8, generator=gen)
    rows.append(r)
rows.append(torch.zeros(D))  # nothing fires
rows.append(MEANS[1] * 0.1)  # a faint class-1 pattern
lit = torch.relu(MEANS[2] + 0.6 * torch.randn(D, generator=gen))
lit[DEAD] = 2.5  # the dead unit fires
rows.append(lit)
rows.append(torch.rand(D, generator=gen) * 12.0)  # very far
TEST = f32(torch.stack(rows))
TEST[:10, DEAD] = 0  # the last two rows light up the dead unit


def logits(h):
    return h @ W.T + B


def energy(f):
    return torch.logsumexp(f, dim=1)


def percentile(values, q):
    """numpy's default (linear interpolation between closest ranks)."""
    return float(np.percentile(values.numpy().ravel(), q))


def kept_count(n, p):
    # ASH/SCALE keep n - round(n p / 100) values; numpy rounds half to even
    return n - int(np.round(n * p / 100.0))


def top_mask(h, k):
    """1 for the k largest values of each row (no tie at the boundary, asserted)."""
    s, _ = torch.sort(h, dim=1, descending=True)
    kth = s[:, k - 1:k]
    if k < h.shape[1]:
        nxt = s[:, k:k + 1]
        zero_row = (s[:, :1] == 0)
        assert bool(((kth > nxt) | zero_row).all()), "tie at the top-k boundary"
    return (h >= kth).double()


def max_softmax(h):
    return F.softmax(logits(h), dim=1).max(dim=1).values


def max_logit(h):
    return logits(h).max(dim=1).values


def kl_matching(h):
    p_train = F.softmax(logits(TRAIN), dim=1)
    pred = p_train.argmax(dim=1)
    templates = torch.stack([p_train[pred == k].mean(0) for k in range(K)])
    assert all(int((pred == k).sum()) > 0 for k in range(K))
    p = F.softmax(logits(h), dim=1)
    # KL(p || d_k) = sum_j p_j (log p_j - log d_kj)
    kl = (p[:, None, :] * (p.log()[:, None, :] - templates.log()[None, :, :])).sum(2)
    return -kl.min(dim=1).values


def gen_score(h, gamma=0.1, m=None):
    m = min(100, K) if m is None else m
    p = F.softmax(logits(h), dim=1)
    top = torch.sort(p, dim=1, descending=True).values[:, :m]
    return -(top ** gamma * (1 - top) ** gamma).sum(1)


def react(h, q=90):
    c = percentile(TRAIN, q)
    return energy(logits(torch.clamp(h, max=c)))


def ash(h, variant, p):
    k = kept_count(D, p)
    mask = top_mask(h, k)
    s1 = h.sum(1, keepdim=True)
    if variant == "p":
        shaped = h * mask
    elif variant == "b":
        shaped = mask * s1 / k
    else:
        s2 = (h * mask).sum(1, keepdim=True)
        ratio = torch.where(s2 == 0, torch.zeros_like(s1), s1 / torch.where(s2 == 0, 1, s2))
        shaped = h * mask * torch.exp(ratio)
    return energy(logits(shaped))


def scale(h, p=85):
    k = kept_count(D, p)
    s1 = h.sum(1, keepdim=True)
    s2 = (h * top_mask(h, k)).sum(1, keepdim=True)
    ratio = torch.where(s2 == 0, torch.zeros_like(s1), s1 / torch.where(s2 == 0, 1, s2))
    return energy(logits(h * torch.exp(ratio)))


def dice(h, p=0.9):
    contrib = TRAIN.mean(0)[None, :] * W
    thresh = percentile(contrib, 100 * p)
    assert bool(((contrib - thresh).abs() > 1e-9).all()), "a contribution at DICE's threshold"
    mask = (contrib > thresh).double()
    return energy(h @ (W * mask).T + B)


def knn(h, k=50):
    def normed(x):
        return x / (x.norm(dim=1, keepdim=True) + 1e-10)

    dist = torch.cdist(normed(h), normed(TRAIN))
    return -torch.sort(dist, dim=1).values[:, k - 1]


def vim(h, dim=None):
    dim = D // 2 if dim is None else dim
    o = -torch.linalg.pinv(W) @ B
    x = TRAIN - o
    cov = x.T @ x / x.shape[0]
    vals, vecs = torch.linalg.eigh(cov)
    order = torch.argsort(vals, descending=True)
    vals, vecs = vals[order], vecs[:, order]
    assert float(vals[dim - 1] - vals[dim]) > 1e-6 * float(vals[0]), "ViM: tied eigenvalues"
    p = vecs[:, :dim]
    residual = torch.eye(D) - p @ p.T

    def r(z):
        return ((z - o) @ residual.T).norm(dim=1)

    alpha = logits(TRAIN).max(dim=1).values.mean() / r(TRAIN).mean()
    return energy(logits(h)) - alpha * r(h)


def gradnorm(h):
    """||d KL(u || softmax(W h + b)) / dW||_1 by autograd, one sample at a time."""
    out = []
    for row in h:
        w = W.clone().requires_grad_(True)
        f = w @ row + B
        u = torch.full((K,), 1.0 / K)
        kl = (u * (u.log() - F.log_softmax(f, dim=0))).sum()
        (g,) = torch.autograd.grad(kl, w)
        out.append(g.abs().sum())
    return torch.stack(out)


def class_gaussians():
    mu = torch.stack([TRAIN[LABELS == k].mean(0) for k in range(K)])
    centred = TRAIN - mu[LABELS]
    sigma = centred.T @ centred / TRAIN.shape[0]
    return mu, torch.linalg.pinv(sigma, hermitian=True)


def squared_distances(h, mu, precision):
    d = h[:, None, :] - mu[None, :, :]
    return torch.einsum("nkd,de,nke->nk", d, precision, d)


def mahalanobis(h):
    mu, precision = class_gaussians()
    return (-0.5 * squared_distances(h, mu, precision)).max(dim=1).values


def relative_mahalanobis(h):
    mu, precision = class_gaussians()
    mu0 = TRAIN.mean(0)
    c0 = TRAIN - mu0
    precision0 = torch.linalg.pinv(c0.T @ c0 / TRAIN.shape[0], hermitian=True)
    md = squared_distances(h, mu, precision)
    md0 = squared_distances(h, mu0[None, :], precision0)
    return -(md - md0).min(dim=1).values


SCORES = {
    "msp": max_softmax(TEST),
    "energy": energy(logits(TEST)),
    "maxlogit": max_logit(TEST),
    "kl-matching": kl_matching(TEST),
    "gen": gen_score(TEST),
    "gen_gamma0.5_m2": gen_score(TEST, gamma=0.5, m=2),
    "react": react(TEST),
    "react_p80": react(TEST, q=80),
    "ash-p": ash(TEST, "p", 90),
    "ash-b": ash(TEST, "b", 90),
    "ash-s": ash(TEST, "s", 90),
    "ash-p_p65": ash(TEST, "p", 65),
    "ash-b_p72.5": ash(TEST, "b", 72.5),  # n p / 100 = 14.5: rounds to 14, keeps 6
    "ash-s_p65": ash(TEST, "s", 65),
    "scale": scale(TEST),
    "scale_p65": scale(TEST, 65),
    "dice": dice(TEST),
    "dice_p0.5": dice(TEST, 0.5),
    "knn": knn(TEST),
    "knn_k1": knn(TEST, 1),
    "vim": vim(TEST),
    "vim_d4": vim(TEST, 4),
    "gradnorm": gradnorm(TEST),
    "mahalanobis": mahalanobis(TEST),
    "rmd": relative_mahalanobis(TEST),
}


def line(key, values):
    return key + " " + " ".join(repr(float(v)) for v in values.reshape(-1))


print(f"# generated by detectors.py (PyTorch {torch.__version__}, numpy {np.__version__});"
      " do not edit")
print(f"K {K}")
print(f"D {D}")
print(line("W", W))
print(line("B", B))
print(line("TRAIN", TRAIN))
print(line("LABELS", LABELS))
print(line("TEST", TEST))
for name, values in SCORES.items():
    assert bool(torch.isfinite(values).all()), name
    print(line("SCORE_" + name, values))
