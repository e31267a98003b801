"""A linear model stored as a small gzip text file and scored with dict look-ups.

The trained model is a logistic regression over NB-weighted binary features
(NB-SVM/NB-LR: each feature scaled by its log-count ratio before the regression).
Because the features are binary, the scaling and the coefficient fold into one weight
per feature, so scoring a post is a sum of dictionary look-ups: no numpy, no
scikit-learn, no matrix building per post.

File format (UTF-8, gzip): a first line of JSON metadata (``bias``, ``numeric``:
weights of numeric features, ``trained_on``...), then one ``weight<TAB>feature`` line
per feature.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path


@dataclass(slots=True)
class LinearModel:
    weights: dict[str, float]
    bias: float = 0.0
    numeric: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    def logit(
        self, features: Iterable[str], numeric: dict[str, float] | None = None
    ) -> float:
        # A feature counts once however often it occurs (binary features). map()
        # over dict.get runs in C: this sum is the hot loop of the whole analysis.
        unique = set(features)
        total = self.bias + sum(map(self.weights.get, unique, repeat(0.0, len(unique))))
        if numeric:
            for name, value in numeric.items():
                total += self.numeric.get(name, 0.0) * value
        return total

    def save(self, path: Path) -> None:
        meta = {**self.meta, "bias": self.bias, "numeric": self.numeric}
        lines = [json.dumps(meta, ensure_ascii=False)]
        lines.extend(
            f"{weight:.4g}\t{feature}"
            for feature, weight in sorted(
                self.weights.items(), key=lambda item: -abs(item[1])
            )
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime=0: the same model gives the same bytes (no spurious diffs).
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle,
        ):
            handle.write(("\n".join(lines) + "\n").encode("utf-8"))

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            meta = json.loads(handle.readline())
            weights: dict[str, float] = {}
            for line in handle:
                weight, _, feature = line.rstrip("\n").partition("\t")
                weights[feature] = float(weight)
        return cls(
            weights=weights,
            bias=float(meta.pop("bias", 0.0)),
            numeric=meta.pop("numeric", {}),
            meta=meta,
        )


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
