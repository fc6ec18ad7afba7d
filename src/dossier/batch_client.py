"""`dossier batch`: domains x questions through the HTTP API, with a progress bar and a results CSV.

It speaks only the public API (batch create, then GET each signal), so it works against any
Saber-compatible server.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

CHUNK = 100  # pairs per sync batch call (the contract's limit); each call returns the new ids


def read_domains(path: Path) -> list[str]:
    rows = list(csv.reader(path.read_text().splitlines()))
    if not rows:
        raise ValueError(f"{path} is empty")
    header = [c.strip().lower() for c in rows[0]]
    if "domain" in header:
        i = header.index("domain")
        return [r[i].strip() for r in rows[1:] if len(r) > i and r[i].strip()]
    return [r[0].strip() for r in rows if r and r[0].strip()]


def read_questions(path: Path) -> list[dict[str, Any]]:
    reader = csv.DictReader(path.read_text().splitlines())
    if not reader.fieldnames or "question" not in [f.strip() for f in reader.fieldnames]:
        raise ValueError(f"{path} needs a 'question' column")
    out = []
    for row in reader:
        q = (row.get("question") or "").strip()
        if q:
            spec: dict[str, Any] = {"question": q}
            if (row.get("answerType") or "").strip():
                spec["answerType"] = row["answerType"].strip()
            out.append(spec)
    if not out:
        raise ValueError(f"{path} has no questions")
    return out


def run_batch(
    url: str, key: str, domains_csv: Path, questions_csv: Path, *, out: Path | None, wait: bool, console: Console
) -> str:
    domains = read_domains(domains_csv)
    specs = read_questions(questions_csv)
    per_call = max(1, CHUNK // len(specs)) if len(specs) <= CHUNK else 1
    results: list[dict[str, Any]] = []
    with httpx.Client(base_url=url.rstrip("/"), headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        for start in range(0, len(domains), per_call):
            for q_start in range(0, len(specs), CHUNK):
                body = {"signals": specs[q_start : q_start + CHUNK], "domains": domains[start : start + per_call]}
                resp = _post(client, body)
                results.extend(resp["results"])
        accepted = [r for r in results if r.get("id")]
        final: dict[str, dict[str, Any]] = {}
        if wait and accepted:
            columns = (TextColumn("signals"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
            with Progress(*columns, console=console) as progress:
                task = progress.add_task("signals", total=len(accepted))
                pending = {r["id"] for r in accepted}
                while pending:
                    for signal_id in list(pending):
                        signal = _get(client, signal_id)
                        if signal["status"] != "processing":
                            final[signal_id] = signal
                            pending.discard(signal_id)
                            progress.advance(task)
                    if pending:
                        time.sleep(1.0)
    if out is not None:
        with out.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["domain", "question", "id", "status", "answer", "confidence", "error"])
            for r in results:
                s = final.get(r.get("id") or "", {})
                writer.writerow(
                    [
                        r["domain"],
                        r["question"],
                        r.get("id") or "",
                        s.get("status", r["status"]),
                        _answer_text(s.get("answer")),
                        s.get("confidence", ""),
                        r.get("error") or s.get("error") or "",
                    ]
                )
    rejected = len(results) - len(accepted)
    done = sum(1 for s in final.values() if s["status"] == "completed")
    return f"{len(results)} signals: {len(accepted)} accepted, {rejected} rejected" + (
        f"; {done} completed, {len(final) - done} failed" if wait else ""
    )


def _post(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    while True:
        resp = client.post("/v1/companies/signals/batch", json=body)
        if resp.status_code == 429:
            time.sleep(float(resp.json().get("retryAfter", 60)))
            continue
        if resp.status_code >= 400:
            raise ValueError(f"the server refused the batch: {resp.status_code} {resp.text[:300]}")
        data: dict[str, Any] = resp.json()
        return data


def _get(client: httpx.Client, signal_id: str) -> dict[str, Any]:
    while True:
        resp = client.get(f"/v1/companies/signals/{signal_id}")
        if resp.status_code == 429:
            time.sleep(float(resp.json().get("retryAfter", 60)))
            continue
        resp.raise_for_status()
        data: dict[str, Any] = resp.json()
        return data


def _answer_text(answer: dict[str, Any] | None) -> str:
    if not answer:
        return ""
    inner = answer.get({"open_text": "openText", "json_schema": "jsonSchema"}.get(answer["type"], answer["type"]))
    if isinstance(inner, dict) and "value" in inner and answer["type"] != "currency":
        value = inner["value"]
        return "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return str(inner)
