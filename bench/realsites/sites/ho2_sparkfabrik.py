"""SparkFabrik — Italian (Milan) web / cloud-native development agency; its public company playbook.

Held-out company. The playbook (playbook.sparkfabrik.com) is a Raneto knowledge base: Markdown pages under
`content/<category>/<slug>.md`, each opening with a `/* Key: value */` metadata comment (Title, Description, Sort,
ShowOnMenu/ShowOnHome), and a `meta` file (title, description, show_on_home) plus a `sort` file per category.
Raneto serves a page at /<category>/<slug> and lists every category with its pages on the home page and in the
sidebar menu of every page; there are no category pages. The home page is the welcome text (`content/_index.md`,
which the theme's home template repeats) followed by that list. The footer (copyright line and the company's registered address) is on every page.
"""

from __future__ import annotations

import re

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, own_link, page_path, rewrite_links

SOURCE = Source(
    host="playbook.sparkfabrik.com",
    repo="sparkfabrik/company-playbook",
    commit="bca2f43c9d7e5b1345e920fb8f5839537e7d12cc",
    kind="services agency, company playbook (Italy; Raneto Markdown)",
    notes="HEAD of master on 2026-05-06.",
)

_ADDRESS = re.compile(r"sparkfabrik_address_it:\s*'([^']*)'")


def _footer(tree: GitTree) -> str:
    """The footer the theme shows on every page: the copyright line and the registered address from the
    site's own config (custom/config.js)."""
    m = _ADDRESS.search(tree.read("custom/config.js"))
    address = f"<p>{m.group(1)}</p>" if m else ""
    return f'<aside class="footer-text"><p>&copy; SparkFabrik</p>{address}</aside>'


_META_COMMENT = re.compile(r"\A\s*/\*(.*?)\*/\s*", re.S)


def _parse_meta(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body) of a Raneto page: `/* Title: x \n Sort: 3 */` at the top."""
    m = _META_COMMENT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.partition(":")
        if sep:
            meta[k.strip().lower()] = v.strip()
    return meta, text[m.end() :]


def _kv_file(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            out[k.strip().lower()] = v.strip()
    return out


def _humanize(slug: str) -> str:
    """Raneto's title for a file or folder without one: dashes to spaces, words capitalised."""
    return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]+", slug) if w)


def _sort_key(value: str | None, name: str) -> tuple[int, str]:
    try:
        return (int(str(value).strip()), name)
    except (TypeError, ValueError):
        return (10_000, name)


def _resolver(href: str) -> str:
    h, target, frag = own_link(href, SOURCE.host)
    if target is None:
        return h
    if target.startswith("//") or target.startswith(("/images/", "/dist/", "/downloads/")):
        return h
    if not target.startswith("/"):
        return h
    if re.search(r"\.(tar\.gz|zip|txt|json)$", target):
        return h
    return page_path(target) + (f"#{frag}" if frag else "")


def build(tree: GitTree) -> Site:
    footer = _footer(tree)
    site = Site(host=SOURCE.host, name="Company playbook")
    categories: list[dict] = []
    cat_dirs = sorted({p.split("/")[1] for p in tree.files("content/") if p.count("/") == 2})
    for cat in cat_dirs:
        meta = _kv_file(tree.read(f"content/{cat}/meta")) if tree.exists(f"content/{cat}/meta") else {}
        sort = tree.read(f"content/{cat}/sort").strip() if tree.exists(f"content/{cat}/sort") else None
        pages = []
        for path in tree.files(f"content/{cat}/", (".md",)):
            if path.count("/") != 2:
                continue
            slug = path.rsplit("/", 1)[-1][: -len(".md")]
            pmeta, body = _parse_meta(tree.read(path))
            title = pmeta.get("title") or _humanize(slug)
            pages.append({"slug": slug, "meta": pmeta, "body": body, "title": title, "url": f"/{cat}/{slug}/"})
        pages.sort(key=lambda p: _sort_key(p["meta"].get("sort"), p["slug"]))
        categories.append(
            {
                "slug": cat,
                "title": meta.get("title") or _humanize(cat),
                "description": meta.get("description", ""),
                "show_on_home": meta.get("show_on_home", "true").lower() != "false",
                "sort": sort,
                "pages": pages,
            }
        )
    categories.sort(key=lambda c: _sort_key(c["sort"], c["slug"]))

    def menu(current: str | None = None) -> str:
        parts = []
        for c in categories:
            items = "".join(
                f'<li><a href="{esc(p["url"])}">{esc(p["title"])}</a></li>'
                for p in c["pages"]
                if p["meta"].get("showonmenu", "true").lower() != "false"
            )
            parts.append(f"<li><h4>{esc(c['title'])}</h4><ul>{items}</ul></li>")
        return '<nav class="menu"><ul>' + "".join(parts) + "</ul></nav>"

    sidebar = menu()

    for c in categories:
        for p in c["pages"]:
            body = markdown_to_html(p["body"])
            body = rewrite_links(body, _resolver)
            head = f"<h1>{esc(p['title'])}</h1>"
            if p["meta"].get("description"):
                head += f"<p><em>{esc(p['meta']['description'])}</em></p>"
            site.add(p["url"], p["title"], head + body + sidebar + footer, p["meta"].get("description", ""))

    # Home: the theme's welcome text, then every category (with its description) and its pages
    index_md = tree.read("content/_index.md") if tree.exists("content/_index.md") else ""
    _, index_body = _parse_meta(index_md)
    home = "<h1>SparkFabrik playbook</h1>" + rewrite_links(markdown_to_html(index_body), _resolver)
    blocks = []
    for c in categories:
        if not c["show_on_home"]:
            continue
        items = "".join(
            f'<li><a href="{esc(p["url"])}">{esc(p["title"])}</a></li>'
            for p in c["pages"]
            if p["meta"].get("showonhome", "true").lower() != "false"
        )
        blocks.append(f"<section><h3>{esc(c['title'])}</h3><p>{esc(c['description'])}</p><ul>{items}</ul></section>")
    home += "".join(blocks) + sidebar + footer
    site.add("/", "SparkFabrik playbook", home, "The manual of our company.")

    site.nav = [("Company playbook", "/")]
    site.footer = [
        ("SparkFabrik", "https://www.sparkfabrik.com"),
        ("GitHub", "https://github.com/sparkfabrik/company-playbook"),
    ]
    return site
