#!/usr/bin/python3
"""Does a non-linear model earn a place in `specieslm readout`? scikit-learn's HistGradientBoostingRegressor
against StandardScaler + RidgeCV on the same features and outer folds (readout's PREFIX.predictions.tsv).
usage: /usr/bin/python3 bench/readout_nonlinear.py TABLE PREDICTIONS_TSV TARGET FEATURE_SETS [--log]
(FEATURE_SETS as bench/readout_sklearn.py; one thread each, to stay frugal on shared cores.)"""
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingRegressor  # noqa: E402
from sklearn.linear_model import RidgeCV  # noqa: E402
from sklearn.metrics import r2_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

sys.path.insert(0, os.path.dirname(__file__))
from readout_sklearn import ALPHAS, block, read_table  # noqa: E402


def main():
    table, preds, target, sets = sys.argv[1:5]
    header, rows = read_table(table)
    _, prows = read_table(preds)
    fold_of = {r[0]: int(r[1]) for r in prows}
    rows = [r for r in rows if r[header.index("id")] in fold_of]
    seqs = [r[header.index("sequence")].upper() for r in rows]
    y = np.array([float(r[header.index(target)]) for r in rows])
    if "--log" in sys.argv[5:]:
        y = np.log(y)
    folds = np.array([fold_of[r[header.index("id")]] for r in rows])
    out = {}
    for spec in sets.split(","):
        X = np.hstack([block(b, header, rows, seqs) for b in spec.split("+")])
        res = {}
        for name, make in {
            "ridge": lambda: make_pipeline(StandardScaler(), RidgeCV(alphas=ALPHAS)),
            "hist_gradient_boosting": lambda: HistGradientBoostingRegressor(max_iter=300, learning_rate=0.05, early_stopping=True, random_state=0),
        }.items():
            pred = np.zeros(len(y))
            for f in sorted(set(folds)):
                test = folds == f
                pred[test] = make().fit(X[~test], y[~test]).predict(X[test])
            res[name] = float(r2_score(y, pred))
        out[spec] = res
    json.dump({target: out}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
