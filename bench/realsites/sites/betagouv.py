"""beta.gouv.fr — the French State's digital-services incubator programme (DINUM); Jekyll site, in French.

The pages (``_pages/*.md``) are mostly HTML; their layouts hold more text and Liquid loops over the collections
(startups, job ads, incubators, members). The layouts' static text is kept by a small Liquid reader (tags and
loops taken out, ``if`` blocks decided on the page's data), and the loops that list collections are rendered here
from the collections' Markdown and front matter, with the layouts' own wording: the job board (open ads and the
list of filled ones), the startups by phase, the incubators with their teams, the member directory, and each
startup's page (mission, incubator, sponsors, techno, team members with their roles).

Pinned at the last commit of 2022, when the job board still listed its open ads (they moved to Welcome to the
Jungle later). Capped: every startup not yet in the alumni phase gets its page (alumni are listed by name), and
job ads are the open ones plus the 100 most recent filled ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import yaml

from bench.realsites.render import (
    GitTree,
    Site,
    Source,
    esc,
    markdown_to_html,
    page_path,
    rewrite_links,
    split_front_matter,
)

SOURCE = Source(
    host="beta.gouv.fr",
    repo="betagouv/beta.gouv.fr",
    commit="fdf14e5e7492f608ac9febfda43eaf6263278762",
    kind="public-sector incubator (French, Jekyll)",
)
NOW = dt.date(2022, 12, 31)  # the commit's date: "today" for the site's member/phase filters
CLOSED_JOBS_CAP = 100


# --------------------------------------------------------------------------------------------------------------
# Liquid: keep the static text of a template


_TOKEN = re.compile(r"(\{%-?\s*(\w+)(.*?)-?%\}|\{\{-?(.*?)-?\}\})", re.S)
_BLOCKS = {
    "if": "endif",
    "unless": "endunless",
    "for": "endfor",
    "capture": "endcapture",
    "comment": "endcomment",
    "raw": "endraw",
    "case": "endcase",
}


def _tokens(src: str) -> list[tuple[str, str, str]]:
    out = []
    pos = 0
    for m in _TOKEN.finditer(src):
        if m.start() > pos:
            out.append(("text", src[pos : m.start()], ""))
        if m.group(2) is not None:
            out.append(("tag", m.group(2), m.group(3).strip()))
        else:
            out.append(("out", m.group(4).strip(), ""))
        pos = m.end()
    if pos < len(src):
        out.append(("text", src[pos:], ""))
    return out


def _parse(tokens: list[tuple[str, str, str]], i: int = 0, end: set[str] | None = None) -> tuple[list[Any], int, str]:
    """Nodes until one of the `end` tags; returns (nodes, index after the end tag, the end tag met)."""
    nodes: list[Any] = []
    while i < len(tokens):
        kind, a, b = tokens[i]
        if kind == "tag" and end and a in end:
            return nodes, i, a
        if kind == "tag" and a in _BLOCKS:
            closer = _BLOCKS[a]
            if a in ("if", "unless", "case"):
                branches = []
                cond = b
                j = i + 1
                while True:
                    body, j, met = _parse(tokens, j, {closer, "else", "elsif", "when"})
                    branches.append((cond, body))
                    if met in ("else", "elsif", "when"):
                        cond = "else" if met == "else" else tokens[j][2]
                        j += 1
                        continue
                    break
                nodes.append((a, branches))
                i = j + 1
            else:
                body, j, _ = _parse(tokens, i + 1, {closer})
                nodes.append((a, b, body))
                i = j + 1
            continue
        nodes.append((kind, a, b))
        i += 1
    return nodes, i, ""


class Liquid:
    """Renders a template's static text: loops go to `loop_hook(header)`, `if`s are decided on `ctx`."""

    def __init__(
        self,
        ctx: dict[str, Any],
        include: Callable[[str, str], str],
        loop_hook: Callable[[str], str],
        tag_hook: Callable[[str, str], str] | None = None,
    ) -> None:
        self.ctx = ctx
        self.include = include
        self.loop_hook = loop_hook
        self.tag_hook = tag_hook

    def render(self, src: str) -> str:
        nodes, _, _ = _parse(_tokens(src))
        return self._nodes(nodes)

    def _nodes(self, nodes: list[Any]) -> str:
        out = []
        for n in nodes:
            kind = n[0]
            if kind == "text":
                out.append(n[1])
            elif kind == "out":
                out.append(self._output(n[1]))
            elif kind in ("if", "unless"):
                for k, (cond, body) in enumerate(n[1]):
                    if cond == "else":
                        out.append(self._nodes(body))
                        break
                    truth = self._cond(cond)
                    if kind == "unless" and k == 0:
                        truth = not truth
                    if truth:
                        out.append(self._nodes(body))
                        break
            elif kind == "for":
                out.append(self.loop_hook(n[1]))
            elif kind == "raw":
                out.append("".join(x[1] for x in n[2] if x[0] == "text"))
            elif kind in ("capture", "comment", "case"):
                continue
            elif kind == "tag":
                if n[1] == "include":
                    out.append(self.include(n[2].split()[0] if n[2] else "", n[2]))
                elif self.tag_hook is not None:
                    out.append(self.tag_hook(n[1], n[2]))
        return "".join(out)

    def value(self, expr: str) -> Any:
        expr = expr.strip()
        m = re.fullmatch(r"""(['"])(.*)\1""", expr)
        if m:
            return m.group(2)
        if re.fullmatch(r"-?\d+", expr):
            return int(expr)
        if expr in ("true", "false"):
            return expr == "true"
        if expr in ("nil", "null", "empty"):
            return None
        cur: Any = self.ctx
        for part in expr.split("."):
            if isinstance(cur, dict):
                cur = cur.get(part)
            elif part == "size" and isinstance(cur, (list, str)):
                cur = len(cur)
            else:
                return None
        return cur

    def _output(self, expr: str) -> str:
        parts = [p.strip() for p in expr.split("|")]
        val = self.value(parts[0])
        for f in parts[1:]:
            if f == "size" and isinstance(val, (list, str, dict)):
                val = len(val)
            fm = re.match(r"default:\s*(.+)$", f)
            if fm and not val:
                val = self.value(fm.group(1))
        if val is None or isinstance(val, (dict, list)):
            return ""
        text = str(val)
        return text if parts[0] == "content" else esc(text)

    def _cond(self, cond: str) -> bool:
        for alt in re.split(r"\s+or\s+", cond):
            if all(self._atom(a) for a in re.split(r"\s+and\s+", alt)):
                return True
        return False

    def _atom(self, a: str) -> bool:
        m = re.match(r"(.+?)\s*(==|!=|>=|<=|>|<|contains)\s*(.+)$", a.strip())
        if not m:
            return bool(self.value(a))
        left, op, right = self.value(m.group(1)), m.group(2), self.value(m.group(3))
        try:
            if op == "==":
                return left == right
            if op == "!=":
                return left != right
            if op == "contains":
                return (
                    left is not None
                    and right is not None
                    and str(right) in (left if isinstance(left, list) else str(left))
                )
            if left is None or right is None:
                return False
            return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
        except TypeError:
            return False


# --------------------------------------------------------------------------------------------------------------
# helpers


def _slug_pretty(s: str) -> str:
    """Jekyll's slugify in 'pretty' mode, cased (what :title becomes in a collection permalink)."""
    out = re.sub(r"[^\w._~!$&'()+,;=@]+|_", "-", s)
    return out.strip("-")


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", v)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _fr_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


_CLEAN = [
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r"<(script|style|svg|noscript|select|canvas|object)\b.*?</\1>", re.S | re.I), ""),
    (re.compile(r"<(img|input|source|link|meta)\b[^>]*>", re.I), ""),
    (re.compile(r"<(form|/form)\b[^>]*>", re.I), ""),
]


def _clean_html(h: str) -> str:
    for pat, rep in _CLEAN:
        h = pat.sub(rep, h)
    return h


def _md_or_html(body: str) -> str:
    if re.match(r"\s*<", body):
        # an HTML page (with Markdown between its blocks, as kramdown reads it): no line is an indented code block
        body = "\n".join(line.lstrip() for line in body.split("\n"))
    # kramdown's "{: .class}" attribute lists are not text
    body = re.sub(r"^\{:[^}]*\}\s*$", "", body, flags=re.M)
    return markdown_to_html(body)


def _strip_html(h: str) -> str:
    import html as _html

    return _html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h)).strip())


# --------------------------------------------------------------------------------------------------------------


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="beta.gouv.fr", lang="fr")
    config = yaml.safe_load(tree.read("_config.yml")) or {}

    def load(coll: str) -> list[dict[str, Any]]:
        docs = []
        for path in sorted(tree.files(f"content/_{coll}/")):
            if not path.endswith(".md"):
                continue
            meta, body = split_front_matter(tree.read(path))
            name = path.rsplit("/", 1)[1][:-3]
            meta = dict(meta)
            meta["_id"] = name
            meta["_body"] = body
            meta["_path"] = path
            docs.append(meta)
        return docs

    startups = load("startups")
    jobs = load("jobs")
    incubators = load("incubators")
    phases = sorted(load("phases"), key=lambda p: p.get("order", 0))
    organisations = {f"/organisations/{o['_id']}": o for o in load("organisations")}
    authors = load("authors")
    teams = load("teams")
    phase_by = {p["_id"]: p for p in phases}
    incub_by = {i["_id"]: i for i in incubators}

    def last_phase(s: dict[str, Any]) -> str:
        ph = s.get("phases") or []
        return (ph[-1].get("name") if ph and isinstance(ph[-1], dict) else "") or ""

    def last_end(a: dict[str, Any]) -> dt.date | None:
        ms = a.get("missions") or []
        return _date(ms[-1].get("end")) if ms and isinstance(ms[-1], dict) else None

    def is_current(a: dict[str, Any]) -> bool:
        end = last_end(a)
        return not (a.get("missions") and end and end <= NOW)

    def first_start(a: dict[str, Any]) -> dt.date:
        starts = [_date(m.get("start")) for m in a.get("missions") or [] if isinstance(m, dict)]
        starts = [s for s in starts if s]
        return min(starts) if starts else NOW

    startup_url = {s["_id"]: f"/startups/{_slug_pretty(s['_id'])}/" for s in startups if last_phase(s) != "alumni"}
    startup_by_id = {s["_id"]: s for s in startups}
    startup_by_title = {str(s.get("title")): s for s in startups}

    def job_url(j: dict[str, Any]) -> str:
        name = j["_id"]
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})-(.*)$", name)
        d = _date(j.get("date")) or (dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else NOW)
        title = m.group(4) if m else name
        return f"/recrutement/{d:%Y/%m/%d}/{_slug_pretty(title)}/"

    for j in jobs:
        j["_date"] = _date(j.get("date")) or _date(j["_id"]) or NOW
    open_jobs = sorted(
        (
            j
            for j in jobs
            if j.get("open") in (True, "true")
            and not (_date(j.get("depublication_date")) and _date(j.get("depublication_date")) <= NOW)
        ),
        key=lambda j: j["_date"],
        reverse=True,
    )
    closed_jobs = sorted(
        (j for j in jobs if j.get("open") not in (True, "true")), key=lambda j: j["_date"], reverse=True
    )
    closed_jobs = closed_jobs[:CLOSED_JOBS_CAP]
    rendered_jobs = open_jobs + closed_jobs
    job_urls = {id(j): job_url(j) for j in rendered_jobs}

    # ---- link resolution --------------------------------------------------------------------------------
    def resolve(href: str) -> str:
        m = re.match(r"^https?://(www\.)?beta\.gouv\.fr(/.*)?$", href)
        if m:
            href = m.group(2) or "/"
        if not href.startswith("/") or href.startswith("//"):
            return href
        path, _, frag = href.partition("#")
        path = path.split("?")[0]
        if path.startswith(("/content/", "/img/", "/assets/")) or path.endswith(
            (".pdf", ".xml", ".json", ".csv", ".docx", ".odt")
        ):
            return href
        sm = re.match(r"^/startups/([^/]+?)(\.html)?/?$", path)
        if sm:
            sid = unquote(sm.group(1))
            return startup_url.get(sid, "/startups/") + (f"#{frag}" if frag else "")
        path = page_path(path)
        return path + (f"#{frag}" if frag else "")

    def finish(h: str) -> str:
        return rewrite_links(_clean_html(h), resolve)

    # ---- shared pieces written after the layouts' own markup -------------------------------------------
    def sponsor_names(s: dict[str, Any]) -> list[str]:
        return [
            str(organisations.get(x, {}).get("name") or "") for x in s.get("sponsors") or [] if organisations.get(x)
        ]

    def sponsor_acronyms(s: dict[str, Any]) -> str:
        return " / ".join(
            f'<abbr title="{esc(str(o.get("name", "")))}">{esc(str(o.get("acronym", "")))}</abbr>'
            for o in (organisations.get(x) for x in s.get("sponsors") or [])
            if o
        )

    def startup_card(s: dict[str, Any]) -> str:
        title = esc(_strip_html(str(s.get("title", ""))))
        link = f'<a href="{startup_url[s["_id"]]}">{title}</a>' if s["_id"] in startup_url else title
        spons = sponsor_acronyms(s)
        return (
            f'<div class="card"><h3>{link}</h3>'
            + (f"<p>{spons}</p>" if spons else "")
            + f"<p>{esc(_strip_html(str(s.get('mission') or '')))}</p></div>"
        )

    def job_card(j: dict[str, Any]) -> str:
        s = startup_by_title.get(str(j.get("startup"))) or startup_by_id.get(str(j.get("startup")))
        by = j.get("friend") or (s.get("title") if s else None) or "beta.gouv.fr"
        excerpt = _strip_html(_md_or_html(j["_body"].split("<!--more-->")[0].split("\n\n", 2)[0] if j["_body"] else ""))
        parts = [f'<h4><a href="{job_urls[id(j)]}">{esc(str(j.get("roles", "")))}</a></h4>']
        if excerpt:
            parts.append(f"<p>{esc(excerpt[:260])}</p>")
        parts.append(f"<p>Offre de {esc(_strip_html(str(by)))}</p>")
        inc = incub_by.get(str(s.get("incubator"))) if s else None
        if inc:
            parts.append(f"<p>{esc(str(inc.get('title', '')))}</p><p>Posté le {_fr_date(j['_date'])}</p>")
        if j.get("junior"):
            parts.append("<p>Ouvert aux juniors</p>")
        techno = j.get("techno")
        if techno:
            items = techno if isinstance(techno, list) else [techno]
            parts.append("<ul>" + "".join(f"<li>{esc(str(t))}</li>" for t in items) + "</ul>")
        return '<div class="job-card">' + "".join(parts) + "</div>"

    def member_card(a: dict[str, Any], *, details: bool = True) -> str:
        current = is_current(a)
        name = esc(str(a.get("fullname", "")))
        if a.get("link"):
            name = f'<a href="{esc(str(a["link"]))}">{name}</a>'
        parts = [f"<h3>{name}</h3>", f"<p>{esc(str(a.get('role', ''))) if current else 'Alumnus'}</p>"]
        if details:
            bio = _strip_html(markdown_to_html(a.get("_body") or ""))
            if bio:
                parts.append(f"<p>{esc(bio)}</p>")
            sts = list(a.get("startups") or []) + list(a.get("previously") or [])
            tags = []
            for sid in sts[:4]:
                st = startup_by_id.get(str(sid))
                if st:
                    t = esc(_strip_html(str(st.get("title", ""))))
                    tags.append(
                        f'<li><a href="{startup_url[sid]}">{t}</a></li>' if sid in startup_url else f"<li>{t}</li>"
                    )
            if tags:
                parts.append("<ul>" + "".join(tags) + "</ul>")
        return '<div class="member">' + "".join(parts) + "</div>"

    currents = sorted((a for a in authors if is_current(a)), key=first_start, reverse=True)
    total_active = sum(1 for a in authors if a.get("missions") and last_end(a) and last_end(a) >= NOW)

    # ---- layouts --------------------------------------------------------------------------------------------
    def read_include(name: str) -> str | None:
        path = f"_includes/{name}"
        return tree.read(path) if tree.exists(path) else None

    def render_template(src: str, ctx: dict[str, Any], loop_hook: Callable[[str], str]) -> str:
        def include(name: str, args: str) -> str:
            if name == "hero-page.html":
                title = ctx.get("page", {}).get("title")
                sub = ctx.get("page", {}).get("subtitle")
                return (f"<h1>{esc(str(title))}</h1>" if title else "") + (f"<h2>{esc(str(sub))}</h2>" if sub else "")
            if name.startswith("{{"):
                name = str(ctx.get("page", {}).get("sidebar") or "")
            if name.startswith("sidebar-") or name in ("hero-with-image.html",):
                inc = read_include(name)
                return render_template(inc, ctx, lambda h: "") if inc else ""
            return ""

        def tag_hook(tag: str, args: str) -> str:
            if tag == "render_community_stats" and args.strip() == "total":
                return str(total_active)
            return ""

        return Liquid(ctx, include, loop_hook, tag_hook).render(src)

    layouts: dict[str, tuple[dict[str, Any], str]] = {}
    for path in tree.files("_layouts/", (".html",)):
        meta, body = split_front_matter(tree.read(path))
        layouts[path.removeprefix("_layouts/").removesuffix(".html")] = (meta, body)

    site_ctx = {"email": config.get("email"), "lang": "fr", "incubators": {"size": len(incubators)}}

    def jobs_loop_factory(page: dict[str, Any]) -> Callable[[str], str]:
        dom = page.get("domaine", "all")
        sel = [j for j in open_jobs if dom == "all" or dom in (j.get("domaines") or [])]

        def hook(header: str) -> str:
            if header.startswith("job in jobs"):
                return "".join(job_card(j) for j in sel)
            if header.startswith("item in layout.menu"):
                items = layouts["jobs"][0].get("menu") or []
                links = [(it, f"/recrutement/{_slug_pretty(_latin(it)).lower()}/") for it in items]
                return "<ul>" + "".join(f'<li><a href="{u}">{esc(t)}</a></li>' for t, u in links) + "</ul>"
            return ""

        return hook

    def closed_list() -> str:
        items = []
        for j in closed_jobs:
            s = startup_by_id.get(str(j.get("startup")))
            by = j.get("friend") or (s.get("title") if s else None) or "beta.gouv.fr"
            items.append(
                f'<li><a href="{job_urls[id(j)]}">{esc(_strip_html(str(by)))} : {esc(str(j.get("roles", "")))}, '
                f"le {_fr_date(j['_date'])}</a></li>"
            )
        return "".join(items)

    def startups_phase_sections() -> str:
        out = []
        for ph in phases:
            status = ph.get("status") or ph["_id"]
            sts = [s for s in startups if last_phase(s) == ph["_id"]]
            n = len(sts)
            plural = "s" if n > 1 else ""
            label = str(ph.get("label", "")).lower()
            if status == "success":
                h2 = f"{n} {ph.get('type_label', '')}{plural} {label}{plural}"
            elif status == "alumni":
                h2 = f"Nos {label}"
            else:
                h2 = f"{n} {ph.get('type_label', '')}{plural} en {label}"
            out.append(f'<div id="{esc(status)}"><h2>{esc(h2)}</h2><p>{esc(str(ph.get("short_description", "")))}.</p>')
            out.append("".join(startup_card(s) for s in sts))
            out.append("</div>")
        return "".join(out)

    def incubators_html() -> str:
        out = []
        for inc in incubators:
            owner = organisations.get(str(inc.get("owner")), {})
            excerpt = _md_or_html(inc["_body"].split("\n\n")[0]) if inc["_body"].strip() else ""
            out.append(
                f'<div id="{esc(inc["_id"])}"><h2>{esc(str(inc.get("title", "")))}</h2>'
                f"<p>{esc(str(owner.get('name', '')))}</p>{excerpt}"
            )
            if inc.get("address"):
                out.append(f"<p>{esc(str(inc['address']))}</p>")
            if inc.get("website"):
                out.append(f'<p><a href="{esc(str(inc["website"]))}">Voir le site</a></p>')
            for team in teams:
                if str(team.get("incubator")) != inc["_id"]:
                    continue
                members = [
                    a
                    for a in sorted(currents, key=lambda a: str(a.get("fullname", "")))
                    if team["_id"] in (a.get("teams") or []) or f"/teams/{team['_id']}" in (a.get("teams") or [])
                ]
                out.append(f'<section id="team-{esc(team["_id"])}">')
                if team.get("name"):
                    out.append(f"<h3>{esc(str(team['name']))}</h3><p>{esc(str(team.get('mission', '')))}</p>")
                out.append("".join(member_card(a, details=False) for a in members) + "</section>")
            out.append("</div><hr>")
        return "".join(out)

    def home_loop(header: str) -> str:
        if header.startswith("startup in startups"):
            wanted = "transport. data.gouv.fr,La Bonne Alternance,Pix,Mon-entreprise".split(",")
            return "".join(startup_card(s) for s in startups if str(s.get("title")) in wanted)
        return ""

    def page_loop(layout: str, page: dict[str, Any]) -> Callable[[str], str]:
        if layout == "jobs":
            base = jobs_loop_factory(page)
            state = {"n": 0}

            def hook(header: str) -> str:
                if header.startswith("job in jobs"):
                    state["n"] += 1
                    return base(header) if state["n"] == 1 else closed_list()
                return base(header)

            return hook
        if layout == "home":
            return home_loop
        if layout == "startups":

            def hook(header: str) -> str:
                if header.split()[:3] == ["phase", "in", "phases"]:
                    hook.done = getattr(hook, "done", 0) + 1  # type: ignore[attr-defined]
                    return startups_phase_sections() if hook.done == 1 else ""  # type: ignore[attr-defined]
                return ""

            return hook
        if layout == "incubateurs":
            return lambda h: incubators_html() if h.startswith("incubator in site.incubators") else ""
        if layout == "communaute":
            return lambda h: "".join(member_card(a) for a in currents[:7]) if h.startswith("author in currents") else ""
        return lambda h: ""

    def render_with_layout(layout: str, page: dict[str, Any], content: str) -> str:
        html = content
        seen = 0
        while layout and layout != "default" and layout in layouts and seen < 5:
            meta, src = layouts[layout]
            ctx = {
                "page": {**page, "url": page.get("permalink", "")},
                "site": site_ctx,
                "content": html,
                "layout": meta,
                "currents": currents,
                "jobs": {"size": len(open_jobs)},
            }
            if layout == "jobs":
                dom = page.get("domaine", "all")
                ctx["jobs"] = {"size": len([j for j in open_jobs if dom == "all" or dom in (j.get("domaines") or [])])}
            src = src.replace("{{ content }}", "\0CONTENT\0")
            out = render_template(src, ctx, page_loop(layout, page))
            html = out.replace("\0CONTENT\0", html)
            layout = meta.get("layout") or ""
            seen += 1
        return html

    # ---- _pages ----------------------------------------------------------------------------------------------
    page_paths = {}
    for path in tree.files("_pages/", (".md",)):
        meta, body = split_front_matter(tree.read(path))
        permalink = str(meta.get("permalink") or "")
        if not permalink or permalink in ("/home.html",) or "merci" in permalink or "confirmez" in permalink:
            continue
        url = page_path(permalink)
        page_paths[path] = url
        html = render_with_layout(str(meta.get("layout") or "page"), meta, _md_or_html(body))
        title = str(meta.get("title") or meta.get("heroTitle") or _first_h1(html) or url.strip("/"))
        site.add(url, title, finish(html), str(meta.get("search_description") or meta.get("description") or ""))
    # the home page is index.md
    meta, body = split_front_matter(tree.read("index.md"))
    site.add(
        "/",
        str(meta.get("title") or "beta.gouv.fr"),
        finish(render_with_layout("home", meta, _md_or_html(body))),
        str(meta.get("summary") or ""),
    )

    # ---- startups ---------------------------------------------------------------------------------------------
    for s in startups:
        if s["_id"] not in startup_url:
            continue
        site.add(
            startup_url[s["_id"]],
            _strip_html(str(s.get("title", s["_id"]))),
            finish(
                _startup_page(
                    s, phase_by, incub_by, sponsor_names, config, open_jobs, job_card, authors, is_current, member_card
                )
            ),
            str(s.get("mission") or ""),
        )

    # ---- jobs -------------------------------------------------------------------------------------------------
    job_tpl = tree.read("_includes/job-content.html") if tree.exists("_includes/job-content.html") else ""
    cm = re.search(r'<section class="fr-py-6w section-color">.*?</section>', job_tpl, re.S)
    community_block = cm.group(0) if cm else ""
    for j in rendered_jobs:
        s = startup_by_id.get(str(j.get("startup"))) or startup_by_title.get(str(j.get("startup")))
        by = j.get("friend") or (s.get("title") if s else None) or "beta.gouv.fr"
        parts = [f"<p>{esc(_strip_html(str(by)))} <em>recrute</em></p><h1>{esc(str(j.get('roles', '')))}</h1>"]
        if j.get("type") == "friend" and j.get("externalURL"):
            parts.append(
                f'<p>Une offre à pourvoir chez nos camarades <br><a href="{esc(str(j["externalURL"]))}">'
                f"Voir l'offre sur le site de {esc(str(j.get('friend', '')))}</a></p>"
            )
        if j in open_jobs:
            parts.append(f"<p>Poste ouvert le {_fr_date(j['_date'])}</p>")
        else:
            parts.append(f"<p>Ce poste a été pourvu depuis son ouverture le {_fr_date(j['_date'])}</p>")
        if j.get("junior"):
            parts.append("<p>Bienvenue aux juniors sur ce poste ! L'équipe assurera votre formation.</p>")
        techno = j.get("techno")
        if techno:
            items = techno if isinstance(techno, list) else [techno]
            parts.append(
                "<p>Choix technologiques :</p><ul>" + "".join(f"<li>{esc(str(t))}</li>" for t in items) + "</ul>"
            )
        parts.append(_md_or_html(j["_body"]))
        if s:
            parts.append(startup_card(s))
        parts.append(community_block)
        site.add(job_urls[id(j)], f"{j.get('roles', 'Recrutement')}", finish("".join(parts)))

    # ---- member directory (rendered in the browser from the members' data on the live site) ---------------------
    annuaire = ["<h1>Annuaire des membres</h1>", f"<p>{len(currents)} membres actifs</p>"]
    annuaire += [member_card(a, details=False) for a in sorted(currents, key=lambda a: str(a.get("fullname", "")))]
    site.pages.pop("/communaute/annuaire/", None)
    site.add("/communaute/annuaire/", "Annuaire des membres", finish("".join(annuaire)))

    # ---- MOOC and FAST pages (collections with output) ----------------------------------------------------------
    for coll, prefix in (("mooc", "/approche/formation/mooc/"), ("fasts", "/approche/fast/")):
        for d in load(coll):
            url = f"{prefix}{_slug_pretty(d['_id'])}/"
            body = render_template(d["_body"], {"page": d, "site": site_ctx}, lambda h: "")
            title = str(d.get("title") or d["_id"])
            site.add(url, title, finish(f"<h1>{esc(title)}</h1>" + _md_or_html(body)))

    # ---- navigation --------------------------------------------------------------------------------------------
    menu = yaml.safe_load(tree.read("_data/menu.yml")) or {}
    footer = yaml.safe_load(tree.read("_data/footer.yml")) or {}
    nav = [
        ("Découvrir le programme", "/approche/"),
        ("Identifier le problème à résoudre", "/approche/investigation/"),
        ("Réaliser un service numérique", "/approche/construction/"),
        ("Devenir Intrapreneur", "/devenir-intrapreneur/"),
        ("Découvrir notre manifeste", "/manifeste/"),
    ]
    for item in menu.get("nav") or []:
        target = page_paths.get(str(item.get("target")))
        if target:
            nav.append((str(item.get("label")), target))
    site.nav = nav
    foot: list[tuple[str, str]] = []
    for group in footer.get("links") or []:
        for link in group.get("children") or []:
            url = page_paths.get(str(link.get("target"))) if link.get("target") else link.get("url")
            if url:
                foot.append((str(link.get("label")), str(url)))
    for link in footer.get("mandatorylinks") or []:
        url = page_paths.get(str(link.get("target"))) if link.get("target") else link.get("url")
        if url:
            foot.append((str(link.get("label")), str(url)))
    for item in menu.get("shortcuts") or []:
        foot.append((str(item.get("label")), str(item.get("url"))))
    foot.append(("licence etalab-2.0", "https://github.com/etalab/licence-ouverte/blob/master/LO.md"))
    foot.append(("Recrutement", "/recrutement/"))
    foot.append(("Réalisations", "/startups/"))
    site.footer = foot
    site.link_children()
    return site


def _latin(s: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def _first_h1(h: str) -> str | None:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", h, re.S)
    return _strip_html(m.group(1)) if m else None


def _startup_page(
    s, phase_by, incub_by, sponsor_names, config, open_jobs, job_card, authors, is_current, member_card
) -> str:
    phase = phase_by.get((s.get("phases") or [{}])[-1].get("name", "") if s.get("phases") else "", {})
    status = phase.get("status")
    parts = [f"<h1>{esc(_strip_html(str(s.get('title', ''))))}</h1>"]
    if s.get("mission"):
        parts.append(f"<p>{esc(str(s['mission']))}</p>")
    if s.get("link"):
        parts.append(f'<p><a href="{esc(str(s["link"]))}">{esc(str(s["link"]))}</a></p>')
    if phase:
        en = "" if phase.get("_id") == "success" else "en "
        parts.append(
            f'<ul><li><a href="{esc(str(phase.get("documentation_url", "")))}">Produit {en}{esc(str(phase.get("label", "")).lower())}</a></li></ul>'
        )
    info = []
    inc = incub_by.get(str(s.get("incubator")))
    if inc:
        verb = "a été portée" if status == "success" else "est portée"
        info.append(
            f'L\'équipe {verb} par <a href="/incubateurs/#{esc(inc["_id"])}">{esc(str(inc.get("title", "")))}</a>'
        )
    names = sponsor_names(s)
    if names:
        info.append("L'équipe est sponsorisée par " + esc(", ".join(names)))
    if s.get("contact"):
        info.append(f'<a href="mailto:{esc(str(s["contact"]))}">Contacter l’équipe</a>.')  # noqa: RUF001
    else:
        info.append(f'<em><a href="mailto:{esc(str(config.get("email", "")))}">Contacter l\'incubateur</a>.</em>')
    if status != "investigation":
        if s.get("stats"):
            info.append("Les statistiques d'usage sont disponibles.")
        else:
            info.append("Les statistiques d'usage <em>ne sont pas encore disponibles.</em>")
        if s.get("repository"):
            info.append(f'Le code source <a href="{esc(str(s["repository"]))}">est libre</a>.')
        else:
            info.append("Le code source <em>n'est pas encore ouvert.</em>")
        if s.get("budget_url"):
            info.append(f'Le budget <a href="{esc(str(s["budget_url"]))}">est ouvert</a>.')
        else:
            info.append("L’équipe ne communique pas encore sur son budget.")  # noqa: RUF001
        if s.get("accessibility_status"):
            info.append(f"Le statut d'accessibilité du produit est : <em>{esc(str(s['accessibility_status']))}</em>")
        elif status in ("acceleration", "success", "transfer"):
            info.append("Le statut d'accessibilité du produit est : <em>non-conforme</em>")
        if s.get("analyse_risques_url"):
            info.append(
                f"L'équipe a réalisé un atelier <a href=\"{esc(str(s['analyse_risques_url']))}\"> d'analyse de risques</a>."
            )
        elif s.get("analyse_risques"):
            info.append("L'équipe a réalisé un atelier d'analyse de risques mais ne le rend pas encore public.")
        elif status in ("acceleration", "success", "transfer"):
            info.append("L'équipe <em>n'a pas encore réalisé ou publié son atelier d'analyse de risques.</em>")
        if s.get("dashlord_url"):
            info.append(
                f'Le suivi des bonnes pratiques de ce produit est disponible sur <a href="{esc(str(s["dashlord_url"]))}"> Dashlord</a>.'
            )
        else:
            info.append(
                "Le suivi des bonnes pratiques de ce produit <em>n'est pas encore disponible sur Dashlord.</em>"
            )
        techno = s.get("techno")
        if techno:
            items = techno if isinstance(techno, list) else [techno]
            info.append("Technologies utilisées : " + esc(", ".join(str(t) for t in items)))
    parts.append("<ul>" + "".join(f"<li>{x}</li>" for x in info) + "</ul>")
    mine = [j for j in open_jobs if str(j.get("startup")) == s["_id"]]
    if mine:
        parts.append("<h2>Postes ouverts</h2>" + "".join(job_card(j) for j in mine))
    parts.append(_md_or_html(s["_body"]))
    team = [a for a in authors if s["_id"] in (a.get("startups") or [])]
    current = [a for a in team if is_current(a)]
    past = [a for a in team if not is_current(a)] + [a for a in authors if s["_id"] in (a.get("previously") or [])]
    parts.append('<h2 id="equipe">L\'équipe</h2>' + "".join(member_card(a) for a in current))
    if past:
        parts.append("<h2>Les anciennes et les anciens</h2>" + "".join(member_card(a) for a in past))
    rgpd = s.get("rgpd")
    if isinstance(rgpd, dict):
        r = ["<h2>Protection des données personnelles</h2><ul>"]
        r.append(f"<li>Le responsable du traitement est : <b>{esc(str(rgpd.get('responsable', '')))}</b></li>")
        if rgpd.get("finalites"):
            r.append(
                "<li>Le traitement a pour finalité(s) :<ul>"
                + "".join(f"<li>{esc(str(x))}</li>" for x in rgpd["finalites"])
                + "</ul></li>"
            )
        else:
            r.append(f"<li>La finalité du traitement est : {esc(str(s.get('mission', '')))}</li>")
        r.append(
            "<li>Les données personnelles suivantes sont collectées :<ul>"
            + "".join(f"<li>{esc(str(x))}</li>" for x in rgpd.get("donnees") or [])
            + "</ul></li>"
        )
        r.append(
            "<li>Les mesures suivantes ont été mises en place en vue d'assurer la sécurité :<ul>"
            + "".join(
                f"<li>{esc(str(c.get('type', '')))} par {esc(str(c.get('intervenant', '')))} le {esc(str(c.get('date', '')))}</li>"
                for c in rgpd.get("controles") or []
                if isinstance(c, dict)
            )
            + "</ul></li>"
        )
        if rgpd.get("mesures_securite"):
            r.append(f"<li>{esc(str(rgpd['mesures_securite']))}</li>")
        if rgpd.get("validite_homologation"):
            r.append(
                f"<li>Ce produit a fait l'objet d'une homologation de sécurité valable jusqu'au {esc(str(rgpd['validite_homologation']))}</li>"
            )
        else:
            r.append("<li>Ce produit est encore en cours d'obtention de l'homologation de sécurité</li>")
        r.append("</ul>")
        parts.append("".join(r))
    return "".join(parts)
