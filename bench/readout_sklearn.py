#!/usr/bin/python3
"""scikit-learn reference for `specieslm readout`: the same features (computed here independently from the
table), the same outer folds (read from readout's PREFIX.predictions.tsv) and the same penalty grid, fitted
with StandardScaler + RidgeCV (leave-one-out choice of alpha, sklearn's default) in each training set.
Prints JSON: {"target": {"feature set": {"r2": .., "pearson": ..}}}.

usage: /usr/bin/python3 bench/readout_sklearn.py TABLE PREDICTIONS_TSV TARGET FEATURE_SETS [--log]
  FEATURE_SETS as readout's --features, limited to kmerK, gc, length, cov:COL, cov:A..B and covfrac:A..B.
Needs Debian's python3-sklearn and python3-numpy.
"""
import csv
import gzip
import itertools
import json
import sys

import numpy as np
from sklearn.linear_model import RidgeCV
from sklearn.metrics import r2_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ALPHAS = [float("%.12g" % 10 ** (-3 + i * 0.25)) for i in range(41)]


def read_table(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        rows = [line.rstrip("\n").split("," if ".csv" in path else "\t") for line in f if line.strip() and not line.startswith("#")]
    return rows[0], rows[1:]


def kmer_counts(seq, k):
    index = {"".join(p): i for i, p in enumerate(itertools.product("ACGT", repeat=k))}
    v = np.zeros(4 ** k)
    for i in range(len(seq) - k + 1):
        j = index.get(seq[i:i + k])
        if j is not None:
            v[j] += 1
    return v


def block(name, header, rows, seqs):
    if name.startswith("kmer"):
        return np.array([kmer_counts(s, int(name[4:])) for s in seqs])
    if name == "gc":
        out = []
        for s in seqs:
            acgt = sum(s.count(b) for b in "ACGT")
            out.append([(s.count("G") + s.count("C")) / acgt if acgt else 0.0])
        return np.array(out)
    if name == "length":
        return np.array([[len(s)] for s in seqs], dtype=float)
    if name.startswith("cov:") or name.startswith("covfrac:"):
        first, _, last = name.partition(":")[2].partition("..")
        i = header.index(first)
        j = header.index(last) if last else i
        m = np.array([[float(r[c]) for c in range(i, j + 1)] for r in rows])
        return m / m.sum(axis=1, keepdims=True) if name.startswith("covfrac:") else m
    raise SystemExit("unsupported feature block: " + name)


def main():
    table, preds, target, sets = sys.argv[1:5]
    log = "--log" in sys.argv[5:]
    header, rows = read_table(table)
    pheader, prows = read_table(preds)
    fold_of = {r[0]: int(r[1]) for r in prows}
    rows = [r for r in rows if r[header.index("id")] in fold_of]
    ids = [r[header.index("id")] for r in rows]
    seqs = [r[header.index("sequence")].upper() for r in rows]
    y = np.array([float(r[header.index(target)]) for r in rows])
    if log:
        y = np.log(y)
    folds = np.array([fold_of[i] for i in ids])
    out = {}
    for spec in sets.split(","):
        X = np.hstack([block(b, header, rows, seqs) for b in spec.split("+")])
        pred = np.zeros(len(y))
        for f in sorted(set(folds)):
            test = folds == f
            model = make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS))
            model.fit(X[~test], y[~test])
            pred[test] = model.predict(X[test])
        out[spec] = {"r2": float(r2_score(y, pred)), "pearson": float(np.corrcoef(y, pred)[0, 1])}
    json.dump({target: out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
