"""Verification: a finding survives only if its document is a stored snapshot of this crawl and its quote
occurs in it verbatim."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dossier.research.evidence import Finding

if TYPE_CHECKING:
    from dossier.research.analysis import Analysis


def verified(findings: list[Finding], stored_ids: set[str]) -> list[Finding]:
    out = []
    for f in findings:
        doc = f.doc
        if doc.snapshot_id not in stored_ids or not f.quote.strip():
            continue
        if f.quote in doc.text or f.quote in doc.body or f.quote in doc.headers_text():
            out.append(f)
    return out


class SnapshotVerifier:
    def verify(self, findings: list[Finding], analysis: Analysis) -> list[Finding]:
        return verified(findings, {d.snapshot_id for d in analysis.docs})
