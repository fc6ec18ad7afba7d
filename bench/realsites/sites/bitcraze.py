"""Bitcraze — Swedish maker of the Crazyflie open-source nano drone; its website bitcraze.io (Jekyll + Ruby plugins).

Rendered from `src/**/*.md` (URL = file path, Jekyll's pretty permalinks). The site's own Liquid tags
(`src/_plugins/*.rb`) are turned into the HTML or Markdown they render to: `id_link`/`id_url` (links by page_id),
`poplink` (links from `_data/poplink.yml`), team cards (`_includes/teammember.html`), row/step/tab blocks (their
titles become headings), `product_highlight`, `distributor`/`continent`/`country`, `buy_online`, `inline_button`,
`notice_*`, `collapse_section`; media tags (images, videos, maps, embeds) are dropped. FAQ entries come from the
FAQ page's front matter (`layout: page-f-a-q`). Header menu from `_data/menu.yml`, footer from
`_includes/footer.html`, redirects from each page's `redirects:` front matter.

Not renderable from this repository: the blog (WordPress, injected at build time — the homepage's blog cards are
lorem-ipsum placeholders and are left out), product datasheet sections (`datasheet_section` reads
`documentation/hardware/*`, generated from other repositories), and the repository documentation pages
(`/documentation/repository/...`, pulled from the product repositories by the web-builder).
"""

from __future__ import annotations

import html
import json
import re

import yaml

from bench.realsites.render import GitTree, Site, Source, _md, esc, page_path, rewrite_links, split_front_matter

SOURCE = Source(
    host="bitcraze.io",
    repo="bitcraze/bitcraze-website",
    commit="244f1c88ca999c59467065dc007cfa4c675ef747",
    kind="hardware company (open-source nano drones, Sweden), Jekyll",
)

_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
_BLOCK_TAGS = ("div", "section", "address", "blockquote", "ul", "ol", "table", "article", "header", "footer", "nav")


def _args(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split(";")]


def _include_params(text: str) -> dict[str, str]:
    return {k: v for k, v in re.findall(r'(\w+)="(.*?)"(?=\s+\w+=|\s*$)', text.strip(), re.S)}


class _Ctx:
    def __init__(self, pages: dict[str, tuple[str, str]], poplinks: dict[str, dict]) -> None:
        self.pages = pages  # page_id -> (url, title)
        self.poplinks = poplinks
        self.missing: set[str] = set()


def liquid(body: str, ctx: _Ctx) -> str:
    """The site's Liquid tags → Markdown/HTML, as its plugins render them (visible text only)."""
    saved: list[str] = []

    def keep(text: str) -> str:
        saved.append(text)
        return f"\x00K{len(saved) - 1}\x00"

    body = re.sub(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", "", body, flags=re.S)
    body = re.sub(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", lambda m: keep(m.group(1)), body, flags=re.S)
    body = re.sub(
        r"\{%-?\s*ditaa\b[^%]*%\}(.*?)\{%-?\s*endditaa\s*-?%\}",
        lambda m: "\n" + keep("```\n" + m.group(1).strip("\n") + "\n```") + "\n",
        body,
        flags=re.S,
    )
    body = re.sub(r"\{\{\s*page\.path\s*\}\}", "", body)

    def link_for(page_id: str, frag: str | None = None) -> tuple[str, str] | None:
        if page_id not in ctx.pages:
            ctx.missing.add(page_id)
            return None
        url, title = ctx.pages[page_id]
        return (url + (f"#{frag}" if frag else ""), title)

    def tag(m: re.Match[str]) -> str:
        name, raw = m.group(1), m.group(2)
        a = _args(raw)
        if name == "id_url":
            hit = link_for(a[0], a[1] if len(a) > 1 else None)
            return hit[0] if hit else "#"
        if name == "id_link":
            hit = link_for(a[0], a[1] if len(a) > 1 else None)
            return f'<a href="{esc(hit[0])}">{esc(hit[1])}</a>' if hit else ""
        if name == "poplink":
            p = ctx.poplinks.get(a[0])
            if not p:
                return ""
            text = a[1] if len(a) > 1 and a[1] else str(p.get("title", ""))
            return f'<a href="{esc(str(p.get("default-link", "")))}">{esc(text)}</a>'
        if name == "include":
            if "teammember" in raw:
                p = _include_params(raw.split("teammember.html", 1)[1])
                bio = p.get("bio", "").strip()
                return (
                    f'\n\n<div class="team-card">\n\n### {html.unescape(p.get("member", ""))}\n\n'
                    f'<h5 class="text-muted">{p.get("role", "")}</h5>\n\n{bio}\n\n</div>\n\n'
                )
            return ""
        if name in ("row_image_text_links", "row_icon_text_links", "row_video_text_links"):
            return f"\n\n## {a[0]}\n\n"
        if name == "si_intro":
            return f"\n\n## {a[0]}\n\n"
        if name == "si_step":
            return f"\n\n### {a[0]}\n\n"
        if name == "tab":
            return f"\n\n#### {a[0]}\n\n"
        if name == "product_highlight":
            title = a[1] if len(a) > 1 else ""
            phrase = a[2] if len(a) > 2 else ""
            return f"\n\n## {title}\n\n{phrase}\n\n"
        if name == "collapse_section":
            return f"\n\n**{a[0]}**\n\n"
        if name in ("notice_info", "notice_important"):
            return f"\n\n{a[0]}\n\n"
        if name == "inline_button":
            return f'<a href="{esc(a[1])}">{esc(a[0])}</a>' if len(a) > 1 else ""
        if name in ("buy_online", "buy_online_top", "buy_online_bottom"):
            return f'\n\n<a href="{esc(a[0])}">Buy online</a>\n\n' if a and a[0].startswith("http") else ""
        if name == "distributor":
            return f'\n- <a href="{esc(a[1])}">{esc(a[0])}</a>\n' if len(a) > 1 else ""
        if name == "continent":
            return f"\n\n## {a[0]}\n\n"
        if name == "country":
            return f"\n\n### {a[0]}\n\n"
        if name == "used_by_text":
            return f'\n\n<a href="{esc(a[1])}">{esc(a[0])}</a>\n\n' if len(a) > 1 else f"\n\n{a[0]}\n\n"
        if name == "used_by_logo":
            return f"\n\n{a[0]}\n\n"
        # everything else: media and embeds (img, product_img, youtube, gallery_youtube, map, hackster,
        # tutorialVideo, demoVideo, media_gallery), datasheet sections (source not in this repository),
        # and the opening/closing tags of layout blocks (row_*, tabgroup, endtab, ...)
        return "\n\n"

    body = _TAG.sub(tag, body)
    body = re.sub(r"\x00K(\d+)\x00", lambda m: saved[int(m.group(1))], body)
    return body


def md_to_html(body: str) -> str:
    """Markdown with embedded HTML blocks, the way kramdown reads it: nested HTML is not an indented code block,
    and `markdown="1"` blocks have their inside read as Markdown."""
    saved: list[str] = []

    def keep(m: re.Match[str]) -> str:
        saved.append(m.group(0))
        return f"\x00F{len(saved) - 1}\x00"

    body = _FENCE.sub(keep, body)
    body = re.sub(r"<script\b.*?</script>", "", body, flags=re.S | re.I)
    body = re.sub(r"<style\b.*?</style>", "", body, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    out = []
    depth = 0
    for line in body.split("\n"):
        s = line.strip()
        opens = len(re.findall(rf"<({'|'.join(_BLOCK_TAGS)})\b", s, re.I))
        closes = len(re.findall(rf"</({'|'.join(_BLOCK_TAGS)})>", s, re.I))
        if depth > 0 or re.match(r"</?[a-zA-Z]", s):
            line = s  # no indented code blocks inside HTML blocks
        if re.fullmatch(r"</?(div|section)\b[^<>]*>", s, re.I):
            out.extend(["", s, ""])
        else:
            out.append(line)
        depth = max(0, depth + opens - closes)
    body = "\n".join(out)
    body = re.sub(r"\x00F(\d+)\x00", lambda m: saved[int(m.group(1))], body)
    return _md.render(body)


def _resolve(href: str) -> str:
    if re.match(r"^https?://(www\.)?bitcraze\.io(/|$)", href):
        href = "/" + href.split("/", 3)[3] if href.count("/") >= 3 else "/"
    if href.startswith("/") and not href.startswith("//"):
        path, _, frag = href.partition("#")
        if not re.search(r"\.\w{2,4}$", path.split("?")[0]):
            path = page_path(path.split("?")[0])
        return path + (f"#{frag}" if frag else "")
    return href


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Bitcraze")
    sources = [
        p
        for p in tree.files("src/", (".md",))
        if not re.search(r"/_", p.removeprefix("src")) and not p.startswith("src/documentation/hardware/")
    ]
    metas: dict[str, tuple[dict, str]] = {}
    pages: dict[str, tuple[str, str]] = {}
    for p in sources:
        meta, body = split_front_matter(tree.read(p))
        url = page_path(p.removeprefix("src/"))
        metas[p] = (meta, body)
        if meta.get("page_id"):
            pages[str(meta["page_id"])] = (url, str(meta.get("title") or url))
    poplinks = (yaml.safe_load(tree.read("src/_data/poplink.yml")) or {}).get("poplinks", {})
    ctx = _Ctx(pages, poplinks)

    redirects: dict[str, str] = {}
    skip = {"src/404.md", "src/empty-page.md", "src/blog.md"}
    for p in sources:
        if p in skip:
            continue
        meta, body = metas[p]
        url = page_path(p.removeprefix("src/"))
        if meta.get("layout") == "redirect":
            continue
        if p == "src/index.md":
            # the blog cards are placeholders the WordPress blog fills in at build time
            body = re.sub(r"<!-- Blog Section Start -->.*?<!-- Blog Section End -->", "", body, flags=re.S)
        body_html = md_to_html(liquid(body, ctx))
        if meta.get("layout") == "page-f-a-q":
            items = []
            for item in meta.get("faq") or []:
                q = esc(str(item.get("question", "")))
                a = md_to_html(liquid(str(item.get("answer", "")), ctx))
                items.append(f'<div class="accordion-item"><h5>{q}</h5>\n<div class="accordion-body">{a}</div></div>')
            body_html += '\n<div class="accordion">' + "\n".join(items) + "</div>"
        if meta.get("layout") == "page-product":
            body_html += (
                '\n<p style="text-align: center;"><strong>If you have any further questions please contact '
                '<a href="mailto:support@bitcraze.io">support@bitcraze.io</a></strong></p>'
            )
        body_html = rewrite_links(body_html, _resolve)
        # links into the WordPress blog (/YYYY/MM/slug/) are not part of this rendering: keep their text only
        body_html = re.sub(r'<a\s[^>]*href="/20\d\d/\d\d/[^"]*"[^>]*>(.*?)</a>', r"\1", body_html, flags=re.S)
        title = str(meta.get("title") or url)
        site.add(url, title, body_html, str(meta.get("description") or ""))
        for old in meta.get("redirects") or []:
            redirects[page_path(str(old))] = url
            redirects[page_path(str(old)).rstrip("/")] = url

    # header menu (src/_data/menu.yml): every entry of the drop-down menus
    menu = yaml.safe_load(tree.read("src/_data/menu.yml")) or []
    nav: list[tuple[str, str]] = []

    def add_sub(sub: dict) -> None:
        if "page_id" in sub:
            pid = str(sub["page_id"])
            if pid in pages and pages[pid][0] in site.pages:
                nav.append((pages[pid][1], pages[pid][0]))
        elif "url" in sub:
            nav.append((str(sub.get("title", sub["url"])), str(sub["url"])))

    for item in menu:
        for sub in item.get("subs") or []:
            add_sub(sub)
        for section in item.get("sections") or []:
            for sub in section.get("subs") or []:
                add_sub(sub)
    site.nav = nav
    footer = tree.read("src/_includes/footer.html")
    site.footer = [
        (html.unescape(label).strip(), href)
        for href, label in re.findall(r'<li><a href="([^"]+)">(.*?)</a></li>', footer)
    ] + [
        (label, href)
        for href, label in re.findall(r'<a (?:rel="me" )?href="(https://[^"]+)" aria-label="([^"]+)"', footer)
    ]
    site.extra_files["_site.json"] = json.dumps({"redirects": redirects}, indent=1).encode()
    site.link_children()
    return site
