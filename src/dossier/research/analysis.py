"""One crawl, analysed once and shared by every question about it: documents, sections and their index,
links, technologies, job postings. Each part is computed on first use."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from dossier.research.analyze import fingerprints
from dossier.research.analyze import jobs as job_postings
from dossier.research.analyze import people as people_found
from dossier.research.document import Document
from dossier.research.evidence import Finding
from dossier.research.index import Section, SectionIndex, page_key

_LOWER_WORD = re.compile(r"(?<![\w@./#-])[a-z]{2,}(?![\w@/-])")


@dataclass
class Link:
    url: str
    text: str
    doc: Document  # the page the link is on


@dataclass
class Analysis:
    domain: str
    docs: list[Document]
    # Per-snapshot work, kept when the crawl grows by a few pages (snapshots never change).
    _sections: dict[str, list[Section]] = field(default_factory=dict)
    _techs: dict[str, list[Finding]] = field(default_factory=dict)
    # Where a language model's research loop may look next. `sites`: the sites whose unread pages it may ask
    # for (empty: the home page's site). `graphs`: analyses whose link graphs count besides this one's own
    # pages' links (a person's analysis holds their company's pages cut down to the lines about them, without
    # links; the company's whole crawl is the graph).
    sites: tuple[str, ...] = ()
    graphs: tuple[Analysis, ...] = ()
    _lower: dict[str, Counter[str]] = field(default_factory=dict)  # per snapshot: its lower-case words, counted

    def extended(self, more: list[Document]) -> Analysis:
        """This analysis with more documents of the same crawl; per-document work is not done twice."""
        return Analysis(
            self.domain, self.docs + more, self._sections, self._techs, self.sites, self.graphs, self._lower
        )

    @cached_property
    def pages(self) -> list[Document]:
        return [d for d in self.docs if d.kind == "page"]

    @cached_property
    def common_words(self) -> frozenset[str]:
        """Words the site writes in lower case, twice or more (outside addresses and handles): the vocabulary
        that tells a capitalised phrase ("Legal System") from a person's name."""
        counts: Counter[str] = Counter()
        for d in self.pages:
            if d.snapshot_id not in self._lower:
                self._lower[d.snapshot_id] = Counter(m.group(0) for m in _LOWER_WORD.finditer(d.text))
            counts.update(self._lower[d.snapshot_id])
        return frozenset(w for w, n in counts.items() if n >= 2)

    @cached_property
    def index(self) -> SectionIndex:
        return SectionIndex(self.docs, split=self._sections)

    @cached_property
    def by_url(self) -> dict[str, Document]:
        return {page_key(d.url): d for d in self.pages}

    @cached_property
    def links(self) -> list[Link]:
        out, seen = [], set()
        for d in self.pages:
            for url, text in d.links:
                key = (page_key(url), text)
                if key not in seen:
                    seen.add(key)
                    out.append(Link(url, text, d))
        return out

    @cached_property
    def inlinks(self) -> Counter[str]:
        """How many of the crawl's pages link to each page (by page key): the site's own say of which pages
        matter — a hub such as /careers or /pricing is linked from every page, a single job ad from one."""
        counts: Counter[str] = Counter()
        for d in self.pages:
            counts.update({page_key(url) for url, _ in d.links} - {page_key(d.url)})
        return counts

    @cached_property
    def technologies(self) -> list[Finding]:
        best: dict[str, Finding] = {}
        for doc in self.docs:
            if doc.snapshot_id not in self._techs:
                self._techs[doc.snapshot_id] = fingerprints.detect(doc)
            for f in self._techs[doc.snapshot_id]:
                if f.value not in best or f.strength > best[f.value].strength:
                    best[f.value] = f
        return list(best.values())

    @cached_property
    def jobs(self) -> list[Finding]:
        return job_postings.jobs(self.docs)

    @cached_property
    def people(self) -> list[Finding]:
        return people_found.people(self.pages)

    @cached_property
    def titled_mentions(self) -> list[Finding]:
        """People prose names by a top role before their name ("GitLab co-founder Sid Sijbrandij")."""
        return people_found.titled_mentions(self.pages)

    @cached_property
    def bylines(self) -> list[Finding]:
        """Authors named in posts' bylines, with the title the byline gives them ("" when none)."""
        return people_found.bylines(self.pages)

    @cached_property
    def _headings(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for s in self.index.sections:
            if s.heading:
                out.setdefault(s.doc.snapshot_id, []).append(s.heading)
        return out

    @cached_property
    def _by_doc(self) -> dict[str, list[Section]]:
        out: dict[str, list[Section]] = {}
        for s in self.index.sections:
            out.setdefault(s.doc.snapshot_id, []).append(s)
        return out

    def sections_of(self, doc: Document) -> list[Section]:
        return self._by_doc.get(doc.snapshot_id, [])

    def headings(self, doc: Document) -> list[str]:
        """The headings of a page's sections, in order."""
        return self._headings.get(doc.snapshot_id, [])

    def warm(self) -> Analysis:
        """Compute the shared parts now (once per crawl), so that answering a question only reads."""
        _ = self.index, self.technologies, self.jobs, self.people, self.titled_mentions, self.links, self.by_url
        _ = self._by_doc
        _ = self.common_words
        return self

    def looked_at(self) -> str:
        n = len(self.pages)
        return f"{n} page{'s' if n != 1 else ''} of {self.domain}"
