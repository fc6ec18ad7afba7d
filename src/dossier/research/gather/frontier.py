"""Which page a crawl fetches next: every same-site URL it has seen, ordered by a score, none excluded.

The score prefers pages that tend to hold company facts (about, pricing, careers, security, legal,
handbook sections), shallow paths and few link hops from the homepage, and spreads the budget over
sections: each page already taken from a folder lowers the score of its siblings, so a blog with 2,000
posts cannot crowd out `/dpa` or `/handbook/benefits`. Priorities order; they never exclude.
"""

from __future__ import annotations

import heapq
import re
from urllib.parse import urlsplit

# (path pattern, base score). The first match wins; unmatched pages score DEFAULT.
KEY_PAGES: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"^/?$"), 100),
    (re.compile(r"^/(about|about-us|company|who-we-are|our-story|story|history)/?$", re.I), 90),
    (re.compile(r"^/(pricing|plans|prices)/?$", re.I), 90),
    (
        re.compile(
            r"^/(careers|jobs|join-us|join|work-with-us|hiring|recruitment|vacancies|recrutement|emplois|carrieres"
            r"|karriere|stellen|jobs-und-karriere|empleo|trabaja-con-nosotros)/?$",
            re.I,
        ),
        90,
    ),
    (re.compile(r"^/(team|leadership|people|management|about/team|company/team)/?$", re.I), 85),
    (re.compile(r"^/(security|trust|compliance|trust-center)/?$", re.I), 85),
    (re.compile(r"^/(handbook|playbook|guidebook|open|manifesto)/?$", re.I), 85),
    (re.compile(r"^/(customers|case-studies|clients|stories)/?$", re.I), 80),
    (re.compile(r"^/(integrations|partners|apps|marketplace)/?$", re.I), 80),
    (re.compile(r"^/(contact|contact-us|imprint|impressum|legal)/?$", re.I), 75),
    (re.compile(r"^/(product|platform|features|services|solutions|enterprise)/?$", re.I), 75),
    (re.compile(r"/(privacy|terms|dpa|subprocessors?|sub-processors?|gdpr|cookies?)\b", re.I), 65),
    (re.compile(r"^/(press|news|newsroom|blog|articles|investors?|funding)/?$", re.I), 65),
    # A key page kept a few folders deep, as handbooks and docs do: /handbook/company/history/, /handbook/values/.
    (
        re.compile(
            r"/(about|history|our-story|values|mission|team|leadership|pricing|plans|careers|jobs|hiring|benefits|"
            r"security|compliance|offices|locations|contact|legal|faq|customers|investors|funding)/?$",
            re.I,
        ),
        70,
    ),
    (re.compile(r"/(careers|jobs|positions|openings|roles)/.+", re.I), 60),
    (
        re.compile(r"/(press|news|newsroom|blog|articles)/.*(rais|fund|series|seed|round|launch|announc|acqui)", re.I),
        55,
    ),
    (re.compile(r"/(security|trust|compliance|handbook|company|about)/.+", re.I), 60),
    # Support terms, SLAs, plan details and regions: facts a docs site keeps a few folders deep.
    (re.compile(r"/(support|sla|plans?|billing|regions?|locations?|offices?)(?:[/_-]|$)", re.I), 60),
    (re.compile(r"/(customers|case-studies|stories)/.+", re.I), 45),
    (re.compile(r"/(press|news|newsroom|blog|articles|changelog|releases?)/.+", re.I), 35),
]
DEFAULT = 50
ARCHIVE = re.compile(r"/(tags?|category|categories|authors?|page|archive|feed)(/|$)|/\d+/?$", re.I)
LOCALE = re.compile(r"^/([a-z]{2}(?:[-_][a-z]{2,4})?)(/|$)", re.I)
LANG_CODES = frozenset(
    "ar bg bn ca cs da de el es et fa fi fr he hi hr hu id it ja ko lt lv ms nl no pl pt ro ru sk sl sr sv th tr uk "
    "vi zh".split()
)
DEPTH_COST = 5  # per path segment beyond the first
HOP_COST = 3  # per link hop beyond the first
SIBLING_COST = 2  # per page already taken from the same folder


def base_score(path: str) -> int:
    for pattern, score in KEY_PAGES:
        if pattern.search(path):
            return score
    return DEFAULT


def folder(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[0] or "/"


def static_score(path: str, hops: int) -> int:
    segments = [s for s in path.split("/") if s]
    score = base_score(path) - DEPTH_COST * max(0, len(segments) - 1) - HOP_COST * max(0, hops - 1)
    if ARCHIVE.search(path):
        score -= 25
    m = LOCALE.match(path)
    if m and m.group(1).split("-")[0].split("_")[0].lower() in LANG_CODES:
        score -= 20  # another language's copy of pages the site also has in its main language
    return score


class Frontier:
    """URLs to fetch, best first. Kept per folder, so the sibling penalty is one subtraction per folder."""

    def __init__(self) -> None:
        self._folders: dict[str, list[tuple[int, int, str]]] = {}  # folder -> heap of (-score, seq, url)
        self._hops: dict[str, int] = {}  # queued url -> fewest hops seen
        self._taken: dict[str, int] = {}  # folder -> pages taken from it
        self._seen: set[str] = set()  # every url ever offered
        self._seq = 0

    def __len__(self) -> int:
        return len(self._hops)

    def __contains__(self, url: str) -> bool:
        return url in self._seen

    def offer(self, url: str, hops: int) -> None:
        """Queue a URL (a URL seen before is only re-scored, when this route to it is shorter)."""
        if url in self._seen and (url not in self._hops or self._hops[url] <= hops):
            return
        self._seen.add(url)
        self._hops[url] = hops
        self._seq += 1
        path = urlsplit(url).path or "/"
        heapq.heappush(self._folders.setdefault(folder(path), []), (-static_score(path, hops), self._seq, url))

    def pop(self) -> tuple[str, int] | None:
        """(url, hops) of the best queued page, counting the pages already taken from its folder."""
        while True:
            best: tuple[int, str] | None = None
            for name, heap in self._folders.items():
                while heap and heap[0][2] not in self._hops:
                    heapq.heappop(heap)
                if heap:
                    score = -heap[0][0] - SIBLING_COST * self._taken.get(name, 0)
                    if best is None or score > best[0]:
                        best = (score, name)
            if best is None:
                return None
            heap = self._folders[best[1]]
            neg, _, url = heapq.heappop(heap)
            hops = self._hops.get(url)
            if hops is None:
                continue
            if -neg != static_score(urlsplit(url).path or "/", hops):
                continue  # a stale entry: the URL was re-offered with fewer hops
            del self._hops[url]
            self._taken[best[1]] = self._taken.get(best[1], 0) + 1
            return url, hops
