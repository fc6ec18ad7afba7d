"""Pages to read for one question when the crawl's best passages are weak: same-site URLs the crawl saw
(in links or the sitemap) but did not fetch, ranked by how well their link text and URL words match the
question."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit

from dossier.research.gather.crawler import SKIP_EXT
from dossier.research.index import page_key, site_of, url_words
from dossier.research.lexicon import tokens
from dossier.research.read.question import parse

if TYPE_CHECKING:
    from dossier.research.analysis import Analysis


def pages_to_read(question: str, analysis: Analysis, crawl: dict[str, Any], limit: int) -> list[str]:
    base = crawl.get("base_url")
    if not base:
        return []
    site = site_of(base)
    fetched = {page_key(d.url) for d in analysis.pages}
    q = parse(question, "open_text", analysis.domain)
    described: dict[str, list[str]] = {}
    for link in analysis.links:
        url = urldefrag(link.url)[0]
        parts = urlsplit(url)
        if site_of(url) != site or SKIP_EXT.search(parts.path):
            continue
        if page_key(url) not in fetched:
            described.setdefault(f"{base}{parts.path or '/'}", []).append(link.text)
    for doc in analysis.docs:
        if doc.kind == "sitemap":
            for url in doc.text.splitlines():
                parts = urlsplit(url.strip())
                if site_of(url.strip()) == site and page_key(url) not in fetched:
                    described.setdefault(f"{base}{parts.path or '/'}", [])
    scored = []
    for url, texts in described.items():
        about = " ".join([*texts, url_words(url)])
        score = q.mentions(set(tokens(about)))
        if score > 0:
            scored.append((score, -len(url), url))
    scored.sort(reverse=True)
    return [url for _, _, url in scored[:limit]]
