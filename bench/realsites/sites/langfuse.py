"""Langfuse — open-source LLM engineering platform (Berlin, YC); langfuse.com is a Nextra site (langfuse/langfuse-docs).

Markdown/MDX pages under `pages/` are rendered at their Nextra routes (careers, privacy, terms, imprint, cookie
policy, blog, changelog, docs). The homepage and pricing page are React components (`components/home/*.tsx`):
the homepage's sections are rendered from the text and string props of those components, and the pricing page
from the `tiers`, `sections` (feature comparison) and `faqs` arrays of `components/home/Pricing.tsx`. Redirects
from `next.config.mjs` that the footer uses (/security → /docs/data-security-privacy) are followed when links are
rewritten. Header navigation comes from `pages/_meta.json`, the footer from `theme.config.tsx`.

The upstream snapshot is too large to bring in; the snapshot comes from a fork (Gamma-Software/langfuse-docs)
whose history contains upstream commit d460ab89 (2024-02-19, "fix: hero docs link" by Marc Klingen), the last
upstream commit before the fork diverged. That commit is the one rendered (the site as of February 2024).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, page_path, relative_md_resolver

SOURCE = Source(
    host="langfuse.com",
    repo="Gamma-Software/langfuse-docs",
    commit="d460ab89b49cdfe50125a64684ff21a68d8747d7",
    kind="OSS dev-tool SaaS (Nextra MDX + TSX pricing/home components)",
    notes="Upstream langfuse/langfuse-docs commit d460ab89 (2024-02-19), read from a fork's snapshot.",
)

SKIP = (
    "pages/index.mdx",
    "pages/pricing.mdx",
    "pages/404.mdx",
    "pages/blog.mdx",
    "pages/changelog.mdx",
    "pages/oss-friends.mdx",
)
HOME_SECTIONS = ("Hero", "Users", "FeatureBento", "Integrations", "OpenSource")
REDIRECTS = {"/security": "/docs/data-security-privacy/", "/demo": "/docs/demo/"}


# --------------------------------------------------------------------------------------------------------------------
# A small reader of JavaScript object/array literals (the data arrays of React components)


class _JS:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0

    def ws(self) -> None:
        s = self.s
        while self.i < len(s):
            if s[self.i].isspace():
                self.i += 1
            elif s.startswith("//", self.i):
                self.i = s.find("\n", self.i) if s.find("\n", self.i) >= 0 else len(s)
            elif s.startswith("/*", self.i):
                self.i = s.index("*/", self.i) + 2
            else:
                break

    def value(self) -> Any:
        self.ws()
        s, c = self.s, self.s[self.i]
        if c == "{":
            self.i += 1
            out: dict[str, Any] = {}
            while True:
                self.ws()
                if s[self.i] == "}":
                    self.i += 1
                    return out
                if s[self.i] in "\"'":
                    key = self.string()
                else:
                    m = re.compile(r"[\w$]+").match(s, self.i)
                    key = m.group(0)
                    self.i = m.end()
                self.ws()
                if s[self.i] == ":":
                    self.i += 1
                    out[key] = self.value()
                else:
                    out[key] = None
                self.ws()
                if s[self.i] == ",":
                    self.i += 1
        if c == "[":
            self.i += 1
            arr: list[Any] = []
            while True:
                self.ws()
                if s[self.i] == "]":
                    self.i += 1
                    return arr
                arr.append(self.value())
                self.ws()
                if s[self.i] == ",":
                    self.i += 1
        if c in "\"'`":
            return self.string()
        m = re.compile(r"-?\d+(\.\d+)?").match(s, self.i)
        if m:
            self.i = m.end()
            return float(m.group(0)) if m.group(1) else int(m.group(0))
        for word, val in (("true", True), ("false", False), ("null", None), ("undefined", None)):
            if s.startswith(word, self.i):
                self.i += len(word)
                return val
        return self.skip_expr()

    def string(self) -> str:
        s, q = self.s, self.s[self.i]
        j = self.i + 1
        out = []
        while s[j] != q:
            if s[j] == "\\":
                out.append(s[j + 1])
                j += 2
            else:
                out.append(s[j])
                j += 1
        self.i = j + 1
        return "".join(out)

    def skip_expr(self) -> None:
        """Skip an expression we do not evaluate (JSX, identifiers, calls) up to the next , } or ] at depth 0."""
        s, depth = self.s, 0
        while self.i < len(s):
            c = s[self.i]
            if c in "\"'`":
                self.string()
                continue
            if c in "([{<" and not (c == "<" and s[self.i + 1 : self.i + 2] in (" ", "=")):
                depth += 1
            elif c in ")]}>" and depth > 0:
                depth -= 1
            elif c in ",}]" and depth == 0:
                return None
            self.i += 1
        return None


def js_const(src: str, name: str) -> Any:
    m = re.search(rf"\bconst\s+{name}\b[^=]*=\s*", src)
    if not m:
        return None
    return _JS(src[m.end() :]).value()


# --------------------------------------------------------------------------------------------------------------------
# Visible text of a React component: JSX text nodes and the string props a reader sees


_TEXT_PROPS = r"(?:title|description|alt|name|text|question|answer|label|cta)"


def component_text(src: str) -> list[str]:
    src = re.sub(r"^import .*?;?$", "", src, flags=re.M)
    src = re.sub(r"\{/\*.*?\*/\}", "", src, flags=re.S)
    src = re.sub(r"className=(\"[^\"]*\"|\{`[^`]*`\})", "", src)
    src = re.sub(r"\{\" \"\}", " ", src)
    src = re.sub(r"</?(?:span|br|strong|em|b|i)\b[^<>]*?/?>", "", src)
    items: list[tuple[int, str]] = []
    for m in re.finditer(rf"\b{_TEXT_PROPS}\??\s*[:=]\s*(\{{)?\s*(\"([^\"]+)\"|'([^']+)')", src):
        items.append((m.start(), m.group(3) or m.group(4)))
    for m in re.finditer(r">([^<>{}]*[A-Za-z][^<>{}]*)<", src):
        text = m.group(1)
        if re.search(r"=>|;|\(|\)\s*$|&&|\|\|", text):
            continue
        items.append((m.start(), text))
    out: list[str] = []
    for _pos, text in sorted(items):
        text = re.sub(r"\s+", " ", html.unescape(text)).strip()
        if len(text) > 1 and (not out or out[-1] != text):
            out.append(text)
    return out


# --------------------------------------------------------------------------------------------------------------------


def _pricing_html(src: str) -> str:
    tiers = js_const(src, "tiers") or []
    sections = js_const(src, "sections") or []
    faqs = js_const(src, "faqs") or []
    parts = [
        "<h1>Simple pricing for projects of all sizes</h1>",
        "<p>Get started on the Hobby plan for free. No credit card required.</p>",
    ]
    for t in tiers:
        unit = " <span>USD</span> <span>Billed monthly</span>" if t["name"] == "Pro" else ""
        feats = "".join(f"<li>{esc(f)}</li>" for f in t.get("mainFeatures", []))
        parts.append(
            f"<section><h3>{esc(t['name'])}</h3><p><strong>{esc(t['price'])}</strong>{unit}</p>"
            f"<p>{esc(t.get('description', ''))}</p><ul>{feats}</ul>"
            f'<p><a href="{esc(t["href"])}">{esc(t["cta"])}</a></p></section>'
        )
    names = [t["name"] for t in tiers]
    rows = []
    for sec in sections:
        rows.append(f'<tr><th colspan="{len(names) + 1}">{esc(sec["name"])}</th></tr>')
        for f in sec["features"]:
            cells = []
            for n in names:
                v = f["tiers"].get(n)
                cells.append(esc(v if isinstance(v, str) else ("Yes" if v else "No")))
            rows.append(
                f'<tr><th scope="row">{esc(f["name"])}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
            )
    head = "".join(f"<th>{esc(n)} tier</th>" for n in names)
    parts.append(
        f"<h2>Feature comparison</h2><table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    parts.append("<h2>Frequently asked questions</h2><dl>")
    for q in faqs:
        answer = q["answer"].replace("<a/>", "</a>")
        parts.append(f"<dt>{esc(q['question'])}</dt><dd>{answer}</dd>")
    parts.append("</dl>")
    return "\n".join(parts)


def _home_html(tree: GitTree) -> str:
    parts = []
    for name in HOME_SECTIONS:
        texts = component_text(tree.read(f"components/home/{name}.tsx"))
        if name == "Hero":
            parts.append("<h1>Open Source LLM Engineering Platform</h1>")
            texts = [t for t in texts if t not in ("Open Source", "LLM Engineering Platform")]
        if name == "Users":
            users = js_const(tree.read("components/home/Users.tsx"), "users") or []
            names = [u.get("name") for u in users if isinstance(u, dict) and u.get("name")]
            if names:
                texts = [t for t in texts if t not in names]
                texts.append("Users: " + ", ".join(names))
        parts.append("<section>" + "".join(f"<p>{esc(t)}</p>" for t in texts) + "</section>")
    links = [
        ("/docs/demo/", "Try demo"),
        ("/docs/", "View docs"),
        ("/pricing/", "Pricing"),
        ("/blog/", "Blog"),
        ("/changelog/", "Changelog"),
        ("/careers/", "Careers"),
    ]
    parts.append("<ul>" + "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for p, t in links) + "</ul>")
    parts.append(
        _pricing_html(tree.read("components/home/Pricing.tsx"))
        .split("<h2>Feature comparison</h2>")[0]
        .replace("<h1>", "<h2>")
        .replace("</h1>", "</h2>")
    )
    return "\n".join(parts)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Langfuse")

    def to_url(src: str) -> str:
        src = src.removeprefix("pages/")
        return page_path(src)

    def resolver(path: str) -> Any:
        base = relative_md_resolver(path, to_url)

        def resolve(href: str) -> str:
            h = href
            for prefix in ("https://langfuse.com", "http://langfuse.com"):
                if h.startswith(prefix):
                    h = h[len(prefix) :] or "/"
            target, _, frag = h.partition("#")
            if target.rstrip("/") in REDIRECTS:
                return REDIRECTS[target.rstrip("/")] + (f"#{frag}" if frag else "")
            if target.startswith("/") and not re.search(r"\.\w{2,4}$", target):
                return page_path(target) + (f"#{frag}" if frag else "")
            return base(h)

        return resolve

    site.add(
        "/",
        "Langfuse",
        _home_html(tree),
        "Open source LLM engineering platform. Including: LLM observability, evaluation and prompt management.",
    )
    site.add(
        "/pricing/",
        "Pricing",
        _pricing_html(tree.read("components/home/Pricing.tsx")),
        "Simple pricing for projects of all sizes. Get started on our Hobby plan without a credit card.",
    )
    # Index pages made of components: their heading and description, then the list of posts (link_children)
    site.add(
        "/blog/",
        "Blog",
        '<h1>Blog</h1><p>The latest updates from Langfuse. See <a href="/changelog/">Changelog</a> '
        "for more product updates.</p>",
        "The latest updates and releases from the Langfuse team.",
    )
    site.add(
        "/changelog/",
        "Changelog",
        "<h1>Changelog</h1><p>Latest release updates from the Langfuse team</p>",
        "The latest release updates from the Langfuse team.",
    )
    for path in tree.files("pages/", (".md", ".mdx")):
        name = path.rsplit("/", 1)[-1]
        if name.startswith("_") or path in SKIP:
            continue
        text = tree.read(path)
        meta_title = None
        if path.startswith("pages/docs/"):
            meta_title = _meta_title(tree, path)
        site.add_markdown(to_url(path), text, title=meta_title, resolve=resolver(path))

    site.nav = [
        ("Docs", "/docs/"),
        ("Pricing", "/pricing/"),
        ("Changelog", "/changelog/"),
        ("Blog", "/blog/"),
        ("Interactive demo", "/docs/demo/"),
        ("Video (2 min)", "/docs/video/"),
        ("Schedule demo", "/schedule-demo/"),
    ]
    site.footer = [
        ("Schedule Demo", "/schedule-demo/"),
        ("Careers", "/careers/"),
        ("Status", "https://status.langfuse.com"),
        ("Security", "/docs/data-security-privacy/"),
        ("Imprint", "/imprint/"),
        ("Terms", "/tos/"),
        ("Privacy", "/privacy/"),
        ("Cookie Policy", "/cookie-policy/"),
    ]
    site.link_children()
    return site


_META_CACHE: dict[str, dict] = {}


def _meta_title(tree: GitTree, path: str) -> str | None:
    folder, name = path.rsplit("/", 1)
    key = f"{folder}/_meta.json"
    if key not in _META_CACHE:
        try:
            _META_CACHE[key] = json.loads(tree.read(key)) if tree.exists(key) else {}
        except Exception:
            _META_CACHE[key] = {}
    entry = _META_CACHE[key].get(re.sub(r"\.mdx?$", "", name))
    if isinstance(entry, str):
        return entry
    if isinstance(entry, dict) and isinstance(entry.get("title"), str):
        return entry["title"]
    return None
