"""Verification: a finding survives only if its document is a stored snapshot and its quote occurs in it."""

from __future__ import annotations

from dossier.research.evidence import Finding


def verified(findings: list[Finding], stored_ids: set[str]) -> list[Finding]:
    out = []
    for f in findings:
        doc = f.doc
        if doc.snapshot_id not in stored_ids or not f.quote.strip():
            continue
        if f.quote in doc.text or f.quote in doc.body or f.quote in doc.headers_text():
            out.append(f)
    return out
