#!/usr/bin/env python3
"""Reference values for TrainingMethodLossTest, computed independently with PyTorch.

Run from this folder with a Python that has torch (Debian: /usr/bin/python3, python3-torch):

    /usr/bin/python3 training_losses.py > training-losses.txt

The Java test reads the fixtures (weights, inputs, draws) and the expected losses from
training-losses.txt, so `make test` never needs Python. Each line is `key value value ...`.

The tiny model: flatten (1x2x2 -> 4), Linear(4, 5), ReLU, Linear(5, 3).
The draws each method takes from its RandomSource are fixed here and replayed by the test
in the same order (documented in each Java class).
"""
import math

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)  # reference in double; the Java side runs float32

K = 3
W1 = 2 * torch.tensor([[math.sin(1.0 + 4 * i + j) for j in range(4)] for i in range(5)])
B1 = torch.tensor([0.1 * math.cos(1.0 + i) for i in range(5)])
W2 = 3 * torch.tensor([[math.cos(2.0 + 5 * i + j) for j in range(5)] for i in range(K)])
B2 = torch.tensor([0.05 * (i - 1) for i in range(K)])
X = torch.tensor([[0.1, 0.9, 0.4, 0.7], [0.8, 0.2, 0.5, 0.3],
                  [0.05, 0.6, 0.95, 0.2], [0.5, 0.5, 0.1, 0.85]]).reshape(4, 1, 2, 2)
Y = torch.tensor([0, 1, 2, 1])
OUT = torch.tensor([[0.9, 0.95, 0.05, 0.1], [0.3, 0.3, 0.3, 0.3],
                    [0.0, 1.0, 0.2, 0.6]]).reshape(3, 1, 2, 2)
LAMBDA = 0.3
PERM = [2, 0, 3, 1]
OUT_PERM = [1, 2, 0]
TARGETS = [1, 2, 0, 1]
LAMBDA2 = 0.6
RHO_PERM = [1, 3, 0, 2]
SIGMA_PERM = [3, 1, 2, 0]  # pair 2's labels: (1, 1), (1, 1), (0, 2), (2, 0)
OTHER_DRAWS = [1, 0, 0, 0]  # 2, 2, 1, 1 classes to choose from
EPS = 0.1
BETA = 0.5
SIGMA = 0.5
gen = torch.Generator().manual_seed(7)
NOISE_G = torch.randn(4, 1, 2, 2, generator=gen) * SIGMA
M = 2
NOISE_S = torch.randn(M, 4, 1, 2, 2, generator=gen) * SIGMA
SM_LAMBDAS = [0.1, 0.4, 0.2, 0.3]
SM_STEPS, SM_ALPHA, SM_ETA, SM_EPOCH, SM_WARMUP = 2, 0.5, 2.0, 2, 10


def f(x):
    h = torch.relu(x.reshape(x.shape[0], -1) @ W1.T + B1)
    return h @ W2.T + B2


def onehot(y):
    return F.one_hot(torch.as_tensor(y), K).double()


def ce_soft(logits, t):
    return -(F.log_softmax(logits, 1) * t).sum(1)


def kl_u(logits):
    return -math.log(K) - F.log_softmax(logits, 1).mean(1)


def input_grad(x, loss_fn):
    x = x.detach().clone().requires_grad_(True)
    (g,) = torch.autograd.grad(loss_fn(x), x)
    return g


def fgsm(x, labels, eps, targeted=False):
    g = input_grad(x, lambda z: F.cross_entropy(f(z), torch.as_tensor(labels), reduction="sum"))
    step = -eps if targeted else eps
    return (x + step * g.sign()).clamp(0, 1)


out = {}
out["ce"] = ce_soft(f(X), onehot(Y)).mean()
lo = f(torch.cat([X, OUT]))
out["confidence-loss"] = ce_soft(lo[:4], onehot(Y)).mean() + BETA * kl_u(lo[4:]).mean()
xm = LAMBDA * X + (1 - LAMBDA) * X[PERM]
tm = LAMBDA * onehot(Y) + (1 - LAMBDA) * onehot(Y[PERM])
out["mixup"] = ce_soft(f(xm), tm).mean()
om = LAMBDA * OUT + (1 - LAMBDA) * OUT[OUT_PERM]
# Kim & Chung: the confidence loss on the clean batch plus the same two terms on the mixed pairs
# (separate forward passes here; the tiny model has no batch norm, so they equal one pass)
clean_conf = ce_soft(f(X), onehot(Y)).mean() + BETA * kl_u(f(OUT)).mean()
mixed_conf = ce_soft(f(xm), tm).mean() + BETA * kl_u(f(om)).mean()
out["mixup-confidence"] = clean_conf + mixed_conf
out["mixup-confidence-replacing"] = mixed_conf
# Adversarial-Mixup, each reading: x~ = lam*x_i + (1-lam)*x_j^adv, j = PERM[i] (shuffled) or i
# (same); loss lam*CE(p(x~), y_i) + (1-lam)*CE(p(x~), t_j), t_j = e_{y_j} (label) or u (uniform).
# Written as the two weighted terms of the paper's loss (3), not as one mixed label.
xadv = fgsm(X, Y, EPS)
u = torch.full((4, K), 1.0 / K)
for partner, j in (("shuffled", PERM), ("same", [0, 1, 2, 3])):
    xt = LAMBDA * X + (1 - LAMBDA) * xadv[j]
    lt = f(xt)
    for target, t in (("label", onehot(Y[j])), ("uniform", u)):
        loss = LAMBDA * ce_soft(lt, onehot(Y)) + (1 - LAMBDA) * ce_soft(lt, t)
        out["adversarial-mixup." + partner + "." + target] = loss.mean()
# M-TLAT: two mixup pairs in one loss. Pair 1 (x, x[PERM], LAMBDA) is trained as it is; pair 2
# (x[RHO_PERM], x[SIGMA_PERM], LAMBDA2) is attacked by targeted FGSM towards t and trained with
# its label moved by w = eps towards t. t from all K classes (TARGETS as drawn) or from the
# classes that are neither label of pair 2 (OTHER_DRAWS: the index among those classes in
# increasing order).
xm2 = LAMBDA2 * X[RHO_PERM] + (1 - LAMBDA2) * X[SIGMA_PERM]
tm2 = LAMBDA2 * onehot(Y[RHO_PERM]) + (1 - LAMBDA2) * onehot(Y[SIGMA_PERM])


def mtlat(targets):
    xadv = fgsm(xm2, targets, EPS, targeted=True)
    tadv = (1 - EPS) * tm2 + EPS * onehot(targets)
    return ce_soft(f(xm), tm).mean() + ce_soft(f(xadv), tadv).mean()


out["m-tlat.any"] = mtlat(TARGETS)
OTHER_TARGETS = [
    [c for c in range(K) if c not in (int(Y[RHO_PERM[i]]), int(Y[SIGMA_PERM[i]]))][d]
    for i, d in enumerate(OTHER_DRAWS)
]
out["m-tlat.other"] = mtlat(OTHER_TARGETS)
out["gaussian"] = ce_soft(f(X + NOISE_G), onehot(Y)).mean()


def smoothed(z):
    return torch.stack([F.softmax(f(z + NOISE_S[i]), 1) for i in range(M)]).mean(0)


def smoothmix(one_step):
    # jh-jeong/smoothmix code/train.py: the one-step adversary (mix_step = 1) keeps the iterate
    # reached at the start of step 1 and projects it onto the L2 ball of radius
    # warmup_v * alpha * mix_step around the input (_project, torch.renorm), then clamps.
    w = min(1.0, (SM_EPOCH + 1) / SM_WARMUP)
    adv = X.clone()
    init = X
    for t in range(SM_STEPS):
        if one_step and t == 1:
            init = adv
        g = input_grad(adv, lambda z: F.nll_loss(torch.log(smoothed(z).clamp(min=1e-20)), Y,
                                                 reduction="sum"))
        norm = g.reshape(4, -1).norm(dim=1).view(-1, 1, 1, 1)
        adv = (adv + SM_ALPHA * g / (norm + 1e-8)).clamp(0, 1)
    if one_step:
        offset = (init - X).renorm(p=2, dim=0, maxnorm=w * SM_ALPHA)
        init = (X + offset).clamp(0, 1)
    x1 = init
    logits_c = f(torch.cat([x1 + NOISE_S[i] for i in range(M)]))
    loss_ce = F.cross_entropy(logits_c, Y.repeat(M), reduction="none").mean()
    avg = torch.stack(torch.chunk(F.softmax(logits_c, 1), M)).mean(0)
    lam = torch.tensor(SM_LAMBDAS)
    xmix = (1 - lam).view(-1, 1, 1, 1) * x1 + lam.view(-1, 1, 1, 1) * adv
    ymix = (1 - lam).view(-1, 1) * avg + lam.view(-1, 1) * (1.0 / K)
    logp = F.log_softmax(f(torch.cat([xmix + NOISE_S[i] for i in range(M)])), 1)
    correct = (avg.argmax(1) == Y).double().repeat(M)
    kl = F.kl_div(logp, ymix.repeat(M, 1), reduction="none").sum(1)
    return loss_ce + SM_ETA * w * (correct * kl).mean(), correct


out["smoothmix"], mask = smoothmix(False)
out["smoothmix-one-step"], mask1 = smoothmix(True)


def row(key, t):
    vals = t.flatten().tolist() if torch.is_tensor(t) else list(t)
    print(key, " ".join(repr(float(v)) if not isinstance(v, int) else str(v) for v in vals))


print("# generated by training_losses.py (PyTorch %s); do not edit" % torch.__version__)
print("# smoothmix correctness mask (clean run):", mask.tolist(), "(one-step):", mask1.tolist())
row("W1", W1); row("B1", B1); row("W2", W2); row("B2", B2)
row("X", X); row("Y", Y.tolist()); row("OUT", OUT)
row("LAMBDA", [LAMBDA]); row("PERM", PERM); row("OUT_PERM", OUT_PERM); row("TARGETS", TARGETS)
row("LAMBDA2", [LAMBDA2]); row("RHO_PERM", RHO_PERM); row("SIGMA_PERM", SIGMA_PERM)
row("OTHER_DRAWS", OTHER_DRAWS)
row("OTHER_TARGETS", OTHER_TARGETS)
row("EPS", [EPS]); row("BETA", [BETA]); row("SIGMA", [SIGMA])
row("NOISE_G", NOISE_G); row("NOISE_S", NOISE_S); row("SM_LAMBDAS", SM_LAMBDAS)
row("SM", [M, SM_STEPS, SM_ALPHA, SM_ETA, SM_EPOCH, SM_WARMUP])
for k, v in out.items():
    print("loss." + k, repr(float(v)))
