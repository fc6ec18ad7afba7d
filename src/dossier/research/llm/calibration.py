"""The LLM path's own calibration map: from the prior score the answerer gives a model's verified answer to how
often answers with that score were right, fitted for one model on a development split.

`bench/accuracy.py --llm --fit-llm-calibration PATH` runs the questions through the configured model, keeps
each verified model reading's (score, right) pair (including readings that strict mode then withheld, so the
fit sees low scores too) and writes the map as a small JSON file that records the model's name. The server
applies it when `DOSSIER_LLM_CALIBRATION` names that file and the file's model is the configured one; a map
fitted for another model is ignored (with a warning in the log), and then, as without any map, the model's
confidence is its prior score capped at UNFITTED_CAP.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dossier.kit.time import format_rfc3339, utcnow
from dossier.research.calibrate import IsotonicCalibrator, isotonic

log = logging.getLogger("dossier.research.llm")

MIN_TYPE_POINTS = 20  # an answer type gets a map of its own from this many readings; the rest share "*"
FORMAT = 1


def _fit(points: Iterable[tuple[float, bool]]) -> list[tuple[float, float]]:
    return [(high, round(p, 4)) for high, p in isotonic(points)]


def fit_map(model: str, readings: Iterable[tuple[str, float, bool]], source: str) -> dict[str, Any]:
    """The map file's content for `model` from (answer type, score, right) readings: a pooled map ("*") and one
    per answer type with at least MIN_TYPE_POINTS readings. `source` says what it was fitted on."""
    by_type: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for answer_type, score, ok in readings:
        by_type[answer_type].append((score, ok))
    pooled = [p for pts in by_type.values() for p in pts]
    if not pooled:
        raise ValueError("no verified model readings to fit a calibration map on")
    maps = {"*": _fit(pooled)}
    maps |= {kind: _fit(pts) for kind, pts in sorted(by_type.items()) if len(pts) >= MIN_TYPE_POINTS}
    return {
        "format": FORMAT,
        "model": model,
        "fitted_on": source,
        "fitted_at": format_rfc3339(utcnow()),
        "readings": {kind: [len(pts), sum(ok for _, ok in pts)] for kind, pts in sorted(by_type.items())},
        "maps": {kind: [[score, p] for score, p in steps] for kind, steps in maps.items()},
    }


def write_map(path: Path, data: dict[str, Any]) -> None:
    # Indented, with each [score, probability] step on one line.
    text = json.dumps(data, indent=1)
    text = re.sub(r"\[\s+([-\d.e]+),\s+([-\d.e]+)\s+\]", r"[\1, \2]", text)
    path.write_text(text + "\n")


def load_map(path: str | Path, model: str) -> IsotonicCalibrator | None:
    """The map in `path` when it was fitted for `model`; None (and a warning) when it was fitted for another.
    A file that is missing or is no such map is a configuration error (ValueError), not silently uncalibrated."""
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ValueError(f"DOSSIER_LLM_CALIBRATION: cannot read a calibration map from {path}: {exc}") from exc
    try:
        fitted_for = data["model"]
        maps = {
            str(kind): [(float(score), float(p)) for score, p in steps] for kind, steps in dict(data["maps"]).items()
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"DOSSIER_LLM_CALIBRATION: {path} is not a calibration map (model, maps): {exc}") from exc
    for kind, steps in maps.items():
        if [s for s, _ in steps] != sorted(s for s, _ in steps) or [p for _, p in steps] != sorted(p for _, p in steps):
            raise ValueError(f"DOSSIER_LLM_CALIBRATION: the {kind!r} map in {path} is not monotone")
    if fitted_for != model:
        log.warning(
            "ignoring the LLM calibration map %s: it was fitted for model %r, not the configured %r; the model's "
            "confidences stay capped at their prior",
            path,
            fitted_for,
            model,
        )
        return None
    return IsotonicCalibrator(maps)
