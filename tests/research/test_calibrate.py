"""Calibration: isotonic maps from the reader's score to how often answers with that score were right."""

from __future__ import annotations

import json
from pathlib import Path

from dossier.research.calibrate import CALIBRATION_FILE, IsotonicCalibrator, isotonic
from dossier.research.ports import Draft


def test_isotonic_is_monotone_and_pools_violators() -> None:
    points = [(0.1, False), (0.2, True), (0.3, False), (0.4, False), (0.6, True), (0.7, True), (0.9, True)]
    steps = isotonic(points)
    probs = [p for _, p in steps]
    assert probs == sorted(probs)
    assert steps[-1] == (0.9, 1.0)
    assert steps[0][1] == 0.0  # the lowest score was wrong
    # 0.2 (right), 0.3 and 0.4 (wrong) violate monotonicity and pool into one step of 1/3
    assert (0.4, 1 / 3) in steps


def test_calibrator_maps_scores_per_answer_type(tmp_path: Path) -> None:
    cal = IsotonicCalibrator({"number": [(0.3, 0.1), (0.6, 0.5), (1.0, 0.9)], "*": [(1.0, 0.42)]})
    assert cal.probability("number", Draft(1, score=0.2)) == 0.1
    assert cal.probability("number", Draft(1, score=0.5)) == 0.5
    assert cal.probability("number", Draft(1, score=0.95)) == 0.9
    assert cal.probability("url", Draft("x", score=0.7)) == 0.42  # falls back to the pooled map
    path = tmp_path / "c.json"
    cal.dump(path)
    assert IsotonicCalibrator.load(path).maps == cal.maps
    assert IsotonicCalibrator({}).probability("url", Draft("x", score=0.37)) == 0.37


def test_shipped_calibration_is_monotone_per_type() -> None:
    maps = json.loads(CALIBRATION_FILE.read_text())
    assert "*" in maps
    for steps in maps.values():
        probs = [p for _, p in steps]
        assert probs == sorted(probs) and all(0 <= p <= 1 for p in probs)


def test_no_step_of_the_map_claims_certainty() -> None:
    # Steps fitted at 0.0 and 1.0 on a handful of answers read as 0.05 and 0.95.
    cal = IsotonicCalibrator({"boolean": [(0.5, 0.0), (0.8, 0.6), (1.0, 1.0)]})
    assert cal.probability("boolean", Draft(True, score=0.3)) == 0.05
    assert cal.probability("boolean", Draft(True, score=0.7)) == 0.6
    assert cal.probability("boolean", Draft(True, score=0.9)) == 0.95
