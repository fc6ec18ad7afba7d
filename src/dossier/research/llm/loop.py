"""The research loop: when the model has no verified answer, fetch what it asked for and read again.

A round takes the links the model chose (only unread pages of the site's own link graph, offered to it by the
answerer) and its search queries (only ones about the question or the company; each through the configured
search providers), fetches and stores those pages into the crawl, and asks again. At most `rounds` model
rounds in all. Nothing the model names is fetched unless it passed those filters, so page text that tries to
steer the model cannot steer the fetching.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from dossier.research.gather.search import WebSearch
from dossier.research.index import page_key
from dossier.research.ports import Draft

FetchUrls = Callable[[list[str]], Awaitable[list[str]]]  # urls -> the pages stored
Reread = Callable[[], Awaitable[Draft]]


@dataclass
class ResearchLoop:
    search: WebSearch
    rounds: int = 2  # model rounds in all, the first included

    def settled(self, draft: Draft) -> bool:
        return (draft.value is not None and not draft.inferred) or not (
            draft.more.get("links") or draft.more.get("search")
        )

    async def run(
        self, draft: Draft, known: set[str], fetch_site: FetchUrls, fetch_found: FetchUrls, reread: Reread
    ) -> tuple[Draft, list[str]]:
        """`known`: page keys already stored for the crawl. Returns the last draft and the pages fetched."""
        read: list[str] = []
        for _ in range(max(0, self.rounds - 1)):
            if self.settled(draft):
                break
            links = [u for u in draft.more.get("links", []) if page_key(u) not in known]
            found: list[str] = []
            if self.search:
                for query in draft.more.get("search", []):
                    for r in await self.search.search(query):
                        if page_key(r.url) not in known and r.url not in found:
                            found.append(r.url)
            stored = (await fetch_site(links) if links else []) + (await fetch_found(found) if found else [])
            if not stored:
                break
            read += stored
            known |= {page_key(u) for u in stored}
            draft = await reread()
        return draft, read
