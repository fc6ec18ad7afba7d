"""Haskell Foundation — non-profit supporting the Haskell ecosystem (Hakyll site: Markdown items + Hakyll templates)."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from typing import Any

from bench.realsites.render import GitTree, Site, Source, markdown_to_html, page_path, rewrite_links, split_front_matter

SOURCE = Source(
    host="haskell.foundation",
    repo="haskellfoundation/haskellfoundation.github.io",
    commit="653d14059e232ac37393207e694a7cdd363b832a",
    kind="foundation / non-profit (Hakyll)",
    notes="site.hs rules re-done in Python: Markdown items rendered with markdown-it and laid into the repo's own "
    "Hakyll templates (a small $if/$for/$partial interpreter); the sponsor footer of every page is kept; "
    "Hakyll's .html routes are served as folder paths (/news/2021-02-01/x.html -> /news/2021-02-01/x/)",
)

Ctx = dict[str, Any]


# --- a small interpreter for Hakyll templates ------------------------------------------------------------

_TOKEN = re.compile(r"\$(?:(if|for)\(([\w.-]+)\)|(else|endif|sep|endfor)|partial\(\"([^\"]+)\"\)|([\w.-]+))?\$")


def _parse(text: str) -> list:
    """Template text -> nested nodes: str | ("var", name) | ("if", name, then, else) | ("for", name, body, sep) | ("partial", path)."""
    pos = 0
    root: list = []
    stack: list[tuple[str, Any, list, list | None]] = []
    cur = root
    for m in _TOKEN.finditer(text):
        cur.append(text[pos : m.start()])
        pos = m.end()
        kind, arg, kw, partial, var = m.groups()
        if m.group(0) == "$$":
            cur.append("$")
        elif kind:
            node = [kind, arg, [], []]
            cur.append(node)
            stack.append((kind, node, cur, None))
            cur = node[2]
        elif kw in ("else", "sep"):
            _, node, parent, _ = stack[-1]
            cur = node[3]
        elif kw in ("endif", "endfor"):
            _, node, parent, _ = stack.pop()
            cur = parent
        elif partial:
            cur.append(["partial", partial])
        elif var:
            cur.append(["var", var])
    cur.append(text[pos:])
    return root


class Templates:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.cache: dict[str, list] = {}

    def load(self, path: str) -> list:
        if path not in self.cache:
            _, body = split_front_matter(self.tree.read(path))
            self.cache[path] = _parse(body)
        return self.cache[path]

    def apply(self, path: str, *ctxs: Ctx) -> str:
        return self.render(self.load(path), list(ctxs))

    def apply_text(self, text: str, *ctxs: Ctx) -> str:
        return self.render(_parse(text), list(ctxs))

    def _lookup(self, name: str, ctxs: list[Ctx]) -> Any:
        for c in reversed(ctxs):
            if name in c and c[name] is not None and c[name] != []:
                return c[name]
        return None

    def render(self, nodes: list, ctxs: list[Ctx]) -> str:
        out = []
        for n in nodes:
            if isinstance(n, str):
                out.append(n)
            elif n[0] == "var":
                v = self._lookup(n[1], ctxs)
                out.append("" if v is None or isinstance(v, list) else str(v))
            elif n[0] == "if":
                out.append(self.render(n[2] if self._lookup(n[1], ctxs) is not None else n[3], ctxs))
            elif n[0] == "for":
                items = self._lookup(n[1], ctxs) or []
                parts = [self.render(n[2], [*ctxs, it]) for it in items]
                out.append(self.render(n[3], ctxs).join(parts) if n[3] else "".join(parts))
            elif n[0] == "partial":
                out.append(self.apply(n[1], *ctxs))
        return "".join(out)


# --- the site -------------------------------------------------------------------------------------------


def _clean(h: str) -> str:
    h = re.sub(r"<script\b.*?</script>|<svg\b.*?</svg>|<!--.*?-->|<iframe\b.*?</iframe>", "", h, flags=re.S)
    h = re.sub(r'\s(?:class|style|aria-hidden)="[^"]*"', "", h)
    return re.sub(r"\n\s*\n+", "\n", h)


def _url(route: str) -> str:
    """A Hakyll route (news/2021-02-01/x.html, careers/index.html) as this corpus serves it."""
    route = re.sub(r"(^|/)index\.html$", "", route)
    return page_path(re.sub(r"\.html$", "", route))


def _resolve(href: str) -> str:
    m = re.match(r"^https?://(?:www\.)?haskell\.foundation(/[^#]*)?(#.*)?$", href)
    if m:
        href = (m.group(1) or "/") + (m.group(2) or "")
    if href.startswith("/") and not href.startswith("/assets/"):
        path, _, frag = href.partition("#")
        if not re.search(r"\.(pdf|png|jpe?g|svg|xml|txt|css|js|mp3)$", path, re.I):
            path = _url(path.lstrip("/").removesuffix("/index.html")) if path != "/" else "/"
        return path + (f"#{frag}" if frag else "")
    return href


def _plain_first_para(body_html: str) -> str:
    m = re.search(r"<p>(.*?)</p>", body_html, re.S)
    return html.escape(html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()) if m else ""


def _fmt_date(d: dt.date | None, fmt: str = "%B %e, %Y") -> str:
    return d.strftime(fmt) if d else ""


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", str(v or ""))
    return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Haskell Foundation")
    tpl = Templates(tree)

    def item(path: str, route: str | None = None) -> Ctx:
        meta, body = split_front_matter(tree.read(path))
        ctx: Ctx = {k: (v if not isinstance(v, (dt.date, dt.datetime)) else v.isoformat()) for k, v in meta.items()}
        ctx["body"] = rewrite_links(markdown_to_html(body), _resolve)
        ctx["path"] = path
        ctx["url"] = _url(route) if route else None
        return ctx

    def items(prefix: str, route: bool = False) -> list[Ctx]:
        out = []
        for p in sorted(tree.files(prefix, (".markdown",))):
            if p.count("/") != prefix.count("/"):
                continue
            out.append(item(p, p[: -len(".markdown")] + ".html" if route else None))
        return out

    sponsors = items("donations/sponsors/")
    boiler: Ctx = {
        "golds": [s for s in sponsors if s.get("level") == "Gold"],
        "silvers": [s for s in sponsors if s.get("level") == "Silver"],
        "bronzes": [s for s in sponsors if s.get("level") == "Bronze"],
    }
    footer = _clean(tpl.apply("templates/footer.html", boiler))

    def add(route: str, title: str, body: str, description: str = "") -> None:
        body = rewrite_links(_clean(body), _resolve)
        site.add(_url(route), title, body + '\n<div id="site-footer">' + footer + "</div>", description)

    def page(route: str, template: str, title: str, *ctxs: Ctx) -> None:
        add(route, title, tpl.apply(template, boiler, *ctxs))

    # Item pages with their own route.
    careers = items("careers/", route=True)
    for c in careers:
        page(c["url"].strip("/") + ".html", "templates/careers/page.html", c.get("title", ""), c)
    page(
        "careers/index.html",
        "templates/careers/list.html",
        "Careers",
        {
            "openreqs": [c for c in careers if c.get("status") == "Open"],
            "closedreqs": [c for c in careers if c.get("status") == "Closed"],
            "hiringsponsors": [s for s in sponsors if s.get("careersUrl")],
        },
    )

    inkinds = items("donations/inkind/", route=True)
    for c in inkinds:
        page(c["url"].strip("/") + ".html", "templates/donations/page.html", c.get("title", ""), c)
    page("donations/index.html", "templates/donations/list.html", "Sponsorship", {"inkinds": inkinds})

    affiliates = items("affiliates/")
    page(
        "affiliates/index.html",
        "templates/affiliates/list.html",
        "Affiliates",
        {
            "affiliated": [a for a in affiliates if a.get("status") == "affiliated"],
            "pending": [a for a in affiliates if a.get("status") == "pending"],
        },
    )

    projects = items("projects/")
    for p in projects:
        p["id"] = posixpath.basename(p["path"]).removesuffix(".markdown")
    page(
        "projects/index.html",
        "templates/projects/list.html",
        "Projects",
        {
            k: [p for p in projects if p.get("status") == v]
            for k, v in (
                ("ideas", "ideation"),
                ("proposals", "proposed"),
                ("inprogress", "inprogress"),
                ("completed", "completed"),
            )
        },
    )

    # News: full articles get pages; entries with `link` are headlines pointing elsewhere.
    news = []
    for p in sorted(tree.files("news/", (".markdown",))):
        it = item(p, None if "link" in split_front_matter(tree.read(p))[0] else p[: -len(".markdown")] + ".html")
        d = _as_date(it.get("date") or it.get("published")) or _as_date(p)
        it["date"] = _fmt_date(d)
        it["_d"] = d
        it["teaser"] = _plain_first_para(it["body"])
        news.append(it)
        if it["url"]:
            page(p[: -len(".markdown")] + ".html", "templates/news/page.html", it.get("title", ""), it)
    news.sort(key=lambda n: (n["_d"] or dt.date(1970, 1, 1), n["path"]), reverse=True)
    groups: dict[str, list[Ctx]] = {}
    for n in news:
        groups.setdefault(n["path"].split("/")[1], []).append(n)
    tiles = "".join(
        tpl.apply("templates/news/tile.html", boiler, {"category": _fmt_date(_as_date(cat)), "news": ns})
        for cat, ns in sorted(groups.items(), reverse=True)
    )
    add(
        "news/index.html",
        "News",
        tpl.apply_text(tree.read("templates/news/list.html").split("$for(categories)$")[0].split("---", 2)[-1], boiler)
        + tiles,
    )

    press = items("press/")
    press.sort(key=lambda p: p["path"], reverse=True)
    page("news/press/index.html", "templates/press/list.html", "Press", {"press_articles": press})

    faq = sorted(items("faq/"), key=lambda f: str(f.get("order", "")))
    page("faq/index.html", "templates/faq/list.html", "FAQ", {"faq_entries": faq})

    # Who we are: current and past executive team and board (tenureEnd set = past).
    people = items("who-we-are/people/")
    role_order = [
        "Chair",
        "Vice Chair",
        "Treasurer",
        "Vice Treasurer",
        "Secretary",
        "Vice Secretary",
        "Board Member",
        "Observer",
    ]

    def board_key(p: Ctx) -> int:
        t = str(p.get("title") or "Board Member").replace("Vice-Secretary", "Vice Secretary")
        return role_order.index(t) if t in role_order else len(role_order)

    def select(exec_: str, current: bool) -> list[Ctx]:
        return [
            p
            for p in people
            if str(p.get("executiveTeam")) == exec_
            and (
                (p.get("tenureEnd") is None and p.get("tenureStart") is not None)
                if current
                else p.get("tenureEnd") is not None
            )
        ]

    who: Ctx = {
        "currentexecutiveteam": select("True", True),
        "currentboard": sorted(select("False", True), key=board_key),
        "pastexecutiveteam": select("True", False),
        "pastboard": select("False", False),
        "interimboard": [p for p in people if str(p.get("interimBoard")) == "True"],
    }
    page("who-we-are/index.html", "templates/who-we-are/exec-and-board.html", "Who We Are", who)
    page("who-we-are/past-boards/index.html", "templates/who-we-are/past-board.html", "Past Boards", who)

    # Podcast.
    episodes = []
    for p in sorted(
        tree.files("podcast/", ("index.markdown",)),
        key=lambda s: int(s.split("/")[1]) if s.split("/")[1].isdigit() else -1,
    ):
        ep = p.split("/")[1]
        it = item(p, f"podcast/{ep}/index.html")
        for part in ("transcript", "links"):
            f = f"podcast/{ep}/{part}.markdown"
            it[part] = (
                rewrite_links(markdown_to_html(split_front_matter(tree.read(f))[1]), _resolve)
                if tree.exists(f)
                else None
            )
        episodes.append(it)
        page(f"podcast/{ep}/index.html", "templates/podcast/episode.html", it.get("title", ""), it)
    page(
        "podcast/index.html", "templates/podcast/list.html", "Haskell Interlude", {"episodes": list(reversed(episodes))}
    )

    # Events, partnerships, reports.
    def dated(prefix: str, route_fn) -> list[Ctx]:
        out = []
        for p in sorted(tree.files(prefix, (".markdown",))):
            if p.count("/") != prefix.count("/"):
                continue
            it = item(p, route_fn(p))
            it["_d"] = _as_date(it.get("date") or it.get("published")) or _as_date(p)
            out.append(it)
        return sorted(out, key=lambda i: i["_d"] or dt.date(1970, 1, 1), reverse=True)

    events = dated("events/", lambda p: p[: -len(".markdown")] + ".html")
    for e in events:
        page(e["url"].strip("/") + ".html", "templates/events/page.html", e.get("title", ""), e)
    page("events/index.html", "templates/events/list.html", "Events", {"events": events})

    partnerships = dated("partnerships/", lambda p: p[: -len(".markdown")] + ".html")
    for e in partnerships:
        page(e["url"].strip("/") + ".html", "templates/partnerships/page.html", e.get("title", ""), e)
    page("partnerships/index.html", "templates/partnerships/list.html", "Partnerships", {"partnerships": partnerships})

    reports = dated("reports/", lambda p: p[: -len(".markdown")] + "/index.html")
    for r in reports:
        r["date"] = _fmt_date(r["_d"], "%B %d, %Y")
        page(r["url"].strip("/") + "/index.html", "templates/reports/page.html", r.get("title", ""), r)
    page("reports/index.html", "templates/reports/list.html", "Reports", {"reports": reports})

    resources = items("resources/")
    page("resources/index.html", "templates/resources/list.html", "Resources", {"resources": resources})

    # Static pages (**/index.html run as templates over the sponsor context).
    for p in tree.files("", ("index.html",)):
        if p.startswith(("templates/", "assets/", "tools/")) or p == "index.html":
            continue
        meta, body = split_front_matter(tree.read(p))
        add(p, str(meta.get("title") or p.split("/")[-2].replace("-", " ").title()), tpl.apply_text(body, boiler, meta))

    # Home page.
    home_ctx: Ctx = {
        "openreqs": [c for c in reversed(careers) if c.get("status") == "Open"],
        "announcements": [n for n in news][:1],
        "episodes": episodes[-1:],
        "events": [e for e in events if e.get("status") == "active"],
    }
    add("index.html", "Haskell Foundation", tpl.apply("templates/homepage.html", boiler, home_ctx))

    site.nav = [
        ("Current Board", "/who-we-are/"),
        ("Past Boards", "/who-we-are/past-boards/"),
        ("Contact", "/contact/"),
        ("Vision", "/vision/"),
        ("Careers", "/careers/"),
        ("Podcast", "/podcast/"),
        ("Projects", "/projects/"),
        ("Partnerships", "/partnerships/"),
        ("Sponsorship", "/donations/"),
        ("Affiliates", "/affiliates/"),
        ("About Affiliating", "/affiliates/about/"),
        ("News", "/news/"),
        ("Events", "/events/"),
        ("Press", "/news/press/"),
        ("Resources", "/resources/"),
        ("FAQ", "/faq/"),
        ("Donate", "https://donorbox.org/donation-button-52?"),
    ]
    site.footer = [
        ("contact us", "/contact/"),
        ("Twitter", "https://twitter.com/haskellfound"),
        ("LinkedIn", "https://www.linkedin.com/company/haskell-foundation-inc"),
        ("Discourse", "https://discourse.haskell.org/c/haskell-foundation"),
        ("GitHub", "https://github.com/haskellfoundation"),
    ]
    return site
