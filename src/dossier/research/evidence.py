"""Findings and the evidence they rest on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dossier.research.document import Document


@dataclass
class Finding:
    """One fact found in one document, with the exact text it rests on."""

    kind: str  # technology, job, headcount, money, ...
    value: Any
    quote: str
    doc: Document
    strength: float = 0.8  # how directly the quote states the value, 0..1
    label: str = ""  # e.g. the technology's category, a job's department

    @property
    def url(self) -> str:
        return self.doc.url
