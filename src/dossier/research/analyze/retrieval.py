"""BM25 over page passages: covers questions no analyzer owns."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from dossier.research.analyze.text import boilerplate_lines, sentences, tokens
from dossier.research.document import Document


@dataclass
class Passage:
    text: str
    doc: Document
    score: float = 0.0


class PassageIndex:
    def __init__(self, docs: list[Document], k1: float = 1.4, b: float = 0.75) -> None:
        boiler = boilerplate_lines(docs)
        self.passages: list[Passage] = []
        for doc in docs:
            if doc.kind != "page":
                continue
            for line in doc.text.splitlines():
                if line in boiler:
                    continue
                for s in sentences(line):
                    if len(s) >= 12:
                        self.passages.append(Passage(s, doc))
        self._tokens = [Counter(tokens(p.text)) for p in self.passages]
        self._lengths = [sum(t.values()) for t in self._tokens]
        self._avg = (sum(self._lengths) / len(self._lengths)) if self._lengths else 1.0
        df: Counter[str] = Counter()
        for t in self._tokens:
            df.update(t.keys())
        n = len(self.passages)
        self._idf = {term: math.log(1 + (n - f + 0.5) / (f + 0.5)) for term, f in df.items()}
        self.k1, self.b = k1, b

    def search(self, query: str, limit: int = 8) -> list[Passage]:
        q = set(tokens(query))
        scored = []
        for i, tf in enumerate(self._tokens):
            score = 0.0
            for term in q:
                f = tf.get(term)
                if not f:
                    continue
                norm = f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * self._lengths[i] / self._avg))
                score += self._idf.get(term, 0.0) * norm
            if score > 0:
                scored.append((score, i))
        scored.sort(reverse=True)
        out = []
        for score, i in scored[:limit]:
            p = self.passages[i]
            out.append(Passage(p.text, p.doc, score))
        return out
