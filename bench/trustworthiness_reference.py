#!/usr/bin/env python3
"""Writes Tests/Fixtures/sklearn-trustworthiness.json: small random data, an imperfect
2-D picture of it, and sklearn.manifold.trustworthiness of the picture for a few k, so the
Swift MapQuality can be checked against the reference implementation without Python.

    python3 -m pip install scikit-learn numpy
    python3 bench/trustworthiness_reference.py
"""
import json
import pathlib

import numpy as np
from sklearn.manifold import trustworthiness

rng = np.random.default_rng(20261127)
n, d = 120, 8
centres = rng.normal(size=(4, d)) * 3
X = centres[rng.integers(0, 4, size=n)] + rng.normal(size=(n, d))
# A picture that keeps some structure and loses some: two of the directions plus noise.
Y = X[:, :2] + 0.8 * rng.normal(size=(n, 2))
X = X.astype(np.float32)
Y = Y.astype(np.float32)
expected = {str(k): float(trustworthiness(X.astype(np.float64), Y.astype(np.float64), n_neighbors=k))
            for k in (1, 5, 10, 20)}
out = pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/sklearn-trustworthiness.json"
out.write_text(json.dumps({
    "count": n, "dimension": d,
    "original": [float(v) for v in X.ravel()],
    "embedded": [float(v) for v in Y.ravel()],
    "trustworthiness": expected,
}) + "\n")
print(out, expected)
