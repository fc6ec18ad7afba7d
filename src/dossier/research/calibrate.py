"""Confidence as a calibrated probability: an isotonic map from the reader's score to how often answers
with that score were right on the development set (fitted by bench/fit_reader.py), per answer type."""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dossier.research.ports import Draft

CALIBRATION_FILE = Path(__file__).resolve().parent / "data" / "calibration.json"
# The map's end steps rest on a few dozen development answers each: no reading is certain from that, and a step
# fitted at 1.0 (or 0.0) claims it. Confidence stays inside these bounds.
BOUNDS = (0.05, 0.95)


def isotonic(points: Iterable[tuple[float, bool]]) -> list[tuple[float, float]]:
    """Pool-adjacent-violators over the distinct scores: (highest score of a step, probability right), both
    non-decreasing. Readings with the same score are one block, weighted by their count, so a score is never
    split between two steps."""
    by_score: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for score, ok in points:
        cell = by_score[float(score)]
        cell[0] += int(bool(ok))
        cell[1] += 1
    blocks: list[list[float]] = []  # [right, count, highest score]
    for score in sorted(by_score):
        right, count = by_score[score]
        blocks.append([float(right), float(count), score])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            right_, count_, high = blocks.pop()
            blocks[-1][0] += right_
            blocks[-1][1] += count_
            blocks[-1][2] = high
    return [(high, right / count) for right, count, high in blocks]


@dataclass
class IsotonicCalibrator:
    maps: dict[str, list[tuple[float, float]]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = CALIBRATION_FILE) -> IsotonicCalibrator:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text())
        return cls({k: [(float(a), float(b)) for a, b in v] for k, v in data.items()})

    def dump(self, path: Path = CALIBRATION_FILE) -> None:
        path.write_text(json.dumps(self.maps, indent=1, sort_keys=True) + "\n")

    def probability(self, answer_type: str, draft: Draft) -> float:
        steps = self.maps.get(answer_type) or self.maps.get("*")
        if not steps:
            return draft.score
        keys = [s for s, _ in steps]
        i = bisect.bisect_left(keys, draft.score)
        return min(BOUNDS[1], max(BOUNDS[0], steps[min(i, len(steps) - 1)][1]))
