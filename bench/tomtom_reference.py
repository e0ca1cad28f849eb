#!/usr/bin/python3
"""Independent Tomtom-style reference (numpy) for `specieslm motifs match`.

Reads JSON {"queries": [[[pA,pC,pG,pT], ...], ...], "db": [...], "score": "pearson"|"euclidean",
"min_overlap": int, "both_strands": bool, "bins": int} on stdin and writes, per query, every database
motif's corrected p-value, E-value, q-value, offset, overlap and strand as JSON on stdout.

The method (Gupta et al. 2007, "incomplete scores"): a query column's null is its scores against every
database column (both strands), scaled to integers 0..bins over the query's whole score matrix; the null
of an alignment over query columns a..b is the convolution of those columns' nulls; each target takes its
best offset, corrected as 1 - (1 - p)^(offsets x strands); E = p x database size; q = Benjamini-Hochberg.
Written from that description with numpy (vectorised scores, np.convolve), not from the TypeScript.
"""
import json
import sys

import numpy as np


def revcomp(m):
    return m[::-1, ::-1]


def column_scores(q, t, score):
    if score == "euclidean":
        return -np.sqrt(((q[:, None, :] - t[None, :, :]) ** 2).sum(axis=2))
    qc = q - q.mean(axis=1, keepdims=True)
    tc = t - t.mean(axis=1, keepdims=True)
    num = qc @ tc.T
    den = np.sqrt((qc ** 2).sum(axis=1))[:, None] * np.sqrt((tc ** 2).sum(axis=1))[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(den > 0, num / np.where(den > 0, den, 1), 0.0)
    return r


def bh(p):
    n = len(p)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def match_query(q, db, score, min_overlap, both, bins):
    targets = []
    for i, m in enumerate(db):
        targets.append((i, "+", m))
        if both:
            targets.append((i, "-", revcomp(m)))
    allcols = np.concatenate([t[2] for t in targets])
    raw = column_scores(q, allcols, score)
    lo, hi = raw.min(), raw.max()
    scale = bins / (hi - lo) if hi > lo else 0.0
    # round half away from zero, as the scores are non-negative after the shift
    scaled = np.floor((raw - lo) * scale + 0.5).astype(np.int64)
    wq = q.shape[0]
    n = allcols.shape[0]
    hists = [np.bincount(scaled[i], minlength=bins + 1) / n for i in range(wq)]
    surv = {}
    for a in range(wq):
        pmf = np.array([1.0])
        for b in range(a, wq):
            pmf = np.convolve(pmf, hists[b])
            surv[(a, b)] = np.minimum(1.0, np.cumsum(pmf[::-1])[::-1])
    best = {}
    col0 = 0
    for idx, strand, m in targets:
        wt = m.shape[0]
        block = scaled[:, col0:col0 + wt]
        col0 += wt
        mo = min(min_overlap, wq, wt)
        bp, boff, bov = np.inf, 0, 0
        for d in range(mo - wt, wq - mo + 1):
            a, b = max(0, d), min(wq, d + wt) - 1
            s = int(sum(block[i, i - d] for i in range(a, b + 1)))
            table = surv[(a, b)]
            p = table[s] if s < len(table) else 0.0
            if p < bp or (p == bp and b - a + 1 > bov):
                bp, boff, bov = p, d, b - a + 1
        configs = (wq + wt - 2 * mo + 1) * (2 if both else 1)
        p = 1.0 - (1.0 - min(bp, 1 - 1e-16)) ** configs
        if idx not in best or p < best[idx]["p"]:
            best[idx] = {"target": idx, "p": p, "strand": strand, "offset": boff, "overlap": bov}
    rows = [best[i] for i in range(len(db))]
    p = np.array([r["p"] for r in rows])
    q = bh(p)
    for r, qv in zip(rows, q):
        r["e"] = r["p"] * len(db)
        r["q"] = float(qv)
    return sorted(rows, key=lambda r: r["p"])


def main():
    spec = json.load(sys.stdin)
    db = [np.array(m, dtype=float) for m in spec["db"]]
    out = [match_query(np.array(q, dtype=float), db, spec.get("score", "pearson"), spec.get("min_overlap", 5),
                       spec.get("both_strands", True), spec.get("bins", 100)) for q in spec["queries"]]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
