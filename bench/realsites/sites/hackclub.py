"""Hack Club — US nonprofit for teenage coders; its website (Next.js pages router, JSX/TSX + MDX + team.json).

The site's text lives in JSX: each page file under ``pages/`` is read with a small JSX scanner that keeps the
elements' text, links and string props (a team member's name and role, a board member's bio) and inlines the
local components a page imports (``components/...``), as the rendered page shows them. The team lists come from
``public/team.json`` (what ``pages/team.tsx`` maps over), the job descriptions from ``components/jobs/*/jd.mdx``.

Pinned at the last commit of the pages-router site (2026-03-09), which still has the job-ad pages; the job board
itself (``/jobs``) lists roles fetched live from Polymer, so it shows its empty-state text here.
The privacy/terms, code of conduct and safeguarding pages were proxied to another site at that commit and moved
into this repository later as Markdown (``content/*.md``); they are taken from the later commit ``LEGAL_COMMIT``.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Callable
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, page_path, rewrite_links

SOURCE = Source(
    host="hackclub.com",
    repo="hackclub/site",
    commit="9ab5c436ed29f02d66a4448d1c0b8df18c29af02",
    kind="nonprofit (Next.js JSX/TSX)",
    notes="legal pages (content/*.md) from 1b9c444ad8c5c754abb8299a1a439dc5bcba537f",
)
LEGAL_COMMIT = "1b9c444ad8c5c754abb8299a1a439dc5bcba537f"


# --------------------------------------------------------------------------------------------------------------
# A small JSX scanner: finds the JSX elements in a TS/JS(X) source and turns them into HTML with their text.


class _Node:
    __slots__ = ("attrs", "children", "name")

    def __init__(self, name: str, attrs: dict[str, Any], children: list[Any]) -> None:
        self.name = name  # "" for a fragment
        self.attrs = attrs  # name -> str (string literal) | _Expr | True
        self.children = children  # str (text) | _Node | _Expr


class _Expr:
    __slots__ = ("code", "nodes", "strings")

    def __init__(self, code: str, nodes: list[_Node], strings: list[str]) -> None:
        self.code = code  # source text with JSX elements replaced by a marker
        self.nodes = nodes
        self.strings = strings  # string literals met (in order)


class _Fail(Exception):
    pass


_JSX_PREV = set("(,=?:&|{[>;}") | {""}
_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")


class JSXScanner:
    def __init__(self, src: str) -> None:
        self.s = src
        self.n = len(src)

    # -- code ----------------------------------------------------------------------------------------------
    def _skip_string(self, i: int) -> tuple[int, str]:
        q = self.s[i]
        j = i + 1
        buf = []
        while j < self.n:
            c = self.s[j]
            if c == "\\":
                buf.append(self.s[j : j + 2])
                j += 2
                continue
            if q == "`" and c == "$" and self.s.startswith("${", j):
                _, j2 = self.scan_code(j + 2, "}")
                buf.append("\0")  # an interpolation: not static text
                j = j2 + 1
                continue
            if c == q:
                return j + 1, "".join(buf)
            if c == "\n" and q != "`":
                return j, "".join(buf)
            buf.append(c)
            j += 1
        return j, "".join(buf)

    def scan_code(self, i: int, stop: str | None) -> tuple[_Expr, int]:
        """Scan code from i to the closing `stop` bracket at depth 0; JSX elements met are parsed."""
        s = self.s
        depth = 0
        prev = ""
        word = ""
        parts: list[str] = []
        nodes: list[_Node] = []
        strings: list[str] = []
        start = i
        while i < self.n:
            c = s[i]
            if c in "\"'`":
                j, val = self._skip_string(i)
                strings.append(val)
                parts.append(s[i:j])
                i = j
                prev, word = "x", ""
                continue
            if s.startswith("//", i):
                j = s.find("\n", i)
                i = self.n if j < 0 else j
                continue
            if s.startswith("/*", i):
                j = s.find("*/", i + 2)
                i = self.n if j < 0 else j + 2
                continue
            if (
                c == "<"
                and (prev in _JSX_PREV or word == "return")
                and i + 1 < self.n
                and (s[i + 1].isalpha() or s[i + 1] == ">")
            ):
                try:
                    node, j = self.parse_element(i)
                    nodes.append(node)
                    parts.append("\x01")
                    i = j
                    prev, word = ")", ""
                    continue
                except _Fail:
                    pass
            if stop is not None:
                if c in "([{":
                    depth += 1
                elif c in ")]}":
                    if depth == 0 and c == stop:
                        return _Expr("".join(parts), nodes, strings), i
                    depth -= 1
            parts.append(c)
            if c.isalnum() or c in "_$":
                word = word + c if prev.isalnum() or prev in "_$" else c
            elif not c.isspace():
                word = ""
            if not c.isspace():
                prev = c
            i += 1
        if stop is not None:
            raise _Fail(f"unclosed {stop} from {start}")
        return _Expr("".join(parts), nodes, strings), i

    # -- JSX -----------------------------------------------------------------------------------------------
    def _ws(self, i: int) -> int:
        while i < self.n and self.s[i].isspace():
            i += 1
        return i

    def parse_element(self, i: int) -> tuple[_Node, int]:
        s = self.s
        assert s[i] == "<"
        i += 1
        if s[i] == ">":
            children, i = self._children(i + 1, "")
            return _Node("", {}, children), i
        m = _NAME.match(s, i)
        if not m:
            raise _Fail("name")
        name = m.group(0)
        i = m.end()
        attrs: dict[str, Any] = {}
        # TypeScript generic on a component (<Foo<Bar> ...) is not handled: fail and let the caller move on.
        while True:
            i = self._ws(i)
            if i >= self.n:
                raise _Fail("eof in tag")
            if s.startswith("/>", i):
                return _Node(name, attrs, []), i + 2
            if s[i] == ">":
                children, i = self._children(i + 1, name)
                return _Node(name, attrs, children), i
            if s[i] == "{":
                _, j = self.scan_code(i + 1, "}")
                i = j + 1
                continue
            am = re.compile(r"[\w$:-]+").match(s, i)
            if not am:
                raise _Fail(f"attr at {i}")
            aname = am.group(0)
            i = self._ws(am.end())
            if i < self.n and s[i] == "=":
                i = self._ws(i + 1)
                if s[i] in "\"'":
                    j = s.find(s[i], i + 1)
                    if j < 0:
                        raise _Fail("attr string")
                    attrs[aname] = s[i + 1 : j]
                    i = j + 1
                elif s[i] == "{":
                    expr, j = self.scan_code(i + 1, "}")
                    attrs[aname] = expr
                    i = j + 1
                else:
                    raise _Fail("attr value")
            else:
                attrs[aname] = True

    def _children(self, i: int, name: str) -> tuple[list[Any], int]:
        s = self.s
        out: list[Any] = []
        while i < self.n:
            if s.startswith("</", i):
                j = s.find(">", i)
                if j < 0:
                    raise _Fail("close")
                closing = s[i + 2 : j].strip()
                if closing != name:
                    raise _Fail(f"mismatched </{closing}> for <{name}>")
                return out, j + 1
            c = s[i]
            if c == "<":
                node, i = self.parse_element(i)
                out.append(node)
            elif c == "{":
                expr, j = self.scan_code(i + 1, "}")
                out.append(expr)
                i = j + 1
            else:
                j = i
                while j < self.n and s[j] not in "<{":
                    j += 1
                out.append(_jsx_text(s[i:j]))
                i = j
        raise _Fail("eof in children")

    def fragments(self) -> list[_Node]:
        expr, _ = self.scan_code(0, None)
        return expr.nodes


def _jsx_text(raw: str) -> str:
    """JSX whitespace rules: lines are trimmed and joined with a space; blank lines vanish."""
    if "\n" not in raw:
        return raw
    lines = raw.split("\n")
    kept = []
    for k, line in enumerate(lines):
        t = line
        if k > 0:
            t = t.lstrip()
        if k < len(lines) - 1:
            t = t.rstrip()
        if t:
            kept.append(t)
    return " ".join(kept)


# --------------------------------------------------------------------------------------------------------------
# JSX → HTML

_HTML_KEEP = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "blockquote",
    "span",
    "div",
    "section",
    "article",
    "main",
    "code",
    "pre",
    "small",
    "sup",
    "sub",
    "header",
    "aside",
    "figure",
    "figcaption",
    "label",
    "dl",
    "dt",
    "dd",
    "mark",
    "hr",
}
_HTML_DROP = {
    "svg",
    "path",
    "style",
    "script",
    "img",
    "video",
    "iframe",
    "source",
    "input",
    "textarea",
    "select",
    "option",
    "canvas",
    "link",
    "meta",
    "circle",
    "rect",
    "g",
    "defs",
    "picture",
    "audio",
    "form",
}
_DROP_COMPONENTS = {
    "Nav",
    "Footer",
    "Meta",
    "Head",
    "ForceTheme",
    "Image",
    "Icon",
    "Analytics",
    "Script",
    "BGImg",
    "Particles",
    "Sparkles",
    "Avatar",
    "Embed",
    "YouTubePlayer",
    "Tooltip",
    "ReactTooltip",
    "Confetti",
    "Marquee",
    "AMarquee",
    "Input",
    "Select",
    "Textarea",
    "Label_",
    "Field",
    "Checkbox",
    "ResponsiveContainer",
    "BarChart",
    "Bar",
    "XAxis",
    "YAxis",
    "ReactBeforeSliderComponent",
    "Modal",
    "NextImage",
    "ColorSwitcher",
    "ScrollHint",
    "Announcement",
    "Stage",
    "Tilt",
}
_HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Props that hold styling or plumbing, never page text.
_PLUMBING_PROPS = {
    "sx",
    "variant",
    "as",
    "color",
    "bg",
    "href",
    "src",
    "img",
    "image",
    "icon",
    "className",
    "id",
    "key",
    "type",
    "size",
    "width",
    "height",
    "glyph",
    "target",
    "rel",
    "layout",
    "objectFit",
    "placeholder",
    "theme",
    "style",
    "email",
    "background",
    "backgroundImage",
    "gradient",
    "direction",
    "align",
    "justify",
    "alt",
    "lang",
    "name_",
    "position",
    "logo",
    "photo",
    "avatar",
    "url",
    "link",
    "path",
    "mode",
    "slug",
    "pronouns",
    "tone",
    "fill",
    "stroke",
    "viewBox",
    "d",
    "xmlns",
    "dataKey",
    "velocity",
    "passHref",
    "legacyBehavior",
    "scroll",
    "prefetch",
    "anchorId",
    "embed",
    "video",
    "videoId",
    "emoji",
    "vertical",
    "invert",
    "dark",
    "light",
    "onClick",
}


_TEXT_PROPS = {
    "name",
    "title",
    "teamRole",
    "role",
    "subrole",
    "text",
    "description",
    "desc",
    "quote",
    "heading",
    "subtitle",
    "subheading",
    "label",
    "num",
    "number",
    "words",
    "caption",
    "body",
    "info",
    "author",
    "stat",
    "lead",
    "positionName",
    "positionDesc",
    "content",
    "question",
    "answer",
    "date",
    "location",
}


def _is_text_prop(key: str, value: str) -> bool:
    if not re.search(r"[A-Za-z0-9]", value) or len(value) > 3000:
        return False
    if re.match(r"^(https?:|/|#|rgb|hsl|var\(|linear-gradient|radial-gradient|brightness|url\()", value):
        return False
    if re.fullmatch(r"[\d\s.,/]*(px|fr|em|rem|%|vh|vw|auto|ms|s)?([\s\d.]*(px|fr|em|rem|%|vh|vw|auto))*", value):
        return False
    if key in _TEXT_PROPS:
        return True
    return len(re.findall(r"[A-Za-z]{2,}", value)) >= 3


class JSXRenderer:
    """Renders the JSX of one page file, inlining local components it imports (each at most once)."""

    def __init__(
        self,
        read: Callable[[str], str | None],
        resolve_href: Callable[[str], str],
        *,
        consts: dict[str, str] | None = None,
        expr_hook: Callable[[str], str | None] | None = None,
        skip_components: set[str] | None = None,
    ) -> None:
        self.read = read
        self.resolve_href = resolve_href
        self.consts = consts or {}
        self.expr_hook = expr_hook
        self.skip = _DROP_COMPONENTS | (skip_components or set())

    # imports of a file: local name -> repo path of the module
    def _imports(self, path: str, src: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for m in re.finditer(r"^import\s+([^'\";]+?)\s+from\s+['\"](\.{1,2}/[^'\"]+|@/[^'\"]+)['\"]", src, re.M | re.S):
            spec, mod = m.group(1), m.group(2)
            if mod.startswith("@/"):
                base = mod[2:]
            else:
                base = posixpath.normpath(posixpath.join(posixpath.dirname(path), mod))
            names = []
            default = re.match(r"^([A-Za-z_$][\w$]*)", spec.strip())
            if default:
                names.append(default.group(1))
            for b in re.findall(r"\{([^}]*)\}", spec):
                for part in b.split(","):
                    part = part.strip()
                    if part:
                        names.append(part.split(" as ")[-1].strip())
            for nm in names:
                out[nm] = base
        return out

    def _module_file(self, base: str) -> str | None:
        for cand in (
            base,
            *(base + e for e in (".tsx", ".ts", ".jsx", ".js", ".mdx", ".md")),
            *(base + "/index" + e for e in (".tsx", ".ts", ".jsx", ".js")),
        ):
            if cand.endswith((".tsx", ".ts", ".jsx", ".js", ".mdx", ".md")) and self.read(cand) is not None:
                return cand
        return None

    def render_file(self, path: str, *, depth: int = 0, seen: set[str] | None = None) -> str:
        seen = seen if seen is not None else set()
        seen.add(path)
        src = self.read(path) or ""
        if path.endswith((".mdx", ".md")):
            return self._render_mdx(path, src, depth, seen)
        imports = self._imports(path, src)
        try:
            frags = JSXScanner(src).fragments()
        except _Fail:
            frags = []
        ctx = _Ctx(path, imports, depth, seen)
        return "\n".join(self._node(f, ctx, block=True) for f in frags)

    def _render_mdx(self, path: str, src: str, depth: int, seen: set[str]) -> str:
        from bench.realsites.render import split_front_matter

        _, body = split_front_matter(src)
        # JSX attribute expressions on HTML tags (style={{...}}, onClick={...}) are not text
        body = re.sub(r"\s[\w-]+=\{\{.*?\}\}", "", body, flags=re.S)
        body = re.sub(r"\s[\w-]+=\{[^{}]*\}", "", body)
        return rewrite_links(markdown_to_html(body), self.resolve_href)

    # -- nodes ---------------------------------------------------------------------------------------------
    def _children(self, children: list[Any], ctx: _Ctx, block: bool) -> str:
        out = []
        for ch in children:
            if isinstance(ch, str):
                out.append(ch if "&" in ch else esc(ch))
            elif isinstance(ch, _Node):
                out.append(self._node(ch, ctx, block))
            else:
                out.append(self._expr(ch, ctx, block))
        return "".join(out)

    def _expr(self, e: _Expr, ctx: _Ctx, block: bool) -> str:
        code = e.code.strip()
        if self.expr_hook is not None:
            hooked = self.expr_hook(code)
            if hooked is not None:
                return hooked
        if not e.nodes:
            if len(e.strings) == 1 and re.fullmatch(r"\s*(['\"`]).*\1\s*", code, re.S) and "\0" not in e.strings[0]:
                return esc(e.strings[0].replace("\\'", "'").replace('\\"', '"'))
            if code in self.consts:
                return esc(self.consts[code])
            return ""
        return "".join(self._node(n, ctx, block) for n in e.nodes)

    def _attr_str(self, v: Any) -> str | None:
        if isinstance(v, str):
            return v
        if isinstance(v, _Expr):
            code = v.code.strip()
            if (
                not v.nodes
                and len(v.strings) == 1
                and re.fullmatch(r"(['\"`]).*\1", code, re.S)
                and "\0" not in v.strings[0]
            ):
                return v.strings[0]
            if code in self.consts:
                return self.consts[code]
        return None

    def _node(self, node: _Node, ctx: _Ctx, block: bool) -> str:
        name = node.name
        if name == "":
            return self._children(node.children, ctx, block)
        base = name.split(".")[0]
        low = name.lower()
        if name[0].islower():
            if low in _HTML_DROP:
                return ""
            inner = self._children(node.children, ctx, block and low not in _HEADING_TAGS | {"p", "a", "span"})
            if low == "a":
                return self._link(node, inner)
            if low == "br":
                return "<br>"
            if low == "hr":
                return "<hr>"
            tag = low if low in _HTML_KEEP else "div"
            return f"<{tag}>{inner}</{tag}>"
        if base in self.skip:
            return ""
        as_attr = node.attrs.get("as")
        as_tag = as_attr.lower() if isinstance(as_attr, str) else None
        href = self._attr_str(node.attrs.get("href"))
        if name in ("Link", "NextLink", "A", "Button", "ButtonLink") or as_tag == "a":
            inner = self._children(node.children, ctx, False)
            if href:
                return self._link(node, inner)
            return f"<span>{inner}</span>" if name != "Button" else f"<span>{inner}</span> "
        if name == "Heading":
            tag = as_tag if as_tag in _HEADING_TAGS else "h2"
            return f"<{tag}>{self._children(node.children, ctx, False)}</{tag}>"
        if name in ("Text", "Para", "Paragraph", "Lead", "Caption", "Subtitle", "Title"):
            if as_tag in _HEADING_TAGS | {"p", "li", "span", "div", "strong", "em", "blockquote"}:
                tag = as_tag
            elif name == "Title":
                tag = "h2"
            else:
                variant = node.attrs.get("variant")
                if variant in ("ultratitle", "title") and block:
                    tag = "h2"
                elif variant in ("headline", "subheadline") and block:
                    tag = "h3"
                else:
                    tag = "p" if block else "span"
            inner_block = tag in ("div", "li", "blockquote")
            return f"<{tag}>{self._children(node.children, ctx, inner_block)}</{tag}>"
        # another component: its own text (inlined once when it is a local file) plus its text props
        props = []
        for k, v in node.attrs.items():
            if k in _PLUMBING_PROPS or k.startswith(("on", "aria", "data")) or re.fullmatch(r"[mp][xytblr]?", k):
                continue
            sv = self._attr_str(v)
            if sv and _is_text_prop(k, sv):
                props.append(f"<p>{esc(sv)}</p>")
            elif isinstance(v, _Expr) and v.nodes:
                props.append("".join(self._node(n, ctx, False) for n in v.nodes))
        inner = self._children(node.children, ctx, block)
        inlined = ""
        target = ctx.imports.get(base)
        if target and ctx.depth < 3:
            f = self._module_file(target)
            if f and f not in ctx.seen and not f.startswith(("lib/", "public/")):
                inlined = self.render_file(f, depth=ctx.depth + 1, seen=ctx.seen)
        body = "".join(props) + inner + inlined
        return f"<div>{body}</div>" if body.strip() else ""

    def _link(self, node: _Node, inner: str) -> str:
        href = self._attr_str(node.attrs.get("href"))
        if not href or not inner.strip():
            return inner
        return f'<a href="{esc(self.resolve_href(href))}">{inner}</a>'


class _Ctx:
    def __init__(self, path: str, imports: dict[str, str], depth: int, seen: set[str]) -> None:
        self.path = path
        self.imports = imports
        self.depth = depth
        self.seen = seen


# --------------------------------------------------------------------------------------------------------------
# Hack Club pages

_SKIP_PAGES = {
    "pages/_app.tsx",
    "pages/_document.tsx",
    "pages/404.tsx",
    "pages/acknowledged.tsx",
    "pages/bin/gallery.tsx",
    "pages/bin/prelaunch.tsx",
    "pages/onboard/gallery/index.tsx",
}
_NAV = [
    ("Clubs", "/clubs/"),
    ("Fiscal Sponsorship", "/fiscal-sponsorship/"),
    ("Hackathons", "/hackathons/"),
    ("Join", "https://slack.hackclub.com"),
    ("Toolbox", "https://toolbox.hackclub.com/"),
    ("Donors", "/philanthropy/"),
]
_FOOTER = [
    ("Philosophy", "/philosophy/"),
    ("Our Team & Board", "/team/"),
    ("Jobs", "/jobs/"),
    ("Brand Guide", "/brand/"),
    ("Press Inquiries", "/press/"),
    ("Donate", "/philanthropy/"),
    ("Community Events", "https://events.hackclub.com/"),
    ("Jams", "https://jams.hackclub.com/"),
    ("Toolbox", "https://toolbox.hackclub.com/"),
    ("Clubs Map", "https://hackclub.com/map"),
    ("Code of Conduct", "/conduct/"),
    ("Privacy & Terms", "/privacy-and-terms/"),
    ("Safeguarding", "/safeguarding-policy/"),
    ("IT Admins", "/it-admins/"),
    ("Open Source", "/opensource/"),
    ("Slack", "/slack/"),
    ("1-855-625-HACK", "tel:1-855-625-4225"),
]
# The footer's closing line, as every page shows it.
_FOOTER_NOTE = "<p>Hack Club. 501(c)(3) nonprofit (EIN: 81-2908499)</p>"

# next.config.mjs rewrites of content pages
_REWRITES = {
    "/content/sponsorship/": "/sponsorship/",
    "/content/covid19/": "/covid19/",
    "/content/it-admins/": "/it-admins/",
    "/content/sunsetting-som/": "/sunsetting-som/",
    "/content/transparency/may-2020/": "/transparency/may-2020/",
}


def _url_for_page(path: str) -> str:
    url = page_path(re.sub(r"(^|/)index$", "", path.removeprefix("pages/").rsplit(".", 1)[0]))
    return _REWRITES.get(url, url)


def _resolve_href(href: str) -> str:
    m = re.match(r"^https?://(www\.)?hackclub\.com(/.*)?$", href)
    if m:
        href = m.group(2) or "/"
    if href.startswith("/") and not href.startswith("//"):
        path, _, frag = href.partition("#")
        path = path.split("?")[0]
        if not re.search(r"\.\w{2,4}$", path):
            path = page_path(path)
        redirects = {
            "/privacy/": "/privacy-and-terms/",
            "/donate/": "/philanthropy/",
            "/coc/": "/conduct/",
            "/hcb/": "/fiscal-sponsorship/",
            "/bank/": "/fiscal-sponsorship/",
            "/ama/": "/amas/",
            "/code_of_conduct/": "/conduct/",
            "/branding/": "/brand/",
            "/open-source/": "/opensource/",
        }
        path = redirects.get(path, path)
        return path + (f"#{frag}" if frag else "")
    return href


def _member_html(m: dict[str, Any]) -> str:
    role = m.get("role")
    role = ", ".join(role) if isinstance(role, list) else (role or "")
    parts = [f"<h5>{esc(m.get('name', ''))}</h5>"]
    if role:
        parts.append(f"<p>{esc(role)}</p>")
    if m.get("pronouns"):
        parts.append(f"<p>{esc(m['pronouns'])}</p>")
    if m.get("bio"):
        parts.append(f"<p>{esc(m['bio'])}</p>")
    return '<div class="member">' + "".join(parts) + "</div>"


def _team_hook(team: list[dict[str, Any]]) -> Callable[[str], str | None]:
    def hook(code: str) -> str | None:
        if ".map(" not in code or "member" not in code or ".filter(" not in code:
            return None
        m = re.search(r"\.filter\(\s*\(?\s*member\s*\)?\s*=>\s*(.+?)\)\s*\.map\(", code, re.S)
        if not m:
            return None
        terms = [t.strip() for t in m.group(1).split("&&")]

        def ok(member: dict[str, Any]) -> bool:
            for t in terms:
                dm = re.fullmatch(r"member\.(\w+)\s*===\s*['\"]([^'\"]*)['\"]", t)
                if dm:
                    if member.get(dm.group(1)) != dm.group(2):
                        return False
                    continue
                nm = re.fullmatch(r"(!?)member\.(\w+)", t)
                if nm:
                    if bool(member.get(nm.group(2))) == bool(nm.group(1)):
                        return False
                    continue
                return False
            return True

        chosen = sorted((x for x in team if ok(x)), key=lambda x: x.get("name", ""))
        return "".join(_member_html(x) for x in chosen)

    return hook


def _donors_html(tree: GitTree) -> str:
    path = "components/donate/donors.json"
    if not tree.exists(path):
        return ""
    data = json.loads(tree.read(path))
    names = data if isinstance(data, list) else list(data)
    items = []
    for d in names:
        if isinstance(d, str):
            items.append(d)
        elif isinstance(d, dict) and d.get("name"):
            items.append(str(d["name"]))
    return "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in items) + "</ul>" if items else ""


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Hack Club")
    files = set(tree.files())
    cache: dict[str, str | None] = {}

    def read(path: str) -> str | None:
        if path not in cache:
            cache[path] = tree.read(path) if path in files else None
        return cache[path]

    members_src = read("lib/members.js") or ""
    cm = re.search(r"count\s*=\s*(\d+)", members_src)
    consts: dict[str, str] = {}
    if cm:
        count = int(cm.group(1))
        consts = {"formatted": f"{count:,}", "thousands": str(round(count / 1000)), "count": str(count)}

    team = json.loads(read("public/team.json") or "[]")
    renderer = JSXRenderer(read, _resolve_href, consts=consts, expr_hook=_team_hook(team))

    for path in sorted(files):
        if not path.startswith("pages/") or path.startswith("pages/api/") or path in _SKIP_PAGES:
            continue
        if not path.endswith((".tsx", ".jsx", ".js", ".mdx")) or "[" in path or "/deprecated/" in path:
            continue
        src = read(path) or ""
        url = _url_for_page(path)
        body = renderer.render_file(path)
        title_m = re.search(r"<Meta[^>]*?\btitle=(?:\"([^\"]+)\"|\{['\"`]([^'\"`]+)['\"`]\})", src, re.S)
        desc_m = re.search(r"<Meta[^>]*?\bdescription=(?:\"([^\"]+)\"|\{['\"`]([^'\"`]+)['\"`]\})", src, re.S)
        title = (title_m.group(1) or title_m.group(2)) if title_m else ""
        if path.endswith(".mdx"):
            tm = re.search(r"^#\s+(.+)$", src, re.M)
            title = title or (tm.group(1).strip() if tm else "")
        if not title:
            hm = re.search(r"<h[12]>(.*?)</h[12]>", body, re.S)
            title = re.sub(r"<[^>]+>", "", hm.group(1)).strip() if hm else url.strip("/").title()
        if url == "/":
            title = "Hack Club"
        if url == "/philanthropy/supporters/":
            body += _donors_html(tree)
        desc = html.unescape((desc_m.group(1) or desc_m.group(2)) if desc_m else "")
        site.add(url, html.unescape(title), body + _FOOTER_NOTE, desc)

    # job descriptions rendered inside the job pages come from components/jobs/<slug>/jd.mdx (imported);
    # legal pages, moved into this repository as Markdown later
    legal = GitTree(tree.git_dir, LEGAL_COMMIT)
    for src_path, url in (
        ("content/privacy-and-terms.md", "/privacy-and-terms/"),
        ("content/conduct.md", "/conduct/"),
        ("content/safeguarding.md", "/safeguarding-policy/"),
    ):
        try:
            text = legal.read(src_path)
        except Exception:
            continue
        site.add_markdown(url, text, resolve=_resolve_href)

    site.nav = list(_NAV)
    site.footer = list(_FOOTER)
    site.link_children()
    return site
