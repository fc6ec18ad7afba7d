"""Zig Software Foundation — nonprofit behind the Zig language; ziglang.org is built with Zine (SuperMD `.smd`
pages under `content/<locale>/`, layouts in `layouts/*.shtml`, data in `assets/`).

English pages live at the root, the community translations under `/<locale>/` (e.g. `/de-DE/zsf/`), as on the
live site. SuperMD directives are resolved the way Zine renders them: `$section`/`$heading` markers become their
text, `$link.page(...)` links become page URLs, `$code...buildAsset(...)` embeds the sample from `zig-code/`,
`$code.language('=html').siteAsset(...)` embeds the asset's HTML, ```` ```=html ```` blocks are raw HTML (scripts
and styles dropped: the financial charts' data only exist inside scripts, their tables are kept). Layout text
(buttons, download tables, news/devlog lists, language menus) comes from `layouts/*.shtml`, `i18n/*.ziggy` and
`assets/download/index.json`. The latest release notes (`src/download/<v>/release-notes.html`, docgen markup
turned into headings) are served as the raw `.html` files the site links to.
"""

from __future__ import annotations

import json
import posixpath
import re
from datetime import date
from urllib.parse import urljoin

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, rewrite_links

SOURCE = Source(
    host="ziglang.org",
    repo="ziglang/www.ziglang.org",
    commit="ddc86cef42761fd13dd1849e85945e84add63a97",
    kind="nonprofit foundation + OSS language site (Zine, multilingual)",
    notes="Repo moved from Hugo to Zine (SuperMD) before this commit; 9 locales.",
)

RELEASE_NOTES = ("0.15.1", "0.14.0", "0.13.0", "0.12.0")


def _ziggy_strings(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in re.finditer(r'^\s*\.(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"', text, re.M):
        out.setdefault(m.group(1), m.group(2))  # the first one: later ones belong to `.alternatives`
    return out


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = re.match(r"\A---\s*\n(.*?)\n---\s*\n", text, re.S)
    if not m:
        return {}, text
    fm = m.group(1)
    meta = _ziggy_strings(fm)
    d = re.search(r"\.date\s*=\s*(?:@date\()?\"(\d{4})-(\d{2})-(\d{2})", fm)
    if d:
        meta["date"] = "-".join(d.groups())
    meta["draft"] = "true" if re.search(r"\.draft\s*=\s*true", fm) else ""
    mt = re.search(r'"mobile_menu_title"\s*:\s*"([^"]*)"', fm)
    if mt:
        meta["mobile_menu_title"] = mt.group(1)
    return meta, text[m.end() :]


def _fmt_date(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return d.strftime("%B %d, %Y")


_DIRECTIVE = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((\$(?:[A-Za-z_.]+|\((?:[^()\"']|\"[^\"]*\"|'[^']*')*\))+)\)")
_ARG = r"\(\s*[\"']([^\"']*)[\"']"


class _Renderer:
    def __init__(self, tree: GitTree, locales: list[tuple[str, str]]) -> None:
        self.tree = tree
        self.locales = locales  # (code, prefix)

    def page_url(self, prefix: str, name: str) -> str:
        name = name.strip("/")
        return f"{prefix}/{name}/" if name else (f"{prefix}/" if prefix else "/")

    def directive(self, text: str, d: str, prefix: str) -> str:
        """Markdown for one `[text]($...)` directive."""
        if d.startswith(("$section", "$heading", "$block")):
            return text
        if d.startswith("$link"):
            href = ""
            m = re.search(r"\.page" + _ARG, d)
            if m:
                href = self.page_url(prefix, m.group(1))
            m = re.search(r"\.siteAsset" + _ARG, d)
            if m:
                href = "/" + m.group(1)
            m = re.search(r"\.ref" + _ARG, d)
            if m:
                href += "#" + m.group(1)
            m = re.search(r"\.url" + _ARG, d)
            if m:
                href = m.group(1)
            return f"[{text}]({href})"
        if d.startswith("$code"):
            lang = re.search(r"\.language" + _ARG, d)
            lang_s = lang.group(1) if lang else ""
            m = re.search(r"\.buildAsset" + _ARG, d)
            if m:
                src = self._read(f"zig-code/{m.group(1)}")
                return f"\n```{lang_s}\n{src.rstrip()}\n```\n"
            m = re.search(r"\.siteAsset" + _ARG, d)
            if m:
                src = self._read(f"assets/{m.group(1)}")
                if lang_s == "=html":
                    return "\n" + _clean_html(src) + "\n"
                return f"\n```{lang_s}\n{src.rstrip()}\n```\n"
            return ""
        if d.startswith(("$video", "$image")):
            return ""
        return text

    def _read(self, path: str) -> str:
        try:
            return self.tree.read(path)
        except Exception:
            return ""

    def to_markdown(self, body: str, prefix: str) -> str:
        # ```=html blocks are raw HTML
        def raw(m: re.Match[str]) -> str:
            return "\n" + _clean_html(m.group(1)) + "\n"

        body = re.sub(r"^```=html[ \t]*\n(.*?)^```[ \t]*$", raw, body, flags=re.S | re.M)
        # keep other code fences untouched by directive substitution
        parts = re.split(r"(^```.*?^```[ \t]*$)", body, flags=re.S | re.M)
        out = []
        for i, part in enumerate(parts):
            if i % 2 == 1:
                out.append(part)
            else:
                out.append(_DIRECTIVE.sub(lambda m: self.directive(m.group(1), m.group(2), prefix), part))
        return "".join(out)


def _clean_html(src: str) -> str:
    src = re.sub(r"<script\b.*?</script>", "", src, flags=re.S | re.I)
    src = re.sub(r"<style\b.*?</style>", "", src, flags=re.S | re.I)
    src = re.sub(r"<link\b[^>]*>", "", src, flags=re.I)
    # raw HTML blocks end at a blank line in CommonMark: keep the block together
    return re.sub(r"\n\s*\n", "\n", src).strip()


def _sections(md: str) -> list[tuple[str, str]]:
    """Split SuperMD at `$section.id(...)` markers: [(id, text)], the first id "" for text before any marker."""
    out: list[tuple[str, str]] = []
    cur_id, lines = "", []
    for line in md.splitlines(keepends=True):
        m = re.search(r"\]\(\$section\.id\([\"']([^\"']+)[\"']\)", line)
        if m:
            out.append((cur_id, "".join(lines)))
            cur_id, lines = m.group(1), []
        lines.append(line)
    out.append((cur_id, "".join(lines)))
    return out


def _docgen(html_text: str) -> str:
    """Release-notes docgen markup → plain HTML (headings, links, code)."""

    def slug(t: str) -> str:
        return re.sub(r"\s+", "-", t.strip())

    depth = [1]

    def header(m: re.Match[str]) -> str:
        depth[0] += 1
        level = min(depth[0], 6)
        title = m.group(1)
        return f'<h{level} id="{esc(slug(title))}">{esc(title)}</h{level}>'

    def close(_: re.Match[str]) -> str:
        depth[0] -= 1
        return ""

    out = []
    for tok in re.split(r"(\{#header_open\|[^#]*#\}|\{#header_close#\})", html_text):
        if tok.startswith("{#header_open|"):
            out.append(header(re.match(r"\{#header_open\|([^#]*)#\}", tok)))  # type: ignore[arg-type]
        elif tok == "{#header_close#}":
            out.append(close(None))  # type: ignore[arg-type]
        else:
            out.append(tok)
    s = "".join(out)
    s = re.sub(
        r"\{#link\|([^|#]*)\|([^#]*)#\}", lambda m: f'<a href="#{esc(slug(m.group(2)))}">{esc(m.group(1))}</a>', s
    )
    s = re.sub(r"\{#link\|([^#]*)#\}", lambda m: f'<a href="#{esc(slug(m.group(1)))}">{esc(m.group(1))}</a>', s)
    s = re.sub(r"\{#syntax#\}(.*?)\{#endsyntax#\}", r"<code>\1</code>", s, flags=re.S)
    s = re.sub(r"\{#syntax_block\|[^#]*#\}(.*?)\{#end_syntax_block#\}", r"<pre><code>\1</code></pre>", s, flags=re.S)
    s = re.sub(r"\{#code\|[^#]*#\}", "", s)
    s = re.sub(r"\{#nav#\}", "", s)
    s = re.sub(r"<script\b.*?</script>", "", s, flags=re.S | re.I)
    return s


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Zig Programming Language", sitemap=False, robots=None)
    conf = tree.read("zine.ziggy")
    locales: list[tuple[str, str, str, str]] = []  # code, name, content dir, prefix
    for block in re.findall(r"\{\s*\.code\s*=.*?\}", conf, re.S):
        s = _ziggy_strings(block)
        prefix = "" if ".output_prefix_override" in block else f"/{s['code']}"
        locales.append((s["code"], s["name"], s["content_dir_path"], prefix))
    r = _Renderer(tree, [(c, p) for c, _, _, p in locales])
    downloads = json.loads(tree.read("assets/download/index.json"))
    releases = [k for k in downloads if "." in k]
    latest = releases[0]

    # every page of every locale: (code, name) -> (url, meta, body)
    pages: dict[tuple[str, str], tuple[str, dict[str, str], str]] = {}
    for code, _name, cdir, prefix in locales:
        for path in tree.files(cdir + "/", (".smd",)):
            rel = path[len(cdir) + 1 : -4]
            rel = rel[: -len("/index")] if rel.endswith("/index") else ("" if rel == "index" else rel)
            meta, body = _front_matter(tree.read(path))
            if meta.get("draft"):
                continue
            pages[(code, rel)] = (r.page_url(prefix, rel), meta, body)

    def title_of(code: str, rel: str) -> str:
        return pages.get((code, rel), pages.get(("en-US", rel), ("", {"title": rel}, "")))[1].get("title", rel)

    def subpages(code: str, rel: str) -> list[tuple[str, dict[str, str]]]:
        base = rel + "/"
        kids = [
            (url, meta)
            for (c, n), (url, meta, _b) in pages.items()
            if c == code and n.startswith(base) and "/" not in n[len(base) :]
        ]
        return sorted(kids, key=lambda k: k[1].get("date", ""), reverse=True)

    for (code, rel), (url, meta, body) in pages.items():
        prefix = next(p for c, _, _, p in locales if c == code)
        i18n = _ziggy_strings(tree.read(f"i18n/{code}.ziggy"))
        md = r.to_markdown(body, prefix)
        layout = meta.get("layout", "page.shtml")
        title = meta.get("title", rel)

        def html_of(text: str) -> str:
            return markdown_to_html(text)

        parts: list[str] = []
        parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
        if rel and layout not in ("index.shtml", "devlog.shtml"):
            purl = r.page_url(prefix, parent)
            back = i18n.get("back", "← Back to")
            parts.append(f'<p><a id="back" href="{purl}">{esc(back)} <b>{esc(title_of(code, parent))}</b></a></p>')

        if layout == "index.shtml":
            secs = {k: r.to_markdown(v, prefix) for k, v in _sections(body)}
            learn = r.page_url(prefix, "learn/getting-started")
            rel_notes = "/download/0.15.1/release-notes.html"
            parts.append(html_of(secs.get("slogan", "")))
            parts.append(
                f'<p><a href="{learn}">{esc(i18n.get("get_started", ""))}</a> {esc(i18n.get("latest_release", ""))} {esc(latest)}'
                f' <a href="{esc(downloads[latest].get("docs", ""))}">{esc(i18n.get("documentation", ""))}</a>'
                f' <a href="{rel_notes}">{esc(i18n.get("changes", ""))}</a></p>'
            )
            parts.append(html_of(secs.get("features", "")))
            parts.append(
                f'<p><a href="{r.page_url(prefix, "learn/overview")}">{esc(i18n.get("overview", ""))}</a> '
                f'<a href="{r.page_url(prefix, "learn/samples")}">{esc(i18n.get("code_samples", ""))}</a></p>'
            )
            sample = r._read("zig-code/index.zig")
            if sample:
                parts.append(f'<pre><code class="language-zig">{esc(sample)}</code></pre>')
            parts.append(html_of(secs.get("community", "")))
            parts.append(html_of(secs.get("decentralized", "")))
            parts.append(f'<p><a href="/community/">{esc(i18n.get("all_communities", ""))}</a></p>')
            parts.append(html_of(secs.get("main-development", "")))
            parts.append(html_of(secs.get("zsf", "")))
            parts.append(f'<p><a href="{r.page_url(prefix, "zsf")}">{esc(i18n.get("learn_more", ""))}</a></p>')
            parts.append(html_of(secs.get("sponsors", "")))
            parts.append(html_of(secs.get("corporate-sponsors", "")))
            parts.append(_clean_html(r._read("assets/corporate-sponsors.html")))
        elif layout == "learn.shtml":
            secs = [(k, r.to_markdown(v, prefix)) for k, v in _sections(body)]
            idx = next((i for i, (sid, _t) in enumerate(secs) if sid == "guides"), len(secs))
            parts.append(html_of("".join(t for _s, t in secs[:idx])))
            docs = [f"<h2>{esc(i18n.get('documentation', ''))}</h2>"]
            master = downloads.get("master", {})
            for label, entry in (
                (f"{i18n.get('version_unstable', '')} (master)", master),
                (f"{i18n.get('version_latest_stable', '')} ({latest})", downloads[latest]),
            ):
                docs.append(
                    f"<h3>{esc(label)}</h3><ul>"
                    f'<li><a href="{esc(entry.get("docs", ""))}">{esc(i18n.get("language_reference", ""))}</a></li>'
                    f'<li><a href="{esc(entry.get("stdDocs", ""))}">{esc(i18n.get("std_docs", ""))}</a></li></ul>'
                )
            parts.append("".join(docs))
            parts.append(html_of("".join(t for _s, t in secs[idx:])))
        elif layout == "download.shtml":
            parts.append(html_of(md))
            oss = ["Windows", "macOS", "Linux", "FreeBSD", "NetBSD"]
            for key, tag in downloads.items():
                rows = [f'<h2 id="release-{esc(key)}">{esc(key)}</h2><ul><li>{esc(tag.get("date", ""))}</li>']
                for field, label in (
                    ("notes", "release_notes"),
                    ("docs", "language_reference"),
                    ("stdDocs", "std_docs"),
                ):
                    if tag.get(field):
                        rows.append(f'<li><a href="{esc(tag[field])}">{esc(i18n.get(label, ""))}</a></li>')
                rows.append("</ul><table><thead><tr>")
                rows.extend(
                    f"<th>{esc(i18n.get(k, ''))}</th>"
                    for k in ("download_os", "download_arch", "download_filename", "download_sig", "download_size")
                )
                rows.append("</tr></thead><tbody>")

                def row(os_label: str, arch: str, entry: dict) -> str:
                    tb = entry.get("tarball", "")
                    size = int(entry.get("size", 0) or 0)
                    return (
                        f"<tr><th>{esc(os_label)}</th><td>{esc(arch)}</td>"
                        f'<td><a href="{esc(tb)}">{esc(posixpath.basename(tb))}</a></td>'
                        f'<td><a href="{esc(tb)}.minisig">minisig</a></td><td>{size / 1048576:.1f}MiB</td></tr>'
                    )

                for k in ("src", "bootstrap"):
                    if k in tag:
                        rows.append(row(i18n.get("download_source", "Source"), "", tag[k]))
                for os_name in oss:
                    for k, entry in tag.items():
                        if isinstance(entry, dict) and k.endswith("-" + os_name.lower()):
                            rows.append(row(os_name, k.split("-")[0], entry))
                rows.append("</tbody></table>")
                parts.append("".join(rows))
        elif layout == "devlog.shtml":
            year = meta.get("date", "")[:4]
            parts.append(
                "<p>This page contains a curated list of recent changes to main branch Zig.</p>"
                '<p>Also available as an <a href="/devlog/index.xml">RSS feed</a>.</p>'
                f"<p>This page contains entries for the year {esc(year)}. Other years are available in "
                '<a href="/devlog/">the Devlog archive page</a>.</p>'
            )
            for sid, text in _sections(body):
                text = r.to_markdown(text, prefix)
                if not sid:
                    continue
                parts.append(f'<div id="{esc(sid)}"><p>{esc(_fmt_date(sid))}</p>{html_of(text)}</div>')
        elif layout == "devlog-archive.shtml":
            parts.append(html_of(md))
            items = "".join(f'<li><a href="{u}">{esc(m.get("date", "")[:4])}</a></li>' for u, m in subpages(code, rel))
            parts.append(f"<ul>{items}</ul>")
        elif layout == "news-list.shtml":
            parts.append(html_of(md))
            items = "".join(
                f'<li><a href="{u}">{esc(m.get("title", ""))}</a><div>{esc(_fmt_date(m.get("date", "")))}</div></li>'
                for u, m in subpages(code, rel)
            )
            parts.append(f"<ul>{items}</ul>")
        elif layout == "news-page.shtml":
            parts.append(f"<h1>{esc(title)}</h1><h3>{esc(_fmt_date(meta.get('date', '')))}</h3>")
            parts.append(html_of(md))
        else:
            parts.append(html_of(md))

        body_html = "\n".join(p for p in parts if p)
        body_html = rewrite_links(body_html, lambda h, base=url: _resolve(h, base))

        # language menu of the locale template (pages existing in more than one locale)
        if layout not in ("news-page.shtml", "news-list.shtml", "devlog.shtml", "devlog-archive.shtml"):
            menu = []
            if code != "en-US":
                en = pages.get(("en-US", rel))
                if en:
                    menu.append(
                        f'<p>This page was translated by the Zig community, <a href="{en[0]}">see the original version</a> '
                        'or <a href="https://codeberg.org/ziglang/www.ziglang.org">report errors</a>.</p>'
                    )
            alts = [(c, n, pages[(c, rel)][0]) for c, n, _d, _p in locales if (c, rel) in pages]
            menu.append(f"<p>{esc(i18n.get('languages_menu', ''))}</p><ul>")
            menu.extend(f'<li><a href="{u}" lang="{c}">{esc(n)}</a></li>' for c, n, u in alts)
            menu.append("</ul>")
            body_html += '\n<div id="languages-menu">' + "".join(menu) + "</div>"
        page_title = title if layout != "index.shtml" else _site_title(conf, code)
        site.add(url, page_title, body_html)

    en = "en-US"
    site.nav = [
        (title_of(en, "download"), "/download/"),
        (title_of(en, "learn"), "/learn/"),
        (title_of(en, "news"), "/news/"),
        (title_of(en, "zsf"), "/zsf/"),
        (title_of(en, "devlog/2026"), "/devlog/2026/"),
        ("Source", "https://codeberg.org/ziglang/zig"),
        ("Join a Community", "/community/"),
    ]
    site.footer = [(name, prefix + "/") for code, name, _d, prefix in locales]

    # community mirrors list (the page's "list" alternative output)
    mirrors = re.findall(r'\.url\s*=\s*"([^"]+)"', tree.read("assets/community-mirrors.ziggy"))
    site.extra_files["download/community-mirrors.txt"] = "\n".join(mirrors).encode()
    site.extra_files["download/index.json"] = tree.read("assets/download/index.json").encode()
    # the newest release notes, as the raw .html files the site links to
    for v in RELEASE_NOTES:
        path = f"src/download/{v}/release-notes.html"
        if tree.exists(path):
            site.extra_files[f"download/{v}/release-notes.html"] = _docgen(tree.read(path)).encode()
    return site


def _site_title(conf: str, code: str) -> str:
    m = re.search(r'\.code\s*=\s*"' + re.escape(code) + r'".*?\.site_title\s*=\s*"([^"]*)"', conf, re.S)
    return m.group(1) if m else "Zig Programming Language"


def _resolve(href: str, base: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#") or not href:
        return href
    if href.startswith("/"):
        target = href
    else:
        target = urljoin(base, href)
    path, sep, frag = target.partition("#")
    if not re.search(r"\.[a-z0-9]+$", path, re.I) and not path.endswith("/"):
        path += "/"
    return path + (sep + frag if sep else "")
