#!/usr/bin/python3
"""Reference values for the evaluation metrics and the input scalers.

Draws binary and multiclass cases (ties in the scores, one-class labels, a
single row, perfectly separated, constant scores, extreme probabilities)
and writes scikit-learn's values to trainer/testdata/metrics_sklearn.json,
and scaler cases (constant and near-constant columns) to
datasets/testdata/scale_sklearn.json. Run by hand, not by CI, with Debian's
Python (numpy and scikit-learn 1.2):

    /usr/bin/python3 scripts/metricref.py

The Go tests (trainer TestMetricsMatchSklearn, datasets
TestScalersMatchSklearn) read the files. Where sklearn warns and returns
nan or raises, the entry is null and the Go test asserts Go's documented
value instead (see the tests' comments).
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn import metrics as skm
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.class_weight import compute_class_weight

warnings.filterwarnings("ignore")
rng = np.random.default_rng(20261129)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def num(v):
    v = float(v)
    return None if np.isnan(v) else v


def safe(f):
    try:
        return num(f())
    except ValueError:
        return None


def ece(conf, hit):
    """ECE with the Go binning: 10 equal-width bins, bin = floor(conf*10)
    clipped to [0, 9] (so 1 falls in the last bin), the row-weighted mean
    of |mean confidence - observed frequency| over non-empty bins."""
    b = np.clip(np.floor(conf * 10).astype(int), 0, 9)
    tot = 0.0
    for i in range(10):
        m = b == i
        if m.any():
            tot += m.sum() * abs(conf[m].mean() - hit[m].mean())
    return tot / len(conf)


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def binary_case(name, p, y, thr=0.5, z=None):
    p, y = np.asarray(p, float), np.asarray(y, int)
    pred = (p >= thr).astype(int)
    c = {"name": name, "p": p.tolist(), "y": y.tolist(), "thr": thr}
    c["confusion"] = skm.confusion_matrix(y, pred, labels=[0, 1]).tolist()
    c["accuracy"] = skm.accuracy_score(y, pred)
    c["precision"] = skm.precision_score(y, pred, zero_division=0)
    c["recall"] = skm.recall_score(y, pred, zero_division=0)
    c["f1"] = skm.f1_score(y, pred, zero_division=0)
    c["balanced_accuracy"] = num(skm.balanced_accuracy_score(y, pred))
    c["mcc"] = skm.matthews_corrcoef(y, pred)
    c["brier"] = skm.brier_score_loss(y, p)
    c["ece"] = ece(p, y.astype(float))
    one = len(set(y.tolist())) < 2
    c["auc"] = None if one else safe(lambda: skm.roc_auc_score(y, p))
    c["pr_auc"] = None if y.sum() == 0 else safe(lambda: skm.average_precision_score(y, p))
    if not one:
        fpr, tpr, th = skm.roc_curve(y, p, drop_intermediate=False)
        c["roc"] = [fpr.tolist(), tpr.tolist(), th[1:].tolist()]
    if y.sum() > 0:
        pr, rc, th = skm.precision_recall_curve(y, p)
        c["pr"] = [rc[:-1].tolist(), pr[:-1].tolist(), th.tolist()]
    if z is not None:
        z = np.asarray(z, float)
        c["z"] = z.tolist()
        c["log_loss"] = skm.log_loss(y, sigmoid(z), labels=[0, 1])
    return c


def multi_case(name, p, y, k, z=None):
    p, y = np.asarray(p, float), np.asarray(y, int)
    pred = p.argmax(axis=1)
    L = list(range(k))
    c = {"name": name, "p": p.ravel().tolist(), "y": y.tolist(), "k": k}
    c["confusion"] = skm.confusion_matrix(y, pred, labels=L).tolist()
    c["accuracy"] = skm.accuracy_score(y, pred)
    for avg in ("macro", "weighted"):
        c["precision_" + avg] = skm.precision_score(y, pred, labels=L, average=avg, zero_division=0)
        c["recall_" + avg] = skm.recall_score(y, pred, labels=L, average=avg, zero_division=0)
        c["f1_" + avg] = skm.f1_score(y, pred, labels=L, average=avg, zero_division=0)
    c["balanced_accuracy"] = num(skm.balanced_accuracy_score(y, pred))
    c["mcc"] = skm.matthews_corrcoef(y, pred)
    onehot = np.eye(k)[y]
    # sklearn 1.2 has no multiclass Brier; this is Brier's original form.
    c["brier"] = float(((p - onehot) ** 2).sum(axis=1).mean())
    conf = p.max(axis=1)
    c["ece"] = ece(conf, (pred == y).astype(float))
    # One-vs-rest macro over the classes present with both outcomes
    # (roc_auc_score(multi_class="ovr") when every class is present).
    aucs = [skm.roc_auc_score(onehot[:, j], p[:, j]) for j in L if 0 < onehot[:, j].sum() < len(y)]
    c["auc"] = float(np.mean(aucs)) if aucs else None
    if len(aucs) == k and k > 2:
        c["auc_ovr"] = skm.roc_auc_score(y, p, multi_class="ovr", average="macro", labels=L)
    aps = [skm.average_precision_score(onehot[:, j], p[:, j]) for j in L if onehot[:, j].sum() > 0]
    c["pr_auc"] = float(np.mean(aps)) if aps else None
    if z is not None:
        z = np.asarray(z, float)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        c["z"] = z.ravel().tolist()
        c["log_loss"] = skm.log_loss(y, e / e.sum(axis=1, keepdims=True), labels=L)
    return c


def extreme_logit_cases():
    """Logits up to ±800, where sklearn's log_loss clips probabilities to
    [1e-15, 1-1e-15]; Go's losses work on the logits and are exact, so the
    reference is numpy's log-sum-exp form, not sklearn."""
    cs = []
    for i in range(8):
        n, k = int(rng.choice([1, 5, 20])), [1, 3][i % 2]
        z = rng.choice([-800.0, -40.0, -1.0, 0.0, 2.5, 40.0, 800.0], (n, k))
        y = rng.integers(0, 2 if k == 1 else k, n)
        if k == 1:
            ref = np.mean(np.logaddexp(0, z[:, 0]) - z[:, 0] * y)
        else:
            m = z.max(axis=1)
            ref = np.mean(m + np.log(np.exp(z - m[:, None]).sum(axis=1)) - z[np.arange(n), y])
        cs.append({"name": f"extreme-logits-{i}", "k": k, "z": z.ravel().tolist(), "y": y.tolist(), "loss": float(ref)})
    return cs


def class_weight_cases():
    """compute_class_weight("balanced") for labels where every class is
    present (sklearn refuses an absent class; Go gives it weight 1)."""
    cs = []
    for i in range(10):
        k = int(rng.choice([2, 3, 5]))
        y = np.concatenate([np.arange(k), rng.integers(0, k, int(rng.integers(0, 60)))])
        w = compute_class_weight("balanced", classes=np.arange(k), y=y)
        cs.append({"y": y.tolist(), "k": k, "weights": w.tolist()})
    return cs


def regression_cases():
    """mean_squared_error, its root, mean_absolute_error and r2_score.
    sklearn's r2_score gives 1 or 0 for a constant target; Go leaves r2
    out (null here)."""
    cs = []
    for i in range(15):
        n = int(rng.choice([1, 2, 7, 60]))
        y = rng.normal(rng.normal(0, 50), rng.choice([1e-2, 1, 1e3]), n)
        if i % 5 == 0:
            y[:] = 3.5
        pred = y + rng.normal(0, np.abs(y).mean() * 0.3 + 1e-3, n)
        if i % 7 == 1:
            pred = y.copy()
        mse = skm.mean_squared_error(y, pred)
        cs.append({"y": y.tolist(), "pred": pred.tolist(), "mse": mse, "rmse": float(np.sqrt(mse)),
                   "mae": skm.mean_absolute_error(y, pred),
                   "r2": None if np.all(y == y[0]) else skm.r2_score(y, pred)})
    return cs


def probs(n, kind):
    if kind == "uniform":
        return rng.random(n)
    if kind == "coarse":  # many ties
        return rng.integers(0, 5, n) / 4
    if kind == "extreme":
        return rng.choice([0.0, 1.0, 1e-300, 1 - 1e-16, 0.5, 1e-12, 0.3], n)
    if kind == "constant":
        return np.full(n, 0.37)
    raise ValueError(kind)


def binary_cases():
    cs = []
    for i in range(60):
        n = int(rng.choice([2, 3, 5, 8, 13, 40, 120]))
        kind = ["uniform", "coarse", "extreme", "constant"][i % 4]
        y = (rng.random(n) < rng.choice([0.1, 0.3, 0.5, 0.8])).astype(int)
        p = probs(n, kind)
        if kind == "uniform" and i % 8 == 0:  # informative scores
            p = np.clip(p * 0.6 + y * 0.4, 0, 1)
        thr = 0.5 if i % 3 else float(rng.choice([0.2, 0.37, 0.75, 1e-300]))
        cs.append(binary_case(f"binary-{i}-{kind}", p, y, thr))
    cs.append(binary_case("single-row-pos", [0.7], [1]))
    cs.append(binary_case("single-row-neg", [0.7], [0]))
    cs.append(binary_case("all-positive", [0.2, 0.9, 0.6, 0.6], [1, 1, 1, 1]))
    cs.append(binary_case("all-negative", [0.2, 0.9, 0.6, 0.6], [0, 0, 0, 0]))
    cs.append(binary_case("separated", [0.1, 0.2, 0.3, 0.7, 0.8, 0.9], [0, 0, 0, 1, 1, 1]))
    cs.append(binary_case("reversed", [0.9, 0.8, 0.7, 0.3, 0.2, 0.1], [0, 0, 0, 1, 1, 1]))
    cs.append(binary_case("constant-scores", [0.5] * 6, [0, 1, 0, 1, 1, 0]))
    cs.append(binary_case("zero-one", [0.0, 1.0, 1.0, 0.0, 1e-300], [0, 1, 0, 1, 0]))
    for i in range(12):  # log loss from logits, |z| ≤ 10
        n = int(rng.choice([1, 4, 30]))
        y = rng.integers(0, 2, n)
        z = rng.normal(0, 4, n).clip(-10, 10)
        if i % 3 == 0:
            z = np.round(z)  # ties
        cs.append(binary_case(f"logits-{i}", sigmoid(z), y, 0.5, z))
    return cs


def multi_cases():
    cs = []
    for i in range(40):
        k = int(rng.choice([3, 4, 6]))
        n = int(rng.choice([1, 3, 10, 50]))
        y = rng.integers(0, k if i % 5 else 2, n)  # some leave classes out
        if i % 7 == 0:
            y[:] = y[0]
        z = rng.normal(0, 2, (n, k))
        if i % 4 == 1:
            z = np.round(z)  # ties
        if i % 4 == 2:
            z[np.arange(n), y] += 8  # separated
        if i % 9 == 3:
            z[:] = 0  # constant: uniform probabilities
        e = np.exp(z - z.max(axis=1, keepdims=True))
        cs.append(multi_case(f"multi-{i}-k{k}", e / e.sum(axis=1, keepdims=True), y, k, z))
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1e-300, 0.0, 1.0], [0.5, 0.5, 0.0]])
    cs.append(multi_case("multi-extreme", p, [0, 2, 2, 1], 3))
    return cs


def scaler_cases():
    cs = []
    for i in range(25):
        n, d = int(rng.choice([1, 2, 5, 40])), int(rng.choice([1, 3, 5]))
        x = rng.normal(rng.normal(0, 100), rng.choice([1e-3, 1, 1e3]), (n, d))
        if i % 3 == 0:
            x[:, 0] = 4.25  # constant column
        if i % 5 == 0 and d > 1:
            x[:, 1] = np.round(x[:, 1])
        cs.append(scaler_case(f"scale-{i}", x))
    cs.append(scaler_case("near-constant", np.array([[1e8], [1e8 + 1e-7], [1e8]])))
    return cs


def scaler_case(name, x):
    return {"name": name, "n": x.shape[0], "d": x.shape[1], "x": x.ravel().tolist(),
            "standard": StandardScaler().fit_transform(x).ravel().tolist(),
            "minmax": MinMaxScaler().fit_transform(x).ravel().tolist()}


def write(path, obj):
    with open(os.path.join(ROOT, path), "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")


write("trainer/testdata/metrics_sklearn.json",
      {"sklearn": sklearn.__version__, "binary": binary_cases(), "multiclass": multi_cases(),
       "extreme_logits": extreme_logit_cases(), "class_weights": class_weight_cases(),
       "regression": regression_cases()})
write("datasets/testdata/scale_sklearn.json", {"sklearn": sklearn.__version__, "cases": scaler_cases()})
