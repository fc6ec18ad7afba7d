"""How bench/accuracy.py scores an engine answer against a gold answer (rules in tests/fixtures/sites/README.md)."""

from __future__ import annotations

from typing import Any


def value_of(answer: dict[str, Any] | None) -> Any:
    if answer is None:
        return None
    t = answer["type"]
    key = {"open_text": "openText", "json_schema": "jsonSchema"}.get(t, t)
    inner = answer[key]
    if t == "json_schema":
        return inner
    if t == "currency":
        return {"value": inner["value"], "currency": inner["currency"]}
    return inner["value"]


def _norm_url(u: str) -> str:
    u = u.strip().lower()
    for p in ("https://", "http://"):
        if u.startswith(p):
            u = u[len(p) :]
    if u.startswith("www."):
        u = u[4:]
    return u.rstrip("/")


def _eq(a: Any, b: Any) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(a - b) <= max(1e-9, 0.01 * abs(b))
    return str(a).strip().lower() == str(b).strip().lower()


def correct(q: dict[str, Any], pred: Any) -> bool:
    gold = q["gold"]
    if gold is None:
        return pred is None
    if pred is None:
        return False
    match = q["match"]
    if match == "exact":
        return _eq(pred, gold) if not isinstance(gold, bool) else pred is gold
    if match == "number":
        try:
            return abs(float(pred) - float(gold)) <= float(q.get("tol", 0)) * abs(float(gold)) + 1e-9
        except (TypeError, ValueError):
            return False
    if match == "contains":
        text = str(pred).lower()
        return all(str(g).lower() in text for g in gold)
    if match == "set":
        items = [str(p).lower() for p in (pred if isinstance(pred, list) else [pred])]
        hits = [g for g in gold if any(str(g).lower() in i or i in str(g).lower() for i in items)]
        extras = [i for i in items if not any(str(g).lower() in i or i in str(g).lower() for g in gold)]
        return len(hits) == len(gold) and len(extras) <= int(q.get("extra", 1))
    if match == "url":
        return _norm_url(str(pred)) == _norm_url(str(gold))
    if match == "currency":
        return (
            isinstance(pred, dict)
            and _eq(pred.get("value"), gold["value"])
            and pred.get("currency") == gold["currency"]
        )
    if match == "json":
        return isinstance(pred, dict) and all(k in pred and _eq(pred[k], v) for k, v in gold.items())
    raise ValueError(f"unknown match rule {match}")


def expected_calibration_error(pairs: list[tuple[float, bool]], bins: int = 10) -> float:
    if not pairs:
        return 0.0
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        group = [(c, ok) for c, ok in pairs if lo <= c < hi or (b == bins - 1 and c == 1.0)]
        if group:
            conf = sum(c for c, _ in group) / len(group)
            acc = sum(ok for _, ok in group) / len(group)
            total += len(group) / len(pairs) * abs(acc - conf)
    return total
