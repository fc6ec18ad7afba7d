"""Verifa — Nordic DevOps / Platform Engineering consultancy (Helsinki and Sweden, 2017-2025); verifa.io.

The site (verifa/website) is a Go server with templ templates: the page templates (`home.templ`, `company.templ`,
`careers.templ`, `services*.templ`, `work.templ`, `contact.templ`, `privacy.templ`) are turned into HTML by keeping
their markup and literal text and dropping Go control flow, styling and scripts; the data loops they run over are
rendered from the Go data in the repo (client and technology logos, certifications, testimonials, the `Crew` map of
`crew.go`, the posts under `posts/`). Posts are rendered at the routes the server gives them: blog, event and podcast
posts at /blog/<slug>/, case studies at /work/<slug>/; job posts (all `active: false` at this commit) are not
served. Crew pages at /crew/<id>/ (active members are listed on /crew/, alumni reached from their posts).

Commit f3ea40df (2024-11-29) is the last one of the full site: in June 2025 the repo was replaced by a minimal
"Verifa has closed its doors" archive, so the site is rendered as it stood in late 2024.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, page_path, rewrite_links

SOURCE = Source(
    host="verifa.io",
    repo="verifa/website",
    commit="f3ea40df323d2cb7bbafa465ef76e83fe5cbb8ab",
    kind="agency / DevOps consultancy (Go + templ site, Markdown posts)",
    notes="Last commit of the full site (2024-11-29) before the 2025 closure archive.",
)

HEADER_LINKS = [
    ("Services", "/services/"),
    ("Work", "/work/"),
    ("About us", "/company/"),
    ("Careers", "/careers/"),
    ("Blog", "/blog/"),
    ("Contact", "/contact/"),
]
REDIRECTS = {
    "/services/assessments": "/services/",
    "/services/consulting": "/services/",
    "/services/coaching": "/services/",
    "/work/continuous-delivery-workshop": "/services/assessments/value-streams/",
    "/work/value-stream-assessment": "/services/assessments/value-streams/",
}


# --------------------------------------------------------------------------------------------------------------------
# templ → HTML


def templ_body(src: str, name: str) -> str:
    m = re.search(rf"^templ {name}\([^)]*\)\s*\{{\n(.*?)^\}}\n", src, re.S | re.M)
    if not m:
        raise ValueError(f"templ {name} not found")
    return m.group(1)


def templ_to_html(body: str) -> str:
    s = body
    s = re.sub(r"<style>.*?</style>", "", s, flags=re.S)
    s = re.sub(r"<svg\b.*?</svg>", "", s, flags=re.S)
    s = re.sub(r"<script\b.*?</script>", "", s, flags=re.S)
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = re.sub(r"<form\b.*?</form>", "", s, flags=re.S)
    # hyperscript attributes (may span lines and contain < >)
    s = re.sub(r'\s_="[^"]*"', "", s, flags=re.S)
    s = re.sub(r"\s_=\{\s*`[^`]*`\s*\}", "", s, flags=re.S)

    def button(m: re.Match[str]) -> str:
        return f'<p><a href="{esc(m.group(2))}">{esc(m.group(1))}</a></p>'

    s = re.sub(r'@linkButton(?:Small|PinkBGSmall)?\("([^"]*)",\s*"([^"]*)"\)', button, s)
    s = re.sub(
        r'@ctaButton\("([^"]*)",\s*"([^"]*)"\)',
        lambda m: f'<p><a href="/contact/">{esc(m.group(1))} {esc(m.group(2))}</a></p>',
        s,
    )
    s = re.sub(r'@homeService\("[^"]*",\s*"([^"]*)"\)\s*\{', lambda m: f"<h3>{esc(m.group(1))}</h3>", s)
    s = re.sub(r"^\s*@.*$", "", s, flags=re.M)
    s = re.sub(r"^\s*(for|if|switch|case)\b.*\{\s*$", "", s, flags=re.M)
    s = re.sub(r"^\s*\}\s*(else\s*\{)?\s*$", "", s, flags=re.M)

    def tag(m: re.Match[str]) -> str:
        name, attrs = m.group(1), m.group(2)
        keep = []
        href = re.search(r'\bhref=(?:"([^"]*)"|\{\s*templ\.URL\("([^"]*)"\)\s*\})', attrs)
        if href:
            keep.append(f'href="{esc(href.group(1) or href.group(2))}"')
        if name == "img":
            alt = re.search(r'\balt="([^"]*)"', attrs)
            src = re.search(r'\bsrc="([^"]*)"', attrs)
            if src:
                keep.append(f'src="{esc(src.group(1))}"')
            if alt:
                keep.append(f'alt="{esc(alt.group(1))}"')
        if name == "spam":  # a typo for span in the templates
            name = "span"
        return f"<{name}{''.join(' ' + k for k in keep)}{'/' if attrs.rstrip().endswith('/') else ''}>"

    s = re.sub(r"<([a-zA-Z][\w-]*)((?:[^<>{}]|\{[^{}]*\})*)>", tag, s)
    s = re.sub(r"</spam>", "</span>", s)
    s = re.sub(r"<(input|button|label|textarea)\b[^>]*>(.*?</\1>)?", "", s, flags=re.S)
    s = re.sub(r"\{\s*children\.\.\.\s*\}", "", s)
    s = re.sub(r"\{[^{}<>]*\}", "", s)  # dynamic text expressions (rendered from data elsewhere)
    s = re.sub(r"<(div|span)>\s*</\1>", "", s)
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n", s)
    return s.strip()


# --------------------------------------------------------------------------------------------------------------------
# Go data


def go_structs(src: str, var: str) -> list[dict[str, str]]:
    """Entries of `var x = []T{ {k: "v", ...}, ... }` with string fields only."""
    m = re.search(rf"var {var} = \[\]\w+\{{\n(.*?)^\}}", src, re.S | re.M)
    out = []
    if not m:
        return out
    for block in re.findall(r"\{\s*\n(.*?)\n\s*\},?", m.group(1), re.S):
        entry = {}
        for k, v in re.findall(r'(\w+):\s*"((?:[^"\\]|\\.)*)"', block):
            entry[k] = v.replace('\\"', '"')
        out.append(entry)
    return out


def crew_members(src: str) -> dict[str, dict[str, Any]]:
    body = src[src.index("var Crew = map[string]Member{") :]
    members: dict[str, dict[str, Any]] = {}
    for m in re.finditer(r'^\t"(\w+)": \{\n(.*?)^\t\},', body, re.S | re.M):
        mid, block = m.group(1), m.group(2)
        info: dict[str, Any] = {"ID": mid}
        for k, v in re.findall(r'^\t\t(\w+):\s*"((?:[^"\\]|\\.)*)"', block, re.M):
            info[k] = v
        info["Active"] = bool(re.search(r"^\t\tActive:\s*true", block, re.M))
        bio = re.search(r"Bio:\s*`(.*?)`", block, re.S)
        info["Bio"] = bio.group(1) if bio else ""
        tags = re.search(r"Tags:\s*\[\]string\{(.*?)\}", block, re.S)
        info["Tags"] = re.findall(r'"([^"]+)"', tags.group(1)) if tags else []
        members[mid] = info
    return members


def bio_html(bio: str) -> str:
    paras = [p.strip() for p in bio.strip().split("\n")]
    return "".join(f"<p>{esc(p)}</p>" for p in paras if p)


# --------------------------------------------------------------------------------------------------------------------


def _resolver(href: str) -> str:
    h = href
    for prefix in ("https://verifa.io", "http://verifa.io", "https://www.verifa.io"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if not h.startswith("/") or h.startswith("//"):
        return href
    target, _, frag = h.partition("#")
    target, _, query = target.partition("?")
    if target.endswith("/index.html"):  # the server redirects these to the folder
        target = target[: -len("index.html")]
    if target.startswith("/insights/"):
        target = "/blog/" + target[len("/insights/") :]
    if target.startswith("/static/") or re.search(r"\.\w{2,4}$", target):
        return href
    if target.rstrip("/") in REDIRECTS:
        target = REDIRECTS[target.rstrip("/")]
    url = page_path(target)
    return url + (f"?{query}" if query and url == "/blog/" else "") + (f"#{frag}" if frag else "")


def _posts(tree: GitTree) -> list[dict[str, Any]]:
    posts = []
    for path in tree.files("posts/", (".md",)):
        text = tree.read(path)
        m = re.match(r"\A---\s*\n(.*?)\n---\s*\n", text, re.S)
        if not m:
            continue
        meta = yaml.safe_load(m.group(1)) or {}
        if meta.get("active", True) is False:
            continue
        slug = path.rsplit("/", 1)[-1][: -len(".md")]
        posts.append({"slug": slug, "meta": meta, "body": text[m.end() :]})
    posts.sort(key=lambda p: str(p["meta"].get("date", "")), reverse=True)
    return posts


def _post_url(p: dict[str, Any]) -> str | None:
    t = p["meta"].get("type")
    if t in ("Blog", "Event", "Podcast"):
        return f"/blog/{p['slug']}/"
    if t == "Case":
        return f"/work/{p['slug']}/"
    return None  # Job posts are served nowhere once inactive


def _post_list(posts: list[dict[str, Any]]) -> str:
    items = []
    for p in posts:
        meta = p["meta"]
        items.append(
            f'<li><a href="{_post_url(p)}">{esc(str(meta["title"]))}</a> '
            f"<span>{esc(str(meta.get('type', '')))}</span> <time>{esc(str(meta.get('date', '')))}</time>"
            f"<p>{esc(str(meta.get('subheading', '')))}</p></li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


ADMONITIONS = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution"}


def _body_md(body: str) -> str:
    body = re.sub(r"\\cite\{[^}]*\}", "", body)
    out = markdown_to_html(body)
    # GitHub-style admonitions (`> [!NOTE]`), rendered as a box headed by the level's title
    out = re.sub(
        r"<blockquote>\s*<p>\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\]\s*",
        lambda m: f"<blockquote><h4>{ADMONITIONS[m.group(1)]}</h4><p>",
        out,
    )
    return rewrite_links(out, _resolver)


def _careers_html(src: str) -> str:
    """The careers page; its "Open positions" block shows only when a job post is active (none at this commit)."""
    body = templ_body(src, "careers")
    body = re.sub(r"\tif len\(jobs\) > 0 \{\n.*?\n\t\}\n", "", body, count=1, flags=re.S)
    return templ_to_html(body)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Verifa")
    home_src = tree.read("home.templ")
    crew = crew_members(tree.read("crew.go"))
    posts = _posts(tree)
    blog_posts = [
        p for p in posts if p["meta"].get("type") in ("Blog", "Event", "Podcast") and not p["meta"].get("hidden")
    ]
    cases = [p for p in posts if p["meta"].get("type") == "Case"]
    active = sorted((m for m in crew.values() if m["Active"]), key=lambda m: m["Name"])

    def member_link(mid: str) -> str:
        m = crew.get(mid, {"Name": mid})
        return f'<a href="/crew/{esc(mid)}/">{esc(m["Name"])}</a>'

    # Home -------------------------------------------------------------------------------------------------------------
    home = templ_to_html(templ_body(home_src, "home"))
    clients = go_structs(home_src, "clients")
    techs = go_structs(home_src, "technologies")
    client_html = (
        "<ul>"
        + "".join(f'<li><img src="{esc(c["white"])}" alt="{esc(c["name"])}"> {esc(c["name"])}</li>' for c in clients)
        + "</ul>"
    )
    tech_html = (
        "<ul>"
        + "".join(f'<li><img src="{esc(t["white"])}" alt="{esc(t["name"])}"> {esc(t["name"])}</li>' for t in techs)
        + "</ul>"
    )
    home = home.replace("<p>Trusted by.</p>", "<p>Trusted by.</p>" + client_html, 1)
    crew_html = (
        "<ul>"
        + "".join(
            f'<li><a href="/crew/{esc(m["ID"])}/">Meet {esc(m.get("Nickname") or m["Name"])}!</a></li>' for m in active
        )
        + "</ul>"
    )
    home = home.replace("<p>Our Crew.</p>", "<p>Our Crew.</p>" + crew_html, 1)
    home = re.sub(r"(for our clients\.\s*</p>)", lambda m: m.group(1) + tech_html, home, count=1)
    home = re.sub(r"<a>\s*<div>\s*<p><span>#</span></p>\s*</div>\s*</a>", "", home)  # tag links (query URLs)
    featured = [p for p in blog_posts if p["meta"].get("featured")][:3]
    home += _post_list(featured)
    site.add(
        "/",
        "Verifa",
        home,
        "We are an expert crew of Platform Engineering consultants helping you improve value stream efficiency "
        "through user-centric internal developer platforms.",
    )

    # Company, crew, careers, contact ---------------------------------------------------------------------------------
    company_src = tree.read("company.templ")
    company = templ_to_html(templ_body(company_src, "company"))
    certs = go_structs(company_src, "certLogos")
    cert_html = (
        "<ul>"
        + "".join(f'<li><img src="{esc(c["Image"])}" alt="{esc(c["Name"])}"> {esc(c["Name"])}</li>' for c in certs)
        + "</ul>"
    )
    company = company.replace("Our Certifications.</h4>", "Our Certifications.</h4>" + cert_html, 1)
    site.add("/company/", "About us", company)

    crew_page = templ_to_html(templ_body(tree.read("crew.templ"), "crew"))
    cards = "".join(
        f'<li><a href="/crew/{esc(m["ID"])}/"><h3>{esc(m["Name"])}</h3><span>{esc(m.get("Position", ""))}</span></a></li>'
        for m in active
    )
    crew_page = re.sub(r"<ul>\s*</ul>", f"<ul>{cards}</ul>", crew_page, count=1)
    if cards not in crew_page:
        crew_page += f"<ul>{cards}</ul>"
    site.add("/crew/", "Our crew", crew_page)

    by_author: dict[str, list[dict[str, Any]]] = {}
    for p in posts:
        if _post_url(p) is None:
            continue
        for a in p["meta"].get("authors") or []:
            by_author.setdefault(a, []).append(p)
    for mid, m in crew.items():
        if m["Active"]:
            tags = "".join(f"<li>#{esc(t)}</li>" for t in m["Tags"])
            links = f'<p><a href="{esc(m.get("Linkedin", ""))}">LinkedIn</a>'
            if m.get("Github"):
                links += f' <a href="https://github.com/{esc(m["Github"])}">GitHub</a>'
            links += "</p>"
            body = (
                f"<h2>{esc(m['Name'])}</h2><h4>{esc(m.get('Position', ''))}</h4>"
                + (f"<ul>{tags}</ul>" if tags else "")
                + links
                + bio_html(m["Bio"])
            )
        else:
            body = f"<h2>{esc(m['Name'])}</h2><h4>Verifa Alumni</h4>"
        if by_author.get(mid):
            body += "<h4>Posts by author</h4>" + _post_list(by_author[mid])
        site.add(f"/crew/{mid}/", m["Name"], body, m["Bio"].strip().split("\n")[0] if m["Active"] else "")

    site.add(
        "/careers/",
        "Careers",
        _careers_html(tree.read("careers.templ")),
        "We are an expert crew of Platform Engineering consultants helping you improve value stream efficiency "
        "through user-centric internal developer platforms.",
    )
    site.add("/contact/", "Contact", templ_to_html(templ_body(tree.read("contact.templ"), "contact")))

    # Services ---------------------------------------------------------------------------------------------------------
    site.add("/services/", "Services", templ_to_html(templ_body(tree.read("services.templ"), "services")))
    for fname, route in (
        ("services_assess_devex.templ", "/services/assessments/developer-experience/"),
        ("services_assess_valuestreams.templ", "/services/assessments/value-streams/"),
    ):
        src = tree.read(fname)
        name = re.search(r"^templ (\w+)\(", src, re.M).group(1)
        body = templ_to_html(templ_body(src, name))
        if "valuestreams" in fname:
            waste = go_structs(tree.read("services.go"), "wastes")
            if waste:
                body += (
                    "<ul>"
                    + "".join(f"<li><strong>{esc(w['name'])}</strong>: {esc(w['description'])}</li>" for w in waste)
                    + "</ul>"
                )
        title = (
            re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", body, re.S).group(1)).strip()
            if "<h1>" in body
            else name
        )
        site.add(route, title, body)

    # Work and cases ---------------------------------------------------------------------------------------------------
    work_src = tree.read("work.templ")
    work = templ_to_html(templ_body(work_src, "work"))
    quotes = go_structs(work_src, "workQuotes")
    work = work.replace("How we have helped.</h2>", "How we have helped.</h2>" + _post_list(cases), 1)
    work += "".join(
        f"<blockquote><p>\u2018{esc(q['Text'])}\u2019</p><p>— {esc(q['Person'])}</p></blockquote>" for q in quotes
    )
    site.add("/work/", "Work", work)

    # Blog ---------------------------------------------------------------------------------------------------------------
    site.add("/blog/", "Blog", "<h1>Blog</h1>" + _post_list(blog_posts))
    for p in posts:
        url = _post_url(p)
        if url is None:
            continue
        meta = p["meta"]
        authors = ", ".join(member_link(a) for a in meta.get("authors") or [])
        tags = ", ".join(f"#{esc(str(t))}" for t in meta.get("tags") or [])
        head = (
            f"<h1>{esc(str(meta['title']))}</h1><p>{esc(str(meta.get('subheading', '')))}</p>"
            f"<p>{esc(str(meta.get('type', '')))} · <time>{esc(str(meta.get('date', '')))}</time> · {authors}</p>"
            f"<p>{tags}</p>"
        )
        site.add(url, str(meta["title"]), head + _body_md(p["body"]), str(meta.get("subheading", "")))

    # Legal --------------------------------------------------------------------------------------------------------------
    legal = tree.read("privacy.templ")
    for name, route, title in (
        ("privacyPolicy", "/privacy/", "Privacy Policy"),
        ("termsOfService", "/terms/", "Terms of Service"),
        ("acceptableUsePolicy", "/acceptableusepolicy/", "Acceptable Use Policy"),
    ):
        site.add(route, title, rewrite_links(templ_to_html(templ_body(legal, name)), _resolver))

    for page in site.pages.values():
        page.body_html = rewrite_links(page.body_html, _resolver)
        # the footer's text block, on every page of the live site
        page.body_html += (
            "\n<aside><p>Here to help you with all things Continuous and Cloud.</p><p>info [at] verifa.io</p></aside>"
        )

    site.nav = list(HEADER_LINKS)
    site.footer = [
        ("Assessments", "/services/"),
        ("Company", "/company/"),
        ("Crew", "/crew/"),
        ("Work", "/work/"),
        ("GitHub", "https://github.com/verifa"),
        ("LinkedIn", "https://www.linkedin.com/company/verifa"),
        ("Twitter", "https://twitter.com/verifaio"),
        ("Privacy Policy", "/privacy/"),
        ("Terms of Service", "/terms/"),
        ("Acceptable Use Policy", "/acceptableusepolicy/"),
    ]
    return site
