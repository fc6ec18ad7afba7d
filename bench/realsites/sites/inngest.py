"""Inngest — developer platform for reliable background jobs and workflows; inngest.com is a Next.js site.

The website lived in its own repository (inngest/website) until February 2024, when its history was merged into
the inngest/inngest monorepo under `ui/apps/website/` and, two days later, removed again (#1151, "chore: remove
website app"). The inngest/website snapshot is over the size limit; the inngest/inngest snapshot holds the same
files, so the site is rendered from `ui/apps/website/` at 7f7581ca (2024-02-16), the last monorepo commit before
the website app was removed — the site as it was in mid-February 2024.

Rendered:
- React pages (`pages/*.tsx`: home, about, pricing, careers, security, privacy, terms, contact, press, customers,
  use-case pages) — their static JSX turned into HTML by a small JSX reader below: text, headings, lists and links
  are kept, `CONST.map(...)` over the file's data arrays (team, investors, angels, plans…) is expanded item by
  item, components defined in the same file are inlined. The pricing page's plan cards and comparison table are
  built from the `PLANS` and `FEATURES` arrays the way `shared/Pricing/PlanCard.tsx` and `ComparisionTable.tsx`
  lay them out.
- Careers: the visible roles of `pages/careers/_roles/*.mdx` (front matter `hidden: false`) at /careers/<slug>,
  listed under "Open Positions" on /careers.
- Customer stories (`pages/customers/*.mdx`), blog posts (`pages/blog/_posts/*`) at /blog/<slug>, docs
  (`pages/docs/**.mdx`).
Header links come from `shared/Header/headerLinks.ts`, the footer from `shared/Footer/footerLinks.ts` and
`shared/Footer/index.tsx`.
"""

from __future__ import annotations

import html
import re
from typing import Any

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
    host="inngest.com",
    repo="inngest/inngest",
    commit="7f7581ca695c14201e6a7548d81835743f87c063",
    kind="dev-tool SaaS (Next.js TSX pages + MDX blog/docs/careers)",
    notes="The inngest/website app as merged into inngest/inngest under ui/apps/website/ (2024-02-16).",
)

W = "ui/apps/website/"


# --------------------------------------------------------------------------------------------------------------------
# JavaScript literals (data arrays and objects of React components)


class Frag(str):
    """A JSX fragment held in a data array (rendered where it is used)."""


class _JS:
    def __init__(self, s: str, consts: dict[str, Any] | None = None) -> None:
        self.s = s
        self.i = 0
        self.consts = consts or {}

    def ws(self) -> None:
        s = self.s
        while self.i < len(s):
            if s[self.i].isspace():
                self.i += 1
            elif s.startswith("//", self.i):
                j = s.find("\n", self.i)
                self.i = j if j >= 0 else len(s)
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
                if s.startswith("...", self.i):
                    self.i += 3
                    spread = self.value()
                    if isinstance(spread, dict):
                        out.update(spread)
                elif s[self.i] in "\"'":
                    key = self.string()
                    out[key] = self._prop_value()
                elif s[self.i] == "[":
                    self.i += 1
                    expr_start = self.i
                    depth = 1
                    while depth:
                        depth += {"[": 1, "]": -1}.get(s[self.i], 0)
                        self.i += 1
                    key = str(self.resolve(s[expr_start : self.i - 1].strip()))
                    out[key] = self._prop_value()
                else:
                    m = re.compile(r"[\w$]+").match(s, self.i)
                    if not m:
                        self.skip_expr()
                    else:
                        key = m.group(0)
                        self.i = m.end()
                        out[key] = self._prop_value()
                self.ws()
                if self.i < len(s) and s[self.i] == ",":
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
        if c == "(" and s[self.i + 1 :].lstrip().startswith("<"):
            start = self.i
            depth = 0
            while self.i < len(s):
                ch = s[self.i]
                if ch in "\"'`" and (ch == "`" or (s[: self.i].rstrip()[-1:] or "(") in "=(,:[{?+!&|;"):
                    self.i = _skip_string(s, self.i)
                    continue
                depth += {"(": 1, ")": -1}.get(ch, 0)
                self.i += 1
                if depth == 0:
                    break
            return Frag(s[start + 1 : self.i - 1].strip())
        m = re.compile(r"-?\d[\d_]*(\.\d+)?(?![\w$])").match(s, self.i)
        if m:
            self.i = m.end()
            txt = m.group(0).replace("_", "")
            return float(txt) if m.group(1) else int(txt)
        for word, val in (("true", True), ("false", False), ("null", None), ("undefined", None)):
            if re.match(rf"{word}\b", s[self.i :]):
                self.i += len(word)
                return val
        m = re.compile(r"[A-Za-z_$][\w$.]*(?=\s*[,}\]])").match(s, self.i)
        if m:
            self.i = m.end()
            return self.resolve(m.group(0))
        return self.skip_expr()

    def _prop_value(self) -> Any:
        self.ws()
        if self.s[self.i] == ":":
            self.i += 1
            return self.value()
        if self.s[self.i] == "(":  # method shorthand
            return self.skip_expr()
        return None

    def resolve(self, name: str) -> Any:
        cur: Any = self.consts
        for part in name.split("."):
            if isinstance(cur, dict) and part in cur:
                cur = cur[part]
            else:
                return None
        return cur

    def string(self) -> str:
        s, q = self.s, self.s[self.i]
        j = self.i + 1
        out = []
        while s[j] != q:
            if s[j] == "\\":
                nxt = s[j + 1]
                out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
                j += 2
            elif q == "`" and s.startswith("${", j):
                k = _match_brace(s, j + 1)
                val = self.resolve(s[j + 2 : k].strip())
                out.append("" if val is None else str(val))
                j = k + 1
            else:
                out.append(s[j])
                j += 1
        self.i = j + 1
        return "".join(out)

    def skip_expr(self) -> None:
        s, depth = self.s, 0
        while self.i < len(s):
            c = s[self.i]
            if c in "\"'`" and (c == "`" or (s[: self.i].rstrip()[-1:] or "(") in "=(,:[{?+!&|;"):
                self.string()
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}" and depth > 0:
                depth -= 1
            elif c in ",}]" and depth == 0:
                return None
            self.i += 1
        return None


def js_consts(src: str) -> dict[str, Any]:
    """Every top-level `const NAME = <literal>` of a file, in order (later ones may refer to earlier ones)."""
    consts: dict[str, Any] = {}
    for m in re.finditer(
        r"^(?:export\s+)?const\s+([A-Za-z_$][\w$]*)\s*(?::(?:[^=]|=>)*?)?=\s*(?=[\[{'\"`\d])", src, re.M | re.S
    ):
        try:
            consts[m.group(1)] = _JS(src[m.end() :], consts).value()
        except (IndexError, ValueError):
            continue
    return consts


def _match_brace(s: str, i: int) -> int:
    """Index of the `}` closing the `{` at s[i] (strings, template literals and JSX text taken into account)."""
    depth = 0
    j = i
    while j < len(s):
        c = s[j]
        if c in "\"'`":
            prev = s[:j].rstrip()[-1:] or "("
            if c == "`" or prev in "=(,:[{?+!&|;":
                j = _skip_string(s, j)
                continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return j
        j += 1
    return len(s) - 1


def _skip_string(s: str, i: int) -> int:
    q = s[i]
    j = i + 1
    while j < len(s) and s[j] != q:
        if s[j] == "\\":
            j += 2
            continue
        if q == "`" and s.startswith("${", j):
            j = _match_brace(s, j + 1) + 1
            continue
        if q != "`" and s[j] == "\n":
            return j
        j += 1
    return j + 1


# --------------------------------------------------------------------------------------------------------------------
# JSX → HTML


_VOID = {"br", "hr", "img", "input", "source", "meta", "link"}
_DROP_TAGS = {
    "svg",
    "path",
    "g",
    "defs",
    "circle",
    "rect",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "use",
    "polygon",
    "line",
    "ellipse",
    "filter",
    "fegaussianblur",
    "feoffset",
    "feblend",
    "fecolormatrix",
    "feflood",
    "fecomposite",
    "style",
    "script",
    "video",
    "iframe",
    "picture",
}
_KEEP_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "code",
    "pre",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "header",
    "aside",
    "div",
    "span",
    "small",
    "sup",
    "sub",
    "label",
    "figure",
    "figcaption",
}


class JSX:
    """Static HTML of a JSX expression: text, headings, lists, links; data arrays expanded through `.map`."""

    def __init__(
        self,
        src: str,
        consts: dict[str, Any] | None = None,
        components: dict[str, Any] | None = None,
        subs: dict[str, str] | None = None,
    ) -> None:
        self.src = src
        self.consts = consts if consts is not None else js_consts(src)
        self.components = components or {}
        self.subs = subs or {}
        self.local = _local_components(src)

    # -- entry points
    def render_default(self, props: dict[str, Any] | None = None) -> str:
        """The JSX the file's default-exported component returns."""
        m = re.search(r"export\s+default\s+function\s+(\w+)", self.src)
        name = m.group(1) if m else None
        if not name:
            m = re.search(r"^export\s+default\s+(\w+)\s*;?\s*$", self.src, re.M)
            name = m.group(1) if m else None
        body = self.local.get(name or "", "")
        props = dict(props or {})
        return self.render(body, {**props, "props": props})

    def render(self, jsx: str, scope: dict[str, Any], depth: int = 0) -> str:
        out: list[str] = []
        stack: list[str] = []
        s = jsx
        i = 0
        while i < len(s):
            c = s[i]
            if c == "{":
                j = _match_brace(s, i)
                out.append(self.expr(s[i + 1 : j], scope, depth))
                i = j + 1
            elif c == "<" and re.match(r"</?[A-Za-z>]", s[i : i + 2]):
                i = self.tag(s, i, out, stack, scope, depth)
            else:
                j = i + 1
                while j < len(s) and s[j] not in "{<":
                    j += 1
                text = s[i:j]
                if not re.fullmatch(r"[\s(){};]*(?:return\s*\(?[\s(){};]*)*|[\s(){};]*\)\}[\s(){};]*", text):
                    out.append(re.sub(r"\s+", " ", text))
                i = j
        while stack:
            out.append(stack.pop())
        return "".join(out)

    # -- pieces
    def tag(self, s: str, i: int, out: list[str], stack: list[str], scope: dict[str, Any], depth: int) -> int:
        if s.startswith("</", i):
            j = s.index(">", i)
            if stack:
                out.append(stack.pop())
            return j + 1
        if s.startswith("<>", i):
            stack.append("")
            return i + 2
        m = re.compile(r"<([A-Za-z][\w.]*)").match(s, i)
        name = m.group(1)
        j = m.end()
        attrs: dict[str, Any] = {}
        while True:
            while j < len(s) and s[j].isspace():
                j += 1
            if s.startswith("/>", j):
                self_closing = True
                j += 2
                break
            if s[j] == ">":
                self_closing = False
                j += 1
                break
            if s[j] == "{":  # {...spread}
                j = _match_brace(s, j) + 1
                continue
            am = re.compile(r"([\w:-]+)\s*(=\s*)?").match(s, j)
            if not am:
                j += 1
                continue
            key = am.group(1)
            j = am.end()
            if not am.group(2):
                attrs[key] = True
                continue
            if s[j] in "\"'":
                k = s.index(s[j], j + 1)
                attrs[key] = html.unescape(s[j + 1 : k])
                j = k + 1
            elif s[j] == "{":
                k = _match_brace(s, j)
                attrs[key] = self.value(s[j + 1 : k], scope)
                j = k + 1
        lname = name.lower()
        if name == "Image":
            lname, name = "img", "img"
        if name[0].isupper() or "." in name:
            if name in self.components:
                res = self.components[name](attrs)
                open_html, close_html = res if isinstance(res, tuple) else (res, "")
            elif name in self.local and depth < 6:
                open_html, close_html = self.render(self.local[name], {**scope, **attrs}, depth + 1), ""
            elif isinstance(attrs.get("href"), str):
                open_html, close_html = f'<a href="{esc(attrs["href"])}">', "</a>"
            else:
                open_html, close_html = "", ""
        elif lname in _DROP_TAGS:
            open_html, close_html = "", ""
            if not self_closing:  # skip the element with its content
                k = _find_close(s, j, name)
                return k
        elif lname in _VOID:
            open_html = "<br>" if lname == "br" else ""
            if lname == "img" and isinstance(attrs.get("alt"), str) and attrs["alt"].strip():
                open_html = f'<img alt="{esc(attrs["alt"])}">'
            close_html = ""
            self_closing = True
        elif lname in _KEEP_TAGS:
            keep = ""
            if lname == "a" and isinstance(attrs.get("href"), str):
                keep = f' href="{esc(attrs["href"])}"'
            if isinstance(attrs.get("id"), str):
                keep += f' id="{esc(attrs["id"])}"'
            open_html, close_html = f"<{lname}{keep}>", f"</{lname}>"
        else:
            open_html, close_html = "", ""
        out.append(open_html)
        if self_closing:
            out.append(close_html)
        else:
            stack.append(close_html)
        return j

    def expr(self, e: str, scope: dict[str, Any], depth: int) -> str:
        e = e.strip()
        if not e or (e.startswith("/*") and e.endswith("*/")):
            return ""
        for key, val in self.subs.items():
            if e.startswith(key):
                return val
        v = self.value(e, scope)
        if isinstance(v, Frag):
            return self.render(v, scope, depth + 1)
        if isinstance(v, (str, int, float)) and not isinstance(v, bool):
            return esc(str(v))
        m = re.match(
            r"^([\w.]+)(\.filter\(.*?\))?\s*(?:\.sort\(.*?\)\s*)?\.map\(\s*\(?\s*(\w+|\{[^}]*\})[^)=]*\)?\s*=>\s*",
            e,
            re.S,
        )
        if m:
            items = self.value(m.group(1), scope)
            body = e[m.end() :]
            if body.lstrip().startswith("{") and body.count("return (") > 1:
                body = body[body.rfind("return (") + len("return (") :]
            a, b = body.find("<"), body.rfind(">")
            if isinstance(items, list) and a >= 0:
                tmpl = body[a : b + 1]
                tern = _ternary(body)
                parts = []
                for item in items:
                    if m.group(2) and isinstance(item, dict) and not _filter_ok(m.group(2), item):
                        continue
                    if m.group(3).startswith("{"):
                        item_scope = {**scope, **(item if isinstance(item, dict) else {})}
                    else:
                        item_scope = {**scope, m.group(3): item}
                    if tern:
                        cond, yes, no = tern
                        tmpl = yes if self.value(cond, item_scope) else no
                    parts.append(self.render(tmpl, item_scope, depth + 1))
                return "".join(parts)
            return ""
        if "&&" in e:
            left, rest = (x.strip() for x in e.split("&&", 1))
            lm = re.fullmatch(r"(!*)([\w$]+)((?:\.[\w$]+)*)", left)
            if lm and (lm.group(2) in scope or lm.group(2) in self.consts):
                truth = bool(self.value(lm.group(2) + lm.group(3), scope))
                if len(lm.group(1)) % 2:
                    truth = not truth
                if not truth:
                    return ""
            if rest.startswith("(") or rest.startswith("<"):
                a, b = rest.find("<"), rest.rfind(">")
                return self.render(rest[a : b + 1], scope, depth + 1) if a >= 0 else ""
        if e.startswith("(") and "<" in e:
            a, b = e.find("<"), e.rfind(">")
            return self.render(e[a : b + 1], scope, depth + 1)
        if e.startswith("<"):
            return self.render(e, scope, depth + 1)
        return ""

    def value(self, e: str, scope: dict[str, Any]) -> Any:
        e = e.strip()
        if e.startswith("<") or (e.startswith("(") and e[1:].lstrip().startswith("<")):
            return Frag(e[1:-1].strip() if e.startswith("(") and e.endswith(")") else e)
        if len(e) >= 2 and e[0] in "'\"" and e[-1] == e[0] and e[0] not in e[1:-1]:
            return e[1:-1]
        if len(e) >= 2 and e[0] == "`" and e[-1] == "`":
            js = _JS(e, {**self.consts, **scope})
            txt = js.string()
            return None if "${" in e and re.search(r"\$\{[^}]*\}", e) and not txt.strip("/") else txt
        if re.fullmatch(r"[A-Za-z_$][\w$]*(\.[\w$]+)*", e):
            cur: Any = {**self.consts, **scope}
            for part in e.split("."):
                if isinstance(cur, dict) and part in cur:
                    cur = cur[part]
                elif isinstance(cur, list) and part == "length":
                    cur = len(cur)
                else:
                    return None
            return cur
        if e.startswith(("{", "[")):
            try:
                return _JS(e, {**self.consts, **scope}).value()
            except (IndexError, ValueError):
                return None
        return None


def _filter_ok(filt: str, item: dict[str, Any]) -> bool:
    """Evaluate a simple `.filter((x) => x.field === value)` (or `x.field`, `!x.field`) against an item."""
    fm = re.search(r"\w+\.(\w+)\s*(===|==|!==|!=)\s*(true|false|null|'[^']*'|\"[^\"]*\"|-?\d+)", filt)
    if fm:
        raw = fm.group(3)
        want: Any = {"true": True, "false": False, "null": None}.get(raw, raw)
        if raw[0] in "'\"":
            want = raw[1:-1]
        elif re.fullmatch(r"-?\d+", raw):
            want = int(raw)
        same = item.get(fm.group(1)) == want
        return same if fm.group(2) in ("===", "==") else not same
    fm = re.search(r"=>\s*(!?)\w+\.(\w+)\s*\)", filt)
    if fm:
        return bool(item.get(fm.group(2))) != bool(fm.group(1))
    return True


def _ternary(body: str) -> tuple[str, str, str] | None:
    """`cond ? (<A/>) : (<B/>)` (the body of an arrow function) split into its condition and two branches."""
    m = re.match(r"^\s*\(?\s*([\w.]+)\s*\?\s*\(", body)
    if not m:
        return None
    i = m.end() - 1
    depth = 0
    for j in range(i, len(body)):
        if body[j] == "(":
            depth += 1
        elif body[j] == ")":
            depth -= 1
            if depth == 0:
                yes = body[i + 1 : j]
                rest = body[j + 1 :].lstrip()
                if not rest.startswith(":"):
                    return None
                no = rest[1:]
                a, b = no.find("<"), no.rfind(">")
                return m.group(1), yes, no[a : b + 1] if a >= 0 else ""
    return None


def _find_close(s: str, j: int, name: str) -> int:
    depth = 1
    pat = re.compile(rf"<(/?){re.escape(name)}\b[^<>]*?(/?)>", re.S)
    for m in pat.finditer(s, j):
        if m.group(1):
            depth -= 1
        elif not m.group(2):
            depth += 1
        if depth == 0:
            return m.end()
    return len(s)


def _local_components(src: str) -> dict[str, str]:
    """JSX returned by the components a file defines (`function X(` / `const X = (...) =>`), by name."""
    found: dict[str, str] = {}
    for m in re.finditer(
        r"^(?:export\s+)?(?:default\s+)?(?:function\s+([A-Z]\w*)\s*\(|const\s+([A-Z]\w*)\s*(?::[^=]+)?=\s*(?:\([^)]*\)|\w+)\s*=>)",
        src,
        re.M,
    ):
        name = m.group(1) or m.group(2)
        rest = src[m.end() :]
        # end of this component: the next top-level definition
        nxt = re.search(r"^(?:export|const|function|type|interface)\b", rest, re.M)
        body = rest[: nxt.start()] if nxt else rest
        r = body.find("return (")
        if r >= 0 and (m.group(1) or body.lstrip().startswith("{")):
            seg = body[r + len("return (") :]
        else:
            p = body.find("(")
            seg = body[p + 1 :] if p >= 0 else body
        a = seg.find("<")
        b = seg.rfind(">")
        if a >= 0 and b > a:
            found[name] = seg[a : b + 1]
    return found


# --------------------------------------------------------------------------------------------------------------------


def _strip_ref(url: str) -> str:
    url = re.sub(r"[?&]ref=[\w-]+", "", url)
    return url


def _resolver(href: str) -> str:
    h = href
    for prefix in ("https://www.inngest.com", "https://inngest.com", "http://www.inngest.com"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if h.startswith("/") and not h.startswith("//"):
        h = _strip_ref(h)
        target, _, frag = h.partition("#")
        target = target.split("?")[0]
        if re.search(r"\.\w{2,4}$", target):
            return target
        return page_path(target) + (f"#{frag}" if frag else "")
    return h


def _fix_links(body: str) -> str:
    return rewrite_links(body, _resolver)


def _fmt_compact(n: Any) -> str:
    if not isinstance(n, (int, float)):
        return str(n)
    for div, suf in ((1_000_000, "M"), (1_000, "K")):
        if n >= div:
            v = n / div
            return (f"{v:.0f}" if v == int(v) else f"{v:.1f}") + suf
    return str(n)


def _pricing_html(src: str, jsx: JSX) -> str:
    consts = jsx.consts
    plans = consts.get("PLANS") or []
    features = consts.get("FEATURES") or []

    def steps_month(plan: dict) -> str:
        cost = plan["cost"]
        if isinstance(cost["basePrice"], str):
            return cost["basePrice"]
        base = _fmt_compact(cost["included"])
        if not cost.get("additionalPrice"):
            return base
        return f"{base} + ${cost['additionalPrice']} per additional {_fmt_compact(cost['additionalRate'])}"

    def quantity(plan: dict, feature: str) -> str:
        for f in plan.get("features", []):
            if f.get("text") == feature:
                return f.get("quantity") or ""
        return ""

    by_name = {p["name"]: p for p in plans}
    # the comparison table's computed cells (getPlanStepsMonth / getPlanFeatureQuantity)
    computed = {
        "Steps/month": {n: steps_month(p) for n, p in by_name.items()},
        "Concurrent functions": {n: quantity(p, "Concurrent functions") for n, p in by_name.items()},
        "History (log retention)": {n: quantity(p, "History") for n, p in by_name.items()},
    }

    def plan_card(attrs: dict) -> str:
        return ""

    def comparison(attrs: dict) -> str:
        names = [p["name"] for p in plans]
        rows = []
        for f in features:
            if f.get("heading"):
                rows.append(f'<tr><th colspan="{len(names) + 1}">{esc(f["name"])}</th></tr>')
                continue
            cells = []
            for n in names:
                if f["name"] in computed:
                    v: Any = computed[f["name"]].get(n, "")
                elif "all" in f:
                    v = f["all"]
                else:
                    v = (f.get("plans") or {}).get(n, False)
                cells.append("Included" if v is True else ("Not included" if v is False else str(v)))
            rows.append(f"<tr><th>{esc(f['name'])}</th>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
        head = "".join(f"<th>{esc(n)}</th>" for n in names)
        return f"<h2>Compare plans</h2><table><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"

    cards = []
    for p in plans:
        if p.get("hideFromCards"):
            continue
        cost = p["cost"]
        if isinstance(cost["basePrice"], str):
            price = cost["basePrice"]
        else:
            price = f"${cost['basePrice']}" + (f"/{cost['period']}" if cost.get("period") else "")
        if cost.get("startsAt"):
            price = "Starting at " + price
        feats = "".join(
            f"<li>{esc((f.get('quantity') + ' ') if f.get('quantity') else '')}{esc(f['text'])}</li>"
            for f in p.get("features", [])
            if f.get("text") != "-"
        )
        cards.append(
            f"<section><h3>{esc(p['name'])}</h3><p>{esc(str(p.get('description') or ''))}</p>"
            f"<p><strong>{esc(price)}</strong></p><p>{esc(steps_month(p))} steps/month</p>"
            + (f"<p>Includes up to {esc(_fmt_compact(cost['max']))} steps/month</p>" if cost.get("max") else "")
            + f'<ul>{feats}</ul><p><a href="{esc(_resolver(p["cta"]["href"]) if p["cta"]["href"].startswith("/") else "/sign-up/")}">{esc(p["cta"]["text"])}</a></p></section>'
        )
    jsx.components.update({"PlanCard": plan_card, "ComparisonTable": comparison})
    jsx.components["FAQRow"] = lambda a: (f"<h3>{esc(str(a.get('question') or ''))}</h3><div>", "</div>")
    body = jsx.render_default()
    marker = '<h2 id="what-is-a-function-step">'
    return body.replace(marker, "".join(cards) + marker, 1) if marker in body else "".join(cards) + body


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Inngest")

    def read(p: str) -> str:
        return tree.read(W + p)

    def jsx_page(path: str, src_path: str, title: str, *, subs: dict[str, str] | None = None) -> None:
        src = read(src_path)
        jsx = JSX(src, subs=subs)
        m = re.search(r"meta:\s*\{\s*title:\s*['\"`]([^'\"`]+)['\"`]", src)
        d = re.search(r"meta:\s*\{[^}]*?description:\s*\n?\s*['\"`]([^'\"`]+)['\"`]", src, re.S)
        site.add(path, (m.group(1) if m else title), _fix_links(jsx.render_default()), d.group(1) if d else "")

    # careers: visible roles
    roles = []
    for p in sorted(tree.files(W + "pages/careers/_roles/", (".md", ".mdx"))):
        meta, body = split_front_matter(tree.read(p))
        if meta.get("hidden"):
            continue
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        roles.append((slug, meta))
        head = f"<h1>{esc(str(meta.get('title')))}</h1><p>{esc(str(meta.get('location') or ''))}</p>"
        site.add(f"/careers/{slug}/", str(meta.get("title")), _fix_links(head + markdown_to_html(body)))
    role_html = "".join(
        f'<div><h3><a href="/careers/{esc(s)}/">{esc(str(m.get("title")))}</a></h3>'
        f"<p>{esc(str(m.get('location') or ''))}</p></div>"
        for s, m in roles
    )
    if not roles:
        role_html = "<p>There are currently no open roles.</p>"
    jsx_page(
        "/careers/",
        "pages/careers/index.tsx",
        "Careers at Inngest",
        subs={"roles.map": role_html, "roles.length === 0": ""},
    )

    src = read("pages/pricing.tsx")
    pjsx = JSX(src)
    free = next((p for p in pjsx.consts.get("PLANS") or [] if p.get("hideFromCards")), None)
    if free:
        fq = {f["text"]: f.get("quantity", "") for f in free["features"]}
        pjsx.subs = {
            "getPlan(PLAN_NAMES.free).cost.included": str(free["cost"]["included"]),
            "getPlanFeatureQuantity(PLAN_NAMES.free, 'Concurrent functions')": fq.get("Concurrent functions", ""),
            "getPlanFeatureQuantity(PLAN_NAMES.free, 'History')": fq.get("History", ""),
        }
    site.add(
        "/pricing/",
        "Pricing",
        _fix_links(_pricing_html(src, pjsx)),
        "Simple pricing. Powerful functionality.",
    )

    pages = {
        "/": "pages/index.tsx",
        "/about/": "pages/about.tsx",
        "/security/": "pages/security.tsx",
        "/privacy/": "pages/privacy.tsx",
        "/terms/": "pages/terms.tsx",
        "/contact/": "pages/contact.tsx",
        "/press/": "pages/press.tsx",
        "/ai/": "pages/ai.tsx",
        "/product/how-inngest-works/": "pages/product/how-inngest-works.tsx",
        "/uses/internal-tools/": "pages/uses/internal-tools.tsx",
        "/uses/user-journey-automation/": "pages/uses/user-journey-automation.tsx",
        "/uses/workflow-engine/": "pages/uses/workflow-engine.tsx",
        "/customers/": "pages/customers/index.tsx",
        "/launch-week/": "pages/launch-week/index.tsx",
        "/newsletter/": "pages/newsletter.tsx",
    }
    for path, src_path in pages.items():
        if tree.exists(W + src_path):
            jsx_page(path, src_path, path.strip("/").split("/")[-1].replace("-", " ").title() or "Inngest")

    # home: its sections are components in shared/Home — render their JSX too
    home_src = read("pages/index.tsx")
    home_parts = []
    for m in re.finditer(r"import\s+(\w+)\s+from\s+['\"](?:src|\.\.)/shared/Home/([\w/-]+)['\"]", home_src):
        name, rel = m.group(1), m.group(2)
        for cand in (f"shared/Home/{rel}.tsx", f"shared/Home/{rel}/index.tsx"):
            if tree.exists(W + cand):
                home_parts.append((name, JSX(read(cand))))
                break
    if home_parts:
        comps = {name: (lambda a, j=j: j.render_default(a)) for name, j in home_parts}
        home = JSX(home_src, components=comps).render_default()
        site.pages.pop("/", None)
        site.add(
            "/",
            "Inngest - Queuing and orchestration for modern software teams",
            _fix_links(home),
            "Inngest is the developer platform for easily building reliable workflows with zero infrastructure",
        )

    # customers index: the cards of `caseStudies`, the logos of `featuredCompanies` and the `grid` of logos/quotes
    src = read("pages/customers/index.tsx")
    cj = JSX(src)
    parts = [
        "<h1><em>Our</em> customers deliver reliable products <br>for <em>their</em> customers</h1>",
        "<p>From startups to public companies, our customers chose Inngest to power their products.</p>",
    ]
    for cs in cj.consts.get("caseStudies") or []:
        snippet = cs.get("snippet")
        snippet_html = cj.render(snippet, {}) if isinstance(snippet, Frag) else esc(str(snippet or ""))
        parts.append(
            f'<section><h3><a href="{esc(_resolver(cs["href"]))}">{esc(cs["name"])}: {esc(cs["title"])}</a></h3>'
            f"<p>{snippet_html}</p></section>"
        )
    names = [c["name"] for c in (cj.consts.get("featuredCompanies") or [])]
    for g in cj.consts.get("grid") or []:
        if g.get("type") == "quote":
            q = g["quote"]
            parts.append(
                f"<blockquote><p>“{esc(q['text'])}”</p><footer>{esc(q['attribution']['name'])} "
                f"{esc(q['attribution']['title'])} - {esc(g['name'])}</footer></blockquote>"
            )
        else:
            names.append(g["name"])
    parts.append("<ul>" + "".join(f'<li><img alt="{esc(n)}"></li>' for n in names) + "</ul>")
    parts.append(
        "<h2>Talk to a product expert</h2><p>Chat with sales engineering to learn how Inngest can help your team "
        'ship more reliable products, faster</p><p><a href="/contact/">Contact sales engineering</a></p>'
    )
    site.pages.pop("/customers/", None)
    site.add(
        "/customers/",
        "Customer Case Studies",
        "".join(parts),
        "From startups to public companies, these customers chose Inngest to build reliable products.",
    )

    # customer case studies
    for p in tree.files(W + "pages/customers/", (".mdx", ".md")):
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text = tree.read(p)
        meta = js_consts(text)
        title = str(meta.get("title") or slug)
        head = f"<h1>{esc(title)}</h1>"
        if meta.get("companyName"):
            head += f"<p>{esc(str(meta['companyName']))} — {esc(str(meta.get('companyDescription') or ''))}</p>"
        q = meta.get("quote")
        if isinstance(q, dict) and q.get("text"):
            att = q.get("attribution") or {}
            head += (
                f"<blockquote><p>{esc(str(q['text']))}</p><footer>{esc(str(att.get('name') or ''))}, "
                f"{esc(str(att.get('title') or ''))}</footer></blockquote>"
            )
        site.add_markdown(f"/customers/{slug}/", _mdx_prep(text), title=title, resolve=_resolver)
        site.pages[page_path(f"/customers/{slug}/")].body_html = (
            head + site.pages[page_path(f"/customers/{slug}/")].body_html
        )

    # blog
    posts = []
    for p in tree.files(W + "pages/blog/_posts/", (".md", ".mdx")):
        meta, _ = split_front_matter(tree.read(p))
        posts.append((str(meta.get("date") or ""), p, meta))
    posts.sort(reverse=True)
    items = []
    for date, p, meta in posts:
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        title = str(meta.get("heading") or meta.get("title") or slug)
        text = _mdx_prep(tree.read(p))
        byline = f"<p>{esc(date)} · {esc(str(meta.get('author') or ''))}</p>"
        sub = f"<p>{esc(str(meta.get('subtitle')))}</p>" if meta.get("subtitle") else ""
        site.add_markdown(f"/blog/{slug}/", text, title=title, resolve=_resolver)
        page = site.pages[page_path(f"/blog/{slug}/")]
        page.body_html = f"<h1>{esc(title)}</h1>{sub}{byline}" + page.body_html
        items.append(f'<li><a href="/blog/{esc(slug)}/">{esc(title)}</a> — {esc(date)}</li>')
    site.add("/blog/", "Blog", "<h1>Blog</h1><ul>" + "".join(items) + "</ul>", "Inngest blog")

    # use cases (pages/uses/[case].tsx over data/uses/*.tsx): their text fields in order
    for p in tree.files(W + "data/uses/", (".tsx", ".ts")):
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        data = js_consts(tree.read(p)).get("data")
        if isinstance(data, dict):
            site.add(f"/uses/{slug}/", str(data.get("title") or slug), _data_html(data), str(data.get("lede") or ""))

    # patterns
    pat_items = []
    for p in sorted(tree.files(W + "pages/patterns/_patterns/", (".md", ".mdx"))):
        slug = p.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        text = tree.read(p)
        meta = split_front_matter(text)[0]
        title = str(meta.get("title") or slug)
        site.add_markdown(f"/patterns/{slug}/", _mdx_prep(text), title=title, resolve=_resolver)
        pat_items.append(
            f'<li><a href="/patterns/{slug}/">{esc(title)}</a> — {esc(str(meta.get("subtitle") or ""))}</li>'
        )
    site.add(
        "/patterns/",
        "Patterns: Async + Event-Driven",
        "<h1>Patterns: Async + Event-Driven</h1><ul>" + "".join(pat_items) + "</ul>",
    )

    # docs
    for p in tree.files(W + "pages/docs/", (".md", ".mdx")):
        name = p.rsplit("/", 1)[-1]
        if name.startswith("_"):
            continue
        rel = p[len(W + "pages/") :]
        text = _mdx_prep(tree.read(p))
        mt = re.search(r"^export\s+const\s+(?:meta|title)\s*=\s*\{?\s*(?:title:\s*)?['\"`](.+?)['\"`]", text, re.M)
        title = mt.group(1) if mt else (None if re.search(r"^#\s", text, re.M) else "Inngest Documentation")
        site.add_markdown(page_path(rel), text, title=title, resolve=_resolver)

    site.nav = [
        ("How Inngest Works", "/product/how-inngest-works/"),
        ("AI + LLMs", "/ai/"),
        ("Durable workflows", "/uses/durable-workflows/"),
        ("Workflow engines", "/uses/workflow-engine/"),
        ("Serverless queues", "/uses/serverless-queues/"),
        ("Background jobs", "/uses/serverless-node-background-jobs/"),
        ("Scheduled & cron jobs", "/uses/serverless-cron-jobs/"),
        ("Docs", "/docs/"),
        ("Case Studies", "/customers/"),
        ("Pricing", "/pricing/"),
        ("Blog", "/blog/"),
    ]
    site.footer = [
        ("Documentation", "/docs/"),
        ("Patterns: Async + Event-Driven", "/patterns/"),
        ("Serverless queues for TypeScript", "/uses/serverless-queues/"),
        ("Scheduled & cron jobs", "/uses/serverless-cron-jobs/"),
        ("AI + LLMs", "/ai/"),
        ("Node.js background jobs", "/uses/serverless-node-background-jobs/"),
        ("Roadmap", "https://roadmap.inngest.com/roadmap"),
        ("Changelog", "https://roadmap.inngest.com/changelog"),
        ("About", "/about/"),
        ("Careers", "/careers/"),
        ("Blog", "/blog/"),
        ("Contact Us", "/contact/"),
        ("Newsletter", "/newsletter/"),
        ("Privacy", "/privacy/"),
        ("Terms and Conditions", "/terms/"),
        ("Security", "/security/"),
    ]
    site.link_children()
    # the docs sidebar: every docs page, reachable from /docs/
    docs = sorted(p for p in site.pages if p.startswith("/docs/") and p != "/docs/")
    if "/docs/" in site.pages:
        site.pages["/docs/"].body_html += (
            '<nav class="docs-sidebar"><ul>'
            + "".join(f'<li><a href="{esc(p)}">{esc(site.pages[p].title)}</a></li>' for p in docs)
            + "</ul></nav>"
        )
    return site


def _data_html(data: Any, depth: int = 0) -> str:
    """The text of a page-data object: `title` fields as headings, other prose strings as paragraphs."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            if k in ("img", "image", "logo", "code", "src", "avatar", "href", "url", "language"):
                continue
            if isinstance(v, str):
                if k in ("title", "heading"):
                    out.append(f"<h{min(depth + 1, 4)}>{esc(v)}</h{min(depth + 1, 4)}>")
                elif " " in v.strip():
                    out.append(f"<p>{esc(v)}</p>")
            else:
                out.append(_data_html(v, depth + 1))
    elif isinstance(data, list):
        if all(isinstance(x, str) for x in data):
            out.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in data) + "</ul>")
        else:
            out.extend(_data_html(x, depth) for x in data)
    return "".join(out)


def _mdx_prep(text: str) -> str:
    """MDX with quote components turned into Markdown block quotes (their text is a prop)."""

    def quote(m: re.Match[str]) -> str:
        t = re.search(r'text=(?:"([^"]*)"|\{`([^`]*)`\})', m.group(0), re.S)
        a = re.search(r'name:\s*"([^"]*)"(?:,\s*title:\s*"([^"]*)")?', m.group(0))
        if not t:
            return ""
        body = (t.group(1) or t.group(2) or "").strip()
        who = (" — " + ", ".join(x for x in a.groups() if x)) if a else ""
        return f"\n> {body}{who}\n"

    text = re.sub(r"<(?:Blockquote|Quote)\b.*?/>", quote, text, flags=re.S)
    # multi-line `export const x = {...}` blocks (metadata) are not page text
    out, pos = [], 0
    for m in re.finditer(r"^export\s+const\s+\w+\s*=\s*", text, re.M):
        if m.start() < pos:
            continue
        js = _JS(text[m.end() :])
        try:
            js.value()
        except (IndexError, ValueError):
            continue
        out.append(text[pos : m.start()])
        pos = m.end() + js.i
    out.append(text[pos:])
    return "".join(out)
