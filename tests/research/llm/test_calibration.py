"""The LLM path's own calibration map: fitted from (answer type, score, right) readings, written as a file that
names its model, and applied by the engine when DOSSIER_LLM_CALIBRATION names a map of the configured model
(a map of another model is ignored, with a warning); without one the model's confidence stays its capped prior.
The engine half runs the real `openai` client against the scripted server on both databases; no map here comes
from a real model."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dossier.research.calibrate import isotonic
from dossier.research.llm.calibration import MIN_TYPE_POINTS, fit_map, load_map, write_map
from dossier.research.llm.stack import UNFITTED_CAP
from tests.research.llm import test_engine_llm
from tests.research.llm.servers import Out, completion, prompt_of, reply, section_of
from tests.research.llm.test_answerer import CEO

# The engine tests' fixtures: their fixture sites, scripted model and search server.
sites, chat, search = test_engine_llm.sites, test_engine_llm.chat, test_engine_llm.search
make_engine = test_engine_llm.make_engine


def _readings(kind: str, score: float, right: int, wrong: int) -> list[tuple[str, float, bool]]:
    return [(kind, score, True)] * right + [(kind, score, False)] * wrong


def test_fitting_known_readings_gives_a_monotone_map_with_the_expected_steps():
    readings = (
        _readings("number", 0.3, 2, 8)  # 20% right
        + _readings("number", 0.5, 5, 5)  # 50%
        + _readings("number", 0.65, 4, 6)  # 40%: below 0.5's, so pooled with it (9 of 20)
        + _readings("number", 1.0, 9, 1)  # 90%
        + _readings("url", 0.3, 1, 1)
        + _readings("url", 1.0, 1, 2)  # too few url readings for a map of their own
    )
    data = fit_map("model-a", readings, "known readings")
    assert data["model"] == "model-a" and data["fitted_on"] == "known readings"
    assert data["readings"] == {"number": [40, 20], "url": [5, 2]}
    assert data["maps"]["number"] == [[0.3, 0.2], [0.65, 0.45], [1.0, 0.9]]
    # Pooled: 0.3 is 3 of 12, 0.5 and 0.65 are 9 of 20, 1.0 is 10 of 13.
    assert data["maps"]["*"] == [[0.3, 0.25], [0.65, 0.45], [1.0, round(10 / 13, 4)]]
    assert "url" not in data["maps"] and len(readings) - 5 >= MIN_TYPE_POINTS
    for steps in data["maps"].values():
        assert [s for s, _ in steps] == sorted(s for s, _ in steps)
        assert [p for _, p in steps] == sorted(p for _, p in steps)


def test_readings_with_one_score_are_never_split_between_steps():
    # Sorted as (score, right), a wrong and a right reading of one score used to become two steps at that score.
    assert isotonic([(0.5, False), (0.5, True), (0.5, True), (0.9, True)]) == [(0.5, 2 / 3), (0.9, 1.0)]
    assert isotonic([(0.2, True), (0.8, False)]) == [(0.8, 0.5)]
    with pytest.raises(ValueError, match="no verified model readings"):
        fit_map("m", [], "nothing")


def test_a_map_loads_for_its_own_model_only(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    path = tmp_path / "map.json"
    write_map(path, fit_map("model-a", _readings("number", 0.4, 1, 3) + _readings("number", 0.9, 3, 1), "t"))
    mine = load_map(path, "model-a")
    assert mine is not None and mine.maps == {"*": [(0.4, 0.25), (0.9, 0.75)]}
    with caplog.at_level(logging.WARNING, logger="dossier.research.llm"):
        assert load_map(path, "model-b") is None
    assert "fitted for model 'model-a', not the configured 'model-b'" in caplog.text

    with pytest.raises(ValueError, match="cannot read a calibration map"):
        load_map(tmp_path / "missing.json", "model-a")
    (tmp_path / "bad.json").write_text(json.dumps({"model": "model-a"}))
    with pytest.raises(ValueError, match="is not a calibration map"):
        load_map(tmp_path / "bad.json", "model-a")
    (tmp_path / "down.json").write_text(json.dumps({"model": "model-a", "maps": {"*": [[0.4, 0.9], [0.9, 0.2]]}}))
    with pytest.raises(ValueError, match="not monotone"):
        load_map(tmp_path / "down.json", "model-a")


def _ceo(req: dict, n: int) -> Out:
    """The model asks for the story page, then reads the chief executive there."""
    if CEO not in prompt_of(req):
        return completion(reply(None, links=["https://acme-llm.test/story"]))
    return completion(reply("Dana Reyes", [(section_of(req, CEO), CEO)]))


async def _ask(backend, db, sites, chat, search, **kw):
    chat.script = _ceo
    engine = make_engine(backend, db, sites, chat, search, **kw)
    try:
        return await engine.ask("acme-llm.test", "Who leads Acme?", "open_text")
    finally:
        await engine.aclose()


async def test_the_engine_applies_the_configured_models_map(
    backend,
    db,
    sites,
    chat,
    search,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    unfitted = await _ask(backend, db, sites, chat, search)
    reading = unfitted.model_reading
    assert reading is not None and reading.answer == {"type": "open_text", "openText": {"value": "Dana Reyes"}}
    assert 0.3 < reading.score < 1.0  # a verified quote stating the value
    assert unfitted.confidence == round(min(reading.score, UNFITTED_CAP), 3)  # no map: the prior, capped

    fitted = tmp_path / "scripted.json"
    steps = [(0.3, 0.1), (reading.score, 0.93), (1.0, 0.97)]
    write_map(fitted, {"model": "scripted", "maps": {"*": steps}})
    calibrated = await _ask(backend, db, sites, chat, search, llm_calibration=str(fitted))
    assert calibrated.confidence == 0.93 and calibrated.answer == unfitted.answer

    # A map that says such readings are mostly wrong: strict mode withholds the answer, and the reading the
    # bench fits on is still reported.
    low = tmp_path / "low.json"
    write_map(low, {"model": "scripted", "maps": {"open_text": [(1.0, 0.2)]}})
    withheld = await _ask(backend, db, sites, chat, search, llm_calibration=str(low))
    assert withheld.answer is None and "below strict mode's 0.50" in withheld.reasoning
    assert withheld.model_reading == reading

    # A map the setting names but that cannot be read stops the engine from starting, rather than leaving the
    # model's confidences silently uncalibrated.
    with pytest.raises(ValueError, match="cannot read a calibration map"):
        make_engine(backend, db, sites, chat, search, llm_calibration=str(tmp_path / "missing.json"))

    other = tmp_path / "other.json"
    write_map(other, {"model": "another-model", "maps": {"*": steps}})
    with caplog.at_level(logging.WARNING, logger="dossier.research.llm"):
        ignored = await _ask(backend, db, sites, chat, search, llm_calibration=str(other))
    assert ignored.confidence == unfitted.confidence
    assert "fitted for model 'another-model', not the configured 'scripted'" in caplog.text


ROOT = Path(__file__).resolve().parents[3]
_SECTION = re.compile(r"^\[(\d+)\] \S+[^\n]*\n(.*?)(?=^\[\d+\] |</sections>)", re.S | re.M)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 3}


def _skimmer(req: dict, n: int) -> Out:
    """A stand-in model that answers every question from the section line sharing most words with it, quoting
    that line verbatim: its answers are sometimes right and sometimes wrong, which is what a fit needs."""
    prompt = prompt_of(req)
    question = re.search(r"^Question: (.*)$", prompt, re.M)
    kind = re.search(r"^Answer type: (\w+)", prompt, re.M)
    asked = _words(question.group(1) if question else "")
    best: tuple[int, int, str] | None = None
    for m in _SECTION.finditer(prompt):
        for line in m.group(2).splitlines():
            line = line.strip()
            if 20 <= len(line) <= 300 and (best is None or len(asked & _words(line)) > best[0]):
                best = (len(asked & _words(line)), int(m.group(1)), line)
    if best is None or kind is None:
        return completion(reply(None))
    _, section, line = best
    number = re.search(r"\d[\d,]*(?:\.\d+)?", line)
    answer: object = {
        "number": float(number.group(0).replace(",", "")) if number else None,
        "percentage": float(number.group(0).replace(",", "")) if number else None,
        "boolean": True,
        "list": [" ".join(line.split()[:2])],
        "open_text": line,
    }.get(kind.group(1))
    return completion(reply(answer, [(section, line)]))


def _bench(chat_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DOSSIER_LLM_BASE_URL": chat_url, "DOSSIER_LLM_MODEL": "scripted",
           "DOSSIER_LLM_MAX_ROUNDS": "1", "NO_PROXY": "127.0.0.1,localhost"}  # fmt: skip
    return subprocess.run(
        [sys.executable, "bench/accuracy.py", "--corpus", "fixtures", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_the_accuracy_bench_fits_a_map_for_the_configured_model(chat, tmp_path: Path):
    """The fit end to end on the scripted server (no real model: its figures would mean nothing here):
    bench/accuracy.py --llm --fit-llm-calibration over the fixture development split writes a monotone map
    naming the model, from the readings it counts; it refuses a held-out split and a run without the model."""
    chat.script = _skimmer
    path = tmp_path / "scripted.json"
    run = _bench(chat.base_url, "--split", "dev", "--limit", "6", "--llm", "--fit-llm-calibration", str(path))
    assert run.returncode == 0, run.stderr[-3000:]
    said = re.search(r"LLM calibration for model 'scripted': (\d+) verified model readings, (\d+) right", run.stdout)
    assert said is not None, run.stdout[-3000:]
    data = json.loads(path.read_text())
    assert data["model"] == "scripted" and data["fitted_on"].startswith(
        "bench/accuracy.py --corpus fixtures --split dev"
    )
    counted = sum(n for n, _ in data["readings"].values())
    assert counted == int(said.group(1)) >= 10 and sum(r for _, r in data["readings"].values()) == int(said.group(2))
    assert 0 < int(said.group(2)) < counted  # some right, some wrong
    for steps in data["maps"].values():
        assert [s for s, _ in steps] == sorted(s for s, _ in steps)
        assert [p for _, p in steps] == sorted(p for _, p in steps)
        assert all(0.0 <= p <= 1.0 for _, p in steps)
    assert load_map(path, "scripted") is not None and load_map(path, "another-model") is None
    assert len(chat.requests) >= counted

    held_out = _bench(chat.base_url, "--split", "holdout", "--llm", "--fit-llm-calibration", str(tmp_path / "x"))
    assert held_out.returncode != 0 and "development split only" in held_out.stderr
    offline = _bench(chat.base_url, "--split", "dev", "--fit-llm-calibration", str(tmp_path / "x"))
    assert offline.returncode != 0 and "needs --llm" in offline.stderr
    assert not (tmp_path / "x").exists()
