"""The reader's scoring model: per answer type, a logistic score over candidate features and the threshold
below which the reader abstains. Defaults are set by hand; `bench/fit_reader.py` fits them on the
development set and writes research/data/reader_model.json, which is loaded when present."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

MODEL_FILE = Path(__file__).resolve().parent.parent / "data" / "reader_model.json"

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "number": {
        "bias": -2.5,
        "sec": 1.0,
        "rank": 0.5,
        "line": 2.0,
        "ctx": 1.0,
        "near": 1.0,
        "unit": 1.5,
        "yearlike": -2.0,
        "name": 1.0,
        "year": 1.0,
        "table": 0.3,
        "agree": 0.3,
        "count": 0.5,
    },
    "year": {"bias": -2.5, "sec": 1.0, "rank": 0.5, "line": 2.0, "ctx": 1.0, "near": 1.5, "unit": 1.5, "agree": 0.3},
    "percentage": {
        "bias": -2.5,
        "sec": 1.0,
        "rank": 0.5,
        "line": 2.0,
        "ctx": 1.0,
        "near": 1.5,
        "name": 1.0,
        "year": 1.0,
        "agree": 0.3,
    },
    "currency": {
        "bias": -2.5,
        "sec": 1.0,
        "rank": 0.5,
        "line": 1.5,
        "ctx": 1.5,
        "near": 1.0,
        "period": 1.0,
        "name": 1.5,
        "year": 1.0,
        "table": 0.5,
        "agree": 0.3,
    },
    "boolean": {"bias": -3.0, "sec": 1.0, "rank": 0.5, "line": 1.5, "ctx": 0.5, "cover": 3.0, "name": 1.0},
    "list": {"bias": -2.0, "sec": 1.5, "rank": 0.5, "ctx": 1.5, "line": 1.5, "items": 0.5},
    "url": {"bias": -2.0, "line": 4.0, "internal": 0.5, "depth": -0.5, "fetched": 0.5, "names": 1.0},
    "open_text": {"bias": -2.0, "sec": 1.0, "rank": 0.5, "line": 3.0, "ctx": 1.0, "short": -1.0, "name": 1.0},
}


@dataclass
class ReaderModel:
    weights: dict[str, dict[str, float]] = field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_WEIGHTS.items()}
    )
    thresholds: dict[str, float] = field(default_factory=dict)
    aggregate_margin: float = 0.1

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ReaderModel:
        model = cls()
        if path.exists():
            data = json.loads(path.read_text())
            for kind, w in data.get("weights", {}).items():
                model.weights[kind] = {k: float(v) for k, v in w.items()}
            model.thresholds = {k: float(v) for k, v in data.get("thresholds", {}).items()}
            model.aggregate_margin = float(data.get("aggregate_margin", model.aggregate_margin))
        return model

    def rank_score(self, kind: str, features: dict[str, float]) -> float:
        """How well a candidate fits, comparable between candidates of one question."""
        w = self.weights.get(kind, {})
        return sum(w.get(k, 0.0) * v for k, v in features.items() if k not in ("bias", "scale"))

    def score(self, kind: str, features: dict[str, float]) -> float:
        """The 0..1 score the reader compares with its threshold: a logistic map of the rank score."""
        w = self.weights.get(kind, {})
        z = w.get("scale", 1.0) * self.rank_score(kind, features) + w.get("bias", 0.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def threshold(self, kind: str) -> float:
        return self.thresholds.get(kind, 0.5)

    def dump(self, path: Path = MODEL_FILE) -> None:
        data = {"weights": self.weights, "thresholds": self.thresholds, "aggregate_margin": self.aggregate_margin}
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
