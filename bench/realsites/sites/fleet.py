"""Fleet Device Management — open-core device-management company; fleetdm.com is a Sails.js site (fleetdm/fleet).

Rendered the way `website/scripts/build-static-content.js` builds the site:
- Markdown in `handbook/` → /handbook/..., `docs/` → /docs/... (README → its folder, ordering prefixes like "01-"
  stripped, lower-cased), `articles/` → /<category>/<name> (category from the article's `<meta name="category">`;
  "security" → /securing, "success stories" → /success-stories), with each category's index page listing its
  articles. Articles are capped at the 150 most recent by `publishedOn`.
- Open positions: one page per entry of `handbook/company/open-positions.yml` at
  /handbook/company/open-positions/<kebab-title>, filled into the job-ad template of build-static-content.js, and
  listed under "Open positions" on the company handbook page (where the `<open-positions>` component renders them).
- EJS pages (`website/views/pages/*.ejs`) at their routes (`website/config/routes.js`): their static HTML with EJS
  code, Vue bindings and scripts removed. The pricing page's feature tables are built from
  `handbook/company/pricing-features-table.yml` the way `view-pricing.js` groups them.
Header and footer links come from `website/views/layouts/layout.ejs`. /legal/terms and /legal/privacy redirect to
Google Docs on the live site, so they are not pages here.

The upstream snapshot is too large to bring in; the snapshot comes from a fork (jmeeter/fleet) whose HEAD is
upstream commit a4228cc4 (2024-02-06, "Fix UI bug in host query params reconciliation (#16432)").
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

import yaml

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, page_path, rewrite_links

SOURCE = Source(
    host="fleetdm.com",
    repo="jmeeter/fleet",
    commit="a4228cc45c312fe604b7e88ca13e4afe8973fdf6",
    kind="open-core device-management company (handbook Markdown + Sails/EJS pages + YAML)",
    notes="Upstream fleetdm/fleet commit a4228cc4 (2024-02-06), read from a fork's snapshot.",
)

ARTICLE_CAP = 150
# redirects of website/config/routes.js that pages link through
REDIRECTS = {
    "/contact": "/company/contact/",
    "/blog": "/articles/",
    "/apply": "/handbook/company/",
    "/jobs": "/handbook/company/",
    "/try-fleet": "/pricing/",
    "/legal": "https://docs.google.com/document/d/1OM6YDVIs7bP8wg6iA3VG13X086r64tWDqBSRudG4a0Y/edit",
}
CATEGORY_URL = {"security": "securing", "success stories": "success-stories"}
EJS_PAGES = {
    "website/views/pages/homepage.ejs": ("/", "Fleet | Open-source device management"),
    "website/views/pages/contact.ejs": ("/company/contact", "Contact us"),
    "website/views/pages/pricing.ejs": ("/pricing", "Pricing"),
    "website/views/pages/press-kit.ejs": ("/logos", "Logos & artwork"),
    "website/views/pages/transparency.ejs": ("/transparency", "Transparency"),
    "website/views/pages/device-management.ejs": ("/device-management", "Device management (MDM)"),
    "website/views/pages/upgrade.ejs": ("/upgrade", "Upgrade"),
    "website/views/pages/endpoint-ops.ejs": ("/endpoint-ops", "Endpoint operations"),
    "website/views/pages/vulnerability-management.ejs": ("/vulnerability-management", "Vulnerability management"),
    "website/views/pages/support.ejs": ("/support", "Support"),
    "website/views/pages/integrations.ejs": ("/integrations", "Integrations"),
    "website/views/pages/reports/state-of-device-management.ejs": (
        "/reports/state-of-device-management",
        "State of device management",
    ),
    "website/views/pages/imagine/jamf-alternative.ejs": (
        "/imagine/jamf-alternative",
        "An open-source alternative to Jamf",
    ),
    "website/views/pages/imagine/rapid-7-alternative.ejs": (
        "/imagine/rapid-7-alternative",
        "An open-source alternative to Rapid7",
    ),
    "website/views/pages/imagine/higher-education.ejs": ("/imagine/higher-education", "Fleet for higher education"),
    "website/views/pages/imagine/unused-software.ejs": ("/imagine/unused-software", "Unused software"),
}


def ejs_to_html(src: str) -> str:
    """Static HTML of an EJS view: scripts/styles, EJS tags, Vue-only elements and attributes removed."""
    src = re.sub(r"<(script|style)\b.*?</\1>", "", src, flags=re.S | re.I)
    src = re.sub(r"<!--.*?-->", "", src, flags=re.S)
    src = re.sub(r"<%.*?%>", "", src, flags=re.S)
    src = re.sub(r"<(modal|ajax-form|cloud-error|scrollable-tweets|parallax-city)\b.*?</\1>", "", src, flags=re.S)
    src = re.sub(r"\{\{.*?\}\}", "", src, flags=re.S)
    src = re.sub(r'\s(?:[:@][\w.:-]+|v-[\w:.-]+|class|style|purpose|id|alt|loading|role|tabindex)(="[^"]*")?', "", src)
    src = re.sub(r"<img\b[^>]*>", "", src)
    src = re.sub(r"<(div|span)\s*>\s*</\1>", "", src)
    src = re.sub(r"\n\s*\n+", "\n", src)
    return src


def _meta(md: str) -> dict[str, str]:
    return {
        m.group(1): html.unescape(m.group(2)) for m in re.finditer(r'<meta\s+name="(\w+)"\s+value="([^"]*)"\s*/?>', md)
    }


def _kebab(s: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", s)
    return "-".join(w.lower() for w in words)


def _sentence_case(name: str) -> str:
    s = re.sub(r"[-_]+", " ", name).strip()
    return s[:1].upper() + s[1:].lower() if s else s


def _doc_url(prefix: str, rel: str) -> str:
    rel = re.sub(r"(^|/)([^/]+)\.[^/]*$", r"\1\2", rel)
    parts = [re.sub(r"^[0-9]+-+", "", p.lower().replace(" ", "-")) for p in rel.split("/")]
    url = prefix + "/" + "/".join(parts)
    url = re.sub(r"/?readme$", "", url, flags=re.I)
    return page_path(url)


def _position_template(tree: GitTree) -> str | None:
    js = tree.read("website/scripts/build-static-content.js")
    m = re.search(r"let mdStringForThisOpenPosition = `(.*?)`;", js, re.S)
    return m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if m else None


def _pricing_tables(features: list[dict[str, Any]]) -> str:
    out = []
    for category in [
        "Support",
        "Deployment",
        "Integrations",
        "Device management",
        "Endpoint operations",
        "Vulnerability management",
    ]:
        feats = [f for f in features if category in (f.get("pricingTableCategories") or [])]
        feats.sort(key=lambda f: f.get("tier") != "Free")
        rows = "".join(
            f"<tr><td>{esc(str(f.get('industryName') or f.get('name') or ''))}{'*' if f.get('comingSoon') else ''}</td>"
            f"<td>{'✓' if f.get('tier') == 'Free' else ''}</td><td>✓</td></tr>"
            for f in feats
        )
        out.append(
            f"<h4>{esc(category)}</h4><table><thead><tr><th>Feature</th><th>Community</th><th>Premium</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    out.append("<p>* Coming soon</p>")
    return "\n".join(out)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Fleet")
    url_of: dict[str, str] = {}
    md_pages: list[tuple[str, str, str, dict[str, str]]] = []  # (source path, url, text, meta)

    for section, prefix in (("handbook/", "/handbook"), ("docs/", "/docs")):
        for path in tree.files(section, (".md",)):
            url = _doc_url(prefix, path[len(section) :])
            url_of[path] = url
            md_pages.append((path, url, tree.read(path), {}))

    articles = []
    for path in tree.files("articles/", (".md",)):
        text = tree.read(path)
        meta = _meta(text)
        if not meta.get("category"):
            continue
        cat = CATEGORY_URL.get(meta["category"], meta["category"])
        name = path[len("articles/") :]
        url = page_path(f"/{cat}/" + re.sub(r"\.md$", "", name).lower().replace(" ", "-"))
        url_of[path] = url
        articles.append((meta.get("publishedOn", ""), path, url, text, meta))
    articles.sort(reverse=True)
    articles = articles[:ARTICLE_CAP]
    for _d, path, url, text, meta in articles:
        md_pages.append((path, url, text, meta))

    def resolver(source: str):
        def resolve(href: str) -> str:
            h = re.sub(r"^https?://(www\.)?fleetdm\.com", "", href)
            if h == "":
                h = "/"
            if re.match(r"^[a-z][a-z0-9+.-]*:", h, re.I) or h.startswith("#"):
                return h
            target, _, frag = h.partition("#")
            if target.rstrip("/") in REDIRECTS:
                target = REDIRECTS[target.rstrip("/")]
            elif target.startswith("/"):
                if not re.search(r"\.(png|jpe?g|gif|svg|pdf|ya?ml|json|csv)$", target, re.I):
                    target = page_path(target)
            elif target:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
                if joined in url_of:
                    target = url_of[joined]
                elif joined.lower().endswith(".md"):
                    target = _doc_url("/" + joined.split("/")[0], joined.split("/", 1)[1]) if "/" in joined else target
                else:
                    target = f"https://github.com/fleetdm/fleet/blob/main/{joined}"
            return target + (f"#{frag}" if frag else "")

        return resolve

    # --- open positions
    positions = yaml.safe_load(tree.read("handbook/company/open-positions.yml")) or []
    template = _position_template(tree)
    position_links = []
    for pos in positions:
        if not isinstance(pos, dict) or not pos.get("jobTitle") or not template:
            continue
        md = template
        for key in ("jobTitle", "responsibilities", "experience", "hiringManagerName", "hiringManagerLinkedInUrl"):
            md = md.replace("${openPosition." + key + "}", str(pos.get(key, "")))
        url = page_path("/handbook/company/open-positions/" + _kebab(pos["jobTitle"]))
        body = rewrite_links(markdown_to_html(md), resolver("handbook/company/open-positions.yml"))
        body += f"<p>Department: {esc(str(pos.get('department', '')))}. Hiring manager: {esc(str(pos.get('hiringManagerName', '')))}.</p>"
        site.add(url, pos["jobTitle"].strip(), body)
        position_links.append((url, pos["jobTitle"].strip(), pos.get("department", "")))

    # --- EJS pages
    features = yaml.safe_load(tree.read("handbook/company/pricing-features-table.yml")) or []
    for path, (url, title) in EJS_PAGES.items():
        if not tree.exists(path):
            continue
        body = ejs_to_html(tree.read(path))
        if path.endswith("pricing.ejs"):
            parts = body.split("* Coming soon", 1)
            body = _pricing_tables(features) + (parts[1] if len(parts) > 1 else "")
            head = ejs_to_html(tree.read(path).split("<%// All features %>")[0])
            body = head + body
        site.add(url, title, rewrite_links(body, resolver(path)))

    # --- Markdown pages
    for path, url, text, meta in md_pages:
        text = re.sub(r'<meta\s+name="\w+"\s+value="[^"]*"\s*/?>', "", text)
        if path == "handbook/company/README.md" and position_links:
            items = "\n".join(f"- [{t}]({u}) ({d})" for u, t, d in position_links)
            text = text.replace('<open-positions :open-positions="openPositions"></open-positions>', items)
        title = meta.get("articleTitle")
        if not title:
            m = re.search(r"^#\s+(.+)$", text, re.M)
            title = m.group(1).strip() if m else None
        if not title:
            name = path.rsplit("/", 1)
            title = _sentence_case(
                name[0].rsplit("/", 1)[-1] if name[-1].lower() == "readme.md" else re.sub(r"\.md$", "", name[-1])
            )
        site.add_markdown(url, text, title=title, resolve=resolver(path))
        if meta.get("authorFullName"):
            page = site.pages[page_path(url)]
            page.body_html = (
                f"<p>{esc(meta['authorFullName'])} · {esc(meta.get('publishedOn', ''))}</p>\n" + page.body_html
            )

    # --- article category indexes and the articles index
    cats: dict[str, list[tuple[str, str]]] = {}
    for _d, _p, url, _t, meta in articles:
        cats.setdefault(url.strip("/").split("/")[0], []).append((url, meta.get("articleTitle", url)))
    for cat, items in cats.items():
        lis = "".join(f'<li><a href="{u}">{esc(t)}</a></li>' for u, t in items)
        site.add(f"/{cat}", cat.replace("-", " ").capitalize(), f"<ul>{lis}</ul>")
    site.add(
        "/articles",
        "Articles",
        "<ul>"
        + "".join(f'<li><a href="/{c}/">{esc(c.replace("-", " ").capitalize())}</a></li>' for c in sorted(cats))
        + "</ul>",
    )

    site.nav = [
        ("Device management (MDM)", "/device-management/"),
        ("Endpoint operations", "/endpoint-ops/"),
        ("Vulnerability management", "/vulnerability-management/"),
        ("Docs", "/docs/"),
        ("Integrations", "/integrations/"),
        ("Support", "/support/"),
        ("Handbook", "/handbook/"),
        ("Pricing", "/pricing/"),
        ("Announcements", "/announcements/"),
        ("How-to guides", "/guides/"),
        ("Deployment guides", "/deploy/"),
        ("Security", "/securing/"),
        ("Engineering", "/engineering/"),
        ("Releases", "/releases/"),
        ("Podcasts", "/podcasts/"),
        ("Reports", "/reports/state-of-device-management/"),
    ]
    site.nav = [(label, p) for label, p in site.nav if page_path(p) in site.pages]
    site.footer = [
        ("About", "/handbook/"),
        ("Jobs", "/handbook/company/#open-positions"),
        ("Blog", "/articles/"),
        ("Logos/artwork", "/logos/"),
        ("Why open source?", "/handbook/company/why-this-way/#why-open-source"),
        ("Contribute", "/docs/contributing/"),
        ("Contact", "/company/contact/"),
        ("Transparency", "/transparency/"),
        ("Success stories", "/success-stories/"),
        ("Privacy", "https://docs.google.com/document/d/17i_g1aGpnuSmlqj35-yHJiwj7WRrLdC_Typc1Yb7aBE/edit"),
        ("Terms", "https://docs.google.com/document/d/1OM6YDVIs7bP8wg6iA3VG13X086r64tWDqBSRudG4a0Y/edit"),
    ]
    site.link_children()
    return site
