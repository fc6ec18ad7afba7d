"""`dossier people import FILE.csv`: the file sent to POST /v1/contacts/import in chunks of JSON rows, so a
progress bar can follow it and a bad row is reported by its line in the file, not in a chunk."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.progress import Progress


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(file line the record starts on, row) for every non-empty record; the header is line 1."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if header is None:
        raise ValueError(f"{path} is empty")
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num
    try:
        for record in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in record):
                rows.append((start, {h: record[i] for i, h in enumerate(header) if i < len(record)}))
    except csv.Error as exc:
        raise ValueError(f"{path} line {reader.line_num}: {exc}") from None
    return rows


def run_import(url: str, key: str, path: Path, *, chunk: int, console: Console) -> dict[str, Any]:
    rows = read_rows(path)
    counts = {"received": 0, "imported": 0, "created": 0, "updated": 0, "rejected": 0}
    errors: list[dict[str, Any]] = []
    with (
        httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}, timeout=300) as client,
        Progress(console=console) as progress,
    ):
        task = progress.add_task("importing", total=len(rows))
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            resp = client.post("/v1/contacts/import", json={"rows": [row for _, row in part]})
            if resp.status_code != 200:
                raise ValueError(f"the server refused the import ({resp.status_code}): {resp.text[:500]}")
            report = resp.json()
            for name in ("received", "imported", "created", "updated", "rejected"):
                counts[name] += int(report[name])
            # The server numbers JSON rows from 1 within the request: back to lines of the file.
            errors += [{**e, "line": part[e["line"] - 1][0]} for e in report["errors"]]
            progress.advance(task, len(part))
    return {**counts, "errors": errors}
