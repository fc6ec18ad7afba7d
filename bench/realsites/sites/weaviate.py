"""Weaviate — vector-database company; weaviate.io is a Docusaurus site (weaviate/weaviate-io).

Marketing pages are React pages (`src/pages/**/*.jsx`) built from components in `src/components/` and data files
(`static/data/*.json`, component JSON). They are rendered here by a small JSX interpreter: the page's JSX tree is
walked, HTML elements and their literal text are kept, local components are rendered recursively with their props,
`array.map(...)` over imported JSON / local arrays is expanded, `dangerouslySetInnerHTML` strings are inserted, and
everything that needs a browser (state, fetches, event handlers) is ignored. Both branches of conditionals are
rendered (e.g. the Serverless and BYOC halves of the pricing page, FAQ answers that open on click), since all of it
ships with the page. The careers page's job list is fetched from the Teamtailor API in the browser, so it renders
empty here, as it does without JavaScript.

Markdown content: blog (`blog/`, all ~100 posts), playbook (`playbook/` at /company/playbook), paper reviews
(`papers/`), Markdown pages in `src/pages/` (privacy, terms of service/SLAs), and a capped set of docs
(`developers/weaviate` core sections and `developers/wcs`; modules, model-provider and academy docs left out).

The snapshot comes from a fork (nakula-mk-cognoai/weaviate-io) whose HEAD is upstream commit 03cd06ee (the merge
of weaviate/weaviate-io PR #2071, 2024-05-10): the upstream snapshot is too large to bring in.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, rewrite_links

SOURCE = Source(
    host="weaviate.io",
    repo="nakula-mk-cognoai/weaviate-io",
    commit="03cd06ee5da0864c46016305ed8e521979bd620f",
    kind="vector-database company (Docusaurus JSX pages + MDX blog/docs)",
    notes="Upstream weaviate/weaviate-io commit 03cd06ee (2024-05-10), read from a fork's snapshot.",
)

DOC_SECTIONS = (
    "developers/wcs/",
    "developers/weaviate/index.md",
    "developers/weaviate/introduction.md",
    "developers/weaviate/quickstart/",
    "developers/weaviate/installation/",
    "developers/weaviate/concepts/",
    "developers/weaviate/configuration/",
    "developers/weaviate/manage-data/",
    "developers/weaviate/search/",
    "developers/weaviate/starter-guides/",
    "developers/weaviate/more-resources/",
    "developers/weaviate/release-notes/",
    "developers/weaviate/roadmap/",
    "developers/weaviate/benchmarks/",
    "developers/weaviate/client-libraries/",
    "developers/weaviate/config-refs/",
    "developers/weaviate/api/",
    "developers/weaviate/tutorials/",
)
BLOG_CAP = 150

# --------------------------------------------------------------------------------------------------------------------
# A small JavaScript / JSX reader


class _P:
    """Recursive-descent reader of JSX elements and JS expressions (enough for React page components)."""

    def __init__(self, s: str) -> None:
        self.s = s

    # -- JSX -----------------------------------------------------------------------------------------------------
    def element(self, i: int) -> tuple[dict, int]:
        s = self.s
        assert s[i] == "<"
        i += 1
        if s[i] == ">":  # fragment
            children, i = self.children(i + 1)
            i = s.index(">", i) + 1  # </>
            return {"t": "el", "name": "", "attrs": {}, "children": children}, i
        m = re.compile(r"[A-Za-z_][\w.:-]*").match(s, i)
        name = m.group(0) if m else ""
        i = m.end() if m else i
        attrs: dict[str, Any] = {}
        while True:
            while s[i].isspace():
                i += 1
            if s.startswith("/>", i):
                return {"t": "el", "name": name, "attrs": attrs, "children": []}, i + 2
            if s[i] == ">":
                children, i = self.children(i + 1)
                end = s.index(">", i)
                return {"t": "el", "name": name, "attrs": attrs, "children": children}, end + 1
            if s[i] == "{":  # spread {...props}
                _e, i = self.braced(i)
                continue
            m = re.compile(r"[\w:.-]+").match(s, i)
            if not m:
                i += 1
                continue
            an = m.group(0)
            i = m.end()
            while s[i].isspace():
                i += 1
            if s[i] != "=":
                attrs[an] = {"t": "lit", "v": True}
                continue
            i += 1
            while s[i].isspace():
                i += 1
            if s[i] in "\"'":
                q = s[i]
                j = s.index(q, i + 1)
                attrs[an] = {"t": "lit", "v": html.unescape(s[i + 1 : j])}
                i = j + 1
            elif s[i] == "{":
                e, i = self.braced(i)
                attrs[an] = e
            else:
                i += 1

    def children(self, i: int) -> tuple[list, int]:
        s = self.s
        out: list = []
        while i < len(s):
            if s.startswith("</", i):
                return out, i
            if s[i] == "<":
                el, i = self.element(i)
                out.append(el)
            elif s[i] == "{":
                e, i = self.braced(i)
                out.append(e)
            else:
                j = i
                while j < len(s) and s[j] not in "<{":
                    j += 1
                out.append({"t": "text", "v": s[i:j]})
                i = j
        return out, i

    # -- JS expressions --------------------------------------------------------------------------------------------
    def braced(self, i: int) -> tuple[dict, int]:
        """`{ expr }` starting at s[i] == '{' → expression node (JSX inside replaced by placeholders)."""
        e, j = self.expr(i + 1, "}")
        return e, j + 1

    def expr(self, i: int, stop: str) -> tuple[dict, int]:
        s = self.s
        depth = 0
        out: list[str] = []
        jsx: list[dict] = []
        while i < len(s):
            c = s[i]
            if depth == 0 and c in stop:
                break
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            if c in "\"'`":
                j = self._string_end(i)
                out.append(s[i:j])
                i = j
                continue
            if s.startswith("//", i):
                j = s.find("\n", i)
                i = len(s) if j < 0 else j
                continue
            if s.startswith("/*", i):
                j = s.find("*/", i)
                i = len(s) if j < 0 else j + 2
                continue
            if c == "<" and i + 1 < len(s) and (s[i + 1].isalpha() or s[i + 1] == ">"):
                prev = "".join(out).rstrip()
                if not prev or prev[-1] in "(,?:=&|{[" or prev.endswith("return"):
                    el, i = self.element(i)
                    out.append(f" __JSX{len(jsx)}__ ")
                    jsx.append(el)
                    continue
            out.append(c)
            i += 1
        return {"t": "expr", "src": "".join(out).strip(), "jsx": jsx}, i

    def _string_end(self, i: int) -> int:
        s = self.s
        q = s[i]
        j = i + 1
        while j < len(s):
            if s[j] == "\\":
                j += 2
                continue
            if q == "`" and s.startswith("${", j):
                _e, j = self.expr(j + 2, "}")
                j += 1
                continue
            if s[j] == q:
                return j + 1
            j += 1
        return j


def _js_literal(src: str) -> Any:
    """A JS object/array/string/number literal → Python (identifiers and calls → None)."""
    pos = [0]
    s = src

    def ws() -> None:
        while pos[0] < len(s):
            if s[pos[0]].isspace():
                pos[0] += 1
            elif s.startswith("//", pos[0]):
                j = s.find("\n", pos[0])
                pos[0] = len(s) if j < 0 else j
            elif s.startswith("/*", pos[0]):
                j = s.find("*/", pos[0])
                pos[0] = len(s) if j < 0 else j + 2
            else:
                break

    def value() -> Any:
        ws()
        c = s[pos[0]] if pos[0] < len(s) else ""
        if c == "[":
            pos[0] += 1
            arr = []
            while True:
                ws()
                if s[pos[0]] == "]":
                    pos[0] += 1
                    return arr
                arr.append(value())
                ws()
                if s[pos[0]] == ",":
                    pos[0] += 1
        if c == "{":
            pos[0] += 1
            obj = {}
            while True:
                ws()
                if s[pos[0]] == "}":
                    pos[0] += 1
                    return obj
                if s[pos[0]] in "\"'":
                    k = value()
                else:
                    m = re.compile(r"[\w$]+").match(s, pos[0])
                    k = m.group(0)
                    pos[0] = m.end()
                ws()
                if s[pos[0]] == ":":
                    pos[0] += 1
                    obj[k] = value()
                else:
                    obj[k] = None
                ws()
                if s[pos[0]] == ",":
                    pos[0] += 1
        if c in "\"'`":
            q = c
            j = pos[0] + 1
            buf = []
            while s[j] != q:
                if s[j] == "\\":
                    buf.append(s[j + 1])
                    j += 2
                    continue
                buf.append(s[j])
                j += 1
            pos[0] = j + 1
            return "".join(buf)
        m = re.compile(r"-?\d+(\.\d+)?").match(s, pos[0])
        if m:
            pos[0] = m.end()
            return float(m.group(0)) if m.group(1) else int(m.group(0))
        # identifier / call / anything else: skip to the next , ] } at this level
        depth = 0
        while pos[0] < len(s):
            ch = s[pos[0]]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                break
            elif ch in "\"'`":
                q = ch
                pos[0] += 1
                while pos[0] < len(s) and s[pos[0]] != q:
                    pos[0] += 2 if s[pos[0]] == "\\" else 1
            pos[0] += 1
        return {"true": True, "false": False}.get(src[pos[0] - 5 : pos[0]].strip(), None)

    try:
        return value()
    except (IndexError, AttributeError):
        return None


# --------------------------------------------------------------------------------------------------------------------

_HTML_TAGS = {
    "div",
    "section",
    "header",
    "main",
    "footer",
    "article",
    "aside",
    "nav",
    "span",
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
    "b",
    "em",
    "i",
    "u",
    "small",
    "br",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "td",
    "th",
    "code",
    "pre",
    "blockquote",
    "label",
    "sup",
    "sub",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "mark",
    "details",
    "summary",
}
_DROP_TAGS = {
    "svg",
    "script",
    "style",
    "img",
    "iframe",
    "video",
    "source",
    "path",
    "input",
    "select",
    "textarea",
    "option",
    "picture",
    "canvas",
    "noscript",
    "form",
    "button",
}
_DROP_COMPONENTS = {
    "MetaSEO",
    "ThemeSwitch",
    "CustomScriptLoader",
    "Head",
    "Tracking",
    "GiscusComment",
    "ModeSwitch",
    "Calculator",
    "CommandMenu",
}


class _Jsx:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree
        self.files = set(tree.files())
        self._cache: dict[str, Any] = {}

    # -- files & modules ---------------------------------------------------------------------------------------
    def resolve(self, spec: str, from_path: str) -> str | None:
        if spec.startswith("@site/"):
            base = spec[len("@site/") :]
        elif spec.startswith("/data/"):
            base = "static" + spec
        elif spec.startswith("/"):
            base = spec.lstrip("/")
        elif spec.startswith("."):
            base = posixpath.normpath(posixpath.join(posixpath.dirname(from_path), spec))
        else:
            return None
        for cand in (base, base + ".jsx", base + ".js", base + ".tsx", base + "/index.jsx", base + "/index.js"):
            if cand in self.files:
                return cand
        return None

    def module(self, path: str) -> dict:
        if path in self._cache:
            return self._cache[path]
        src = self.tree.read(path)
        mod: dict[str, Any] = {"path": path, "src": src, "imports": {}, "consts": {}, "funcs": {}}
        self._cache[path] = mod
        if path.endswith(".json"):
            try:
                mod["value"] = json.loads(src)
            except ValueError:
                mod["value"] = None
            return mod
        for m in re.finditer(r"^import\s+(.+?)\s+from\s+['\"]([^'\"]+)['\"]", src, re.M | re.S):
            names, spec = m.group(1), m.group(2)
            target = self.resolve(spec, path)
            if not target:
                continue
            default = re.match(r"\s*(\w+)", names)
            if default and not names.strip().startswith(("{", "*")):
                mod["imports"][default.group(1)] = (target, "default")
            for nm in re.findall(r"\{([^}]*)\}", names):
                for part in nm.split(","):
                    part = part.strip()
                    if part:
                        orig, _, alias = part.partition(" as ")
                        mod["imports"][(alias or orig).strip()] = (target, orig.strip())
        # functions (components) defined in the file
        for m in re.finditer(r"(?:export\s+)?(?:default\s+)?function\s+(\w+)\s*\(", src):
            mod["funcs"][m.group(1)] = m.start()
        for m in re.finditer(r"(?:export\s+)?const\s+(\w+)\s*=\s*(?:\([^)]*\)|\w+)\s*=>", src):
            mod["funcs"].setdefault(m.group(1), m.start())
        m = re.search(r"export\s+default\s+function\s+(\w+)", src)
        if m:
            mod["default"] = m.group(1)
        else:
            m = re.search(r"export\s+default\s+(\w+)\s*;?\s*$", src, re.M)
            mod["default"] = m.group(1) if m else None
        # top-level array/object constants
        for m in re.finditer(r"^(?:export\s+)?const\s+(\w+)\s*=\s*([\[{])", src, re.M):
            start = m.end() - 1
            _e, end = _P(src).expr(start, ";\n")
            val = _js_literal(src[start:end])
            if val is not None:
                mod["consts"][m.group(1)] = val
        return mod

    def value_of(self, mod: dict, name: str) -> Any:
        if name in mod["consts"]:
            return mod["consts"][name]
        if name in mod["imports"]:
            target, what = mod["imports"][name]
            tm = self.module(target)
            if "value" in tm:
                return tm["value"]
            if what in tm["consts"]:
                return tm["consts"][what]
        return None

    # -- components -----------------------------------------------------------------------------------------------
    def component_jsx(self, mod: dict, name: str) -> tuple[dict | None, str, str]:
        """(JSX root, function source text, parameter text) of component `name` in module `mod`."""
        src = mod["src"]
        start = mod["funcs"].get(name)
        if start is None:
            return None, "", ""
        pm = re.compile(r"\(([^)]*)\)|(\w+)\s*=>").search(src, start)
        params = (pm.group(1) or pm.group(2) or "") if pm else ""
        p = _P(src)
        m = re.compile(r"return\s*\(?\s*<|=>\s*\(\s*<").search(src, start)
        # a component's JSX is the first `return (<` / `=> (<` after its declaration
        if not m:
            return None, "", params
        lt = m.end() - 1
        try:
            el, _end = p.element(lt)
        except (ValueError, IndexError):
            return None, "", params
        return el, src[start:lt], params

    def render_component(self, mod: dict, name: str, props: dict, depth: int) -> str:
        if depth > 12:
            return ""
        root, body, params = self.component_jsx(mod, name)
        if root is None:
            return ""
        scope: dict[str, Any] = {"props": props}
        scope.update(props)
        for k in re.findall(r"\w+", params.replace("props", "")):
            scope.setdefault(k, props.get(k))
        # local constants and simple assignments in the function body
        for m in re.finditer(r"(?:const|let|var)\s+(\w+)\s*=\s*([\w.\[\]'\"]+)\s*;", body):
            val = self.eval(m.group(2), scope, mod)
            if val is not None:
                scope[m.group(1)] = val
        for m in re.finditer(r"(?:const|let|var)\s+(\w+)\s*=\s*([\[{])", body):
            start = m.end() - 1
            _e, end = _P(body).expr(start, ";\n")
            val = _js_literal(body[start:end])
            if val not in (None, [], {}):
                scope[m.group(1)] = val
        for m in re.finditer(r"if\s*\(\s*(\w+)\s*===\s*['\"]([^'\"]*)['\"]\s*\)\s*\{\s*(\w+)\s*=\s*([\w.]+)\s*;", body):
            if scope.get(m.group(1)) == m.group(2):
                val = self.eval(m.group(4), scope, mod)
                if val is not None:
                    scope[m.group(3)] = val
        return self.render(root, scope, mod, depth)

    # -- evaluation -------------------------------------------------------------------------------------------------
    def eval(self, src: str, scope: dict, mod: dict) -> Any:
        src = src.strip()
        while src.startswith("(") and src.endswith(")") and _balanced(src[1:-1]):
            src = src[1:-1].strip()
        if not src:
            return None
        if src[0] in "\"'" and src[-1] == src[0] and src.count(src[0]) == 2:
            return src[1:-1]
        if src[0] == "`" and src[-1] == "`":

            def sub(m: re.Match[str]) -> str:
                v = self.eval(m.group(1), scope, mod)
                return "" if v is None else str(v)

            return re.sub(r"\$\{([^}]*)\}", sub, src[1:-1])
        if re.fullmatch(r"-?\d+(\.\d+)?", src):
            return src
        parts = _split_top(src, "+")
        if len(parts) > 1:
            vals = [self.eval(p, scope, mod) for p in parts]
            if all(isinstance(v, (str, int, float)) for v in vals):
                return "".join(str(v) for v in vals)
            return None
        m = re.fullmatch(r"([A-Za-z_$][\w$]*)((?:\??\.[\w$]+|\[[^\]]+\])*)", src)
        if not m:
            return None
        head = m.group(1)
        if head in scope:
            val = scope[head]
        else:
            val = self.value_of(mod, head)
        for acc in re.findall(r"\??\.([\w$]+)|\[([^\]]+)\]", m.group(2)):
            key = acc[0] or acc[1].strip().strip("'\"")
            if isinstance(val, dict):
                val = val.get(key)
            elif isinstance(val, list) and key.isdigit() and int(key) < len(val):
                val = val[int(key)]
            elif isinstance(val, (list, str)) and key == "length":
                val = len(val)
            else:
                return None
        return val

    # -- rendering --------------------------------------------------------------------------------------------------
    def render(self, node: Any, scope: dict, mod: dict, depth: int) -> str:
        if isinstance(node, list):
            return "".join(self.render(n, scope, mod, depth) for n in node)
        t = node["t"]
        if t == "text":
            return _jsx_text(node["v"])
        if t == "expr":
            return self.render_expr(node, scope, mod, depth)
        if t != "el":
            return ""
        name = node["name"]
        attrs = node["attrs"]
        if not name:
            return self.render(node["children"], scope, mod, depth)
        if name in _DROP_TAGS or name in _DROP_COMPONENTS:
            return ""
        inner_html = None
        if "dangerouslySetInnerHTML" in attrs:
            a = attrs["dangerouslySetInnerHTML"]
            if a["t"] == "expr":
                mm = re.search(r"__html\s*:\s*([^,}]+)", a["src"])
                if mm:
                    v = self.eval(mm.group(1), scope, mod)
                    inner_html = v if isinstance(v, str) else ""
        children = inner_html if inner_html is not None else self.render(node["children"], scope, mod, depth)
        if name in ("Link", "a", "LinkButton"):
            href = self.attr(attrs.get("to") or attrs.get("href") or attrs.get("link"), scope, mod)
            if isinstance(href, str) and href:
                return f'<a href="{esc(href)}">{children}</a>'
            return children
        if name[0].islower():
            if name not in _HTML_TAGS:
                return children
            if name in ("br", "hr"):
                return f"<{name}>"
            extra = ""
            ident = self.attr(attrs.get("id"), scope, mod)
            if isinstance(ident, str) and ident:
                extra = f' id="{esc(ident)}"'
            return f"<{name}{extra}>{children}</{name}>"
        # a component: local file or function in this module, else just its children
        base = name.split(".")[0]
        target_mod, fname = None, None
        if base in mod["imports"]:
            path, what = mod["imports"][base]
            if path.endswith((".jsx", ".js", ".tsx")):
                target_mod = self.module(path)
                fname = target_mod.get("default") if what == "default" else what
        elif name in mod["funcs"]:
            target_mod, fname = mod, name
        if target_mod is not None and fname and not path_is_theme(target_mod["path"]):
            props = {k: self.attr(v, scope, mod) for k, v in attrs.items()}
            props["children"] = _Raw(children)
            out = self.render_component(target_mod, fname, props, depth + 1)
            return out if out else children
        return children

    def attr(self, a: dict | None, scope: dict, mod: dict) -> Any:
        if a is None:
            return None
        if a["t"] == "lit":
            return a["v"]
        if a["jsx"]:
            return _Raw("".join(self.render(j, scope, mod, 0) for j in a["jsx"]))
        return self.eval(a["src"], scope, mod)

    def render_expr(self, node: dict, scope: dict, mod: dict, depth: int) -> str:
        src = node["src"]
        jsx = node["jsx"]
        if not src:
            return ""
        if not jsx:
            v = self.eval(src, scope, mod)
            if isinstance(v, _Raw):
                return v.html
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                return esc(str(v))
            return ""
        m = None
        for mm in re.finditer(r"([\w$.\[\]'\"]+)\s*\.map\(\s*(?:\(\s*([^)]*)\)|(\w+))\s*=>", src):
            m = mm
        if m:
            arr = self.eval(m.group(1), scope, mod)
            params = [p.strip() for p in re.split(r"[,{}]", m.group(2) or m.group(3) or "") if p.strip()]
            after = src[m.end() :]
            idxs = [int(k) for k in re.findall(r"__JSX(\d+)__", after)]
            before = [int(k) for k in re.findall(r"__JSX(\d+)__", src[: m.start()])]
            out = "".join(self.render(jsx[k], scope, mod, depth) for k in before)
            if not isinstance(arr, list):
                return out
            destructure = bool(m.group(2) and "{" in m.group(2))
            for n, item in enumerate(arr):
                sc = dict(scope)
                if destructure and isinstance(item, dict):
                    for p in params:
                        sc[p] = item.get(p)
                else:
                    if params:
                        sc[params[0]] = item
                    if len(params) > 1:
                        sc[params[1]] = n
                # only the first JSX of the callback: alternatives after it are for other branches
                if idxs:
                    out += "".join(self.render(jsx[k], sc, mod, depth) for k in idxs[:1])
            return out
        return "".join(self.render(j, scope, mod, depth) for j in jsx)


class _Raw:
    def __init__(self, html_text: str) -> None:
        self.html = html_text

    def __str__(self) -> str:
        return self.html


def path_is_theme(path: str) -> bool:
    return path.startswith("src/theme/")


def _balanced(s: str) -> bool:
    depth = 0
    for c in s:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _split_top(src: str, op: str) -> list[str]:
    parts, depth, cur, q = [], 0, [], ""
    for c in src:
        if q:
            cur.append(c)
            if c == q:
                q = ""
            continue
        if c in "\"'`":
            q = c
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == op and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(c)
    parts.append("".join(cur))
    return parts


def _jsx_text(t: str) -> str:
    """JSX whitespace rules: lines trimmed, blank lines dropped, lines joined by one space."""
    if "\n" not in t:
        return t
    lines = [ln.strip() for ln in t.split("\n")]
    lead = " " if t[:1] in " \t" and not t.startswith("\n") else ""
    trail = " " if t[-1:] in " \t" and not t.rstrip(" \t").endswith("\n") else ""
    return lead + " ".join(ln for ln in lines if ln) + trail


# --------------------------------------------------------------------------------------------------------------------
# Markdown (blog, playbook, papers, docs, md pages)

_ADMONITION = re.compile(r"^:::(\w+)[ \t]*(.*)$", re.M)


def _prep_md(body: str) -> str:
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"<img\b[^>]*?/>", "", body, flags=re.S)
    body = re.sub(r"<(iframe|video|figure)\b.*?</\1>", "", body, flags=re.S)
    body = _ADMONITION.sub(lambda m: f"**{m.group(2).strip()}**" if m.group(2).strip() else "", body)
    body = re.sub(r"^:::\s*$", "", body, flags=re.M)
    body = re.sub(r"\s\{#[\w-]+\}\s*$", "", body, flags=re.M)  # heading ids
    return body


def _strip_number_prefix(seg: str) -> str:
    return re.sub(r"^\d+[-_.]", "", seg)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Weaviate")
    jsx = _Jsx(tree)

    # ---- Markdown collections -------------------------------------------------------------------------------
    url_of: dict[str, str] = {}  # source file -> URL

    def fm(path: str) -> tuple[dict, str]:
        from bench.realsites.render import split_front_matter

        return split_front_matter(tree.read(path))

    def collect_blog(folder: str, base: str, cap: int | None) -> list[tuple[str, str, dict]]:
        posts = []
        for path in tree.files(folder + "/", (".md", ".mdx")):
            rel = path[len(folder) + 1 :]
            if rel.startswith("_") or "/_" in rel or (rel.count("/") > 1):
                continue
            meta, _b = fm(path)
            name = rel.split("/")[0]
            name = re.sub(r"\.(mdx?|markdown)$", "", name)
            mdate = re.match(r"(\d{4}-\d{2}-\d{2})-?(.*)", name)
            slug = meta.get("slug") or (mdate.group(2) if mdate else name)
            date = str(meta.get("date") or (mdate.group(1) if mdate else ""))
            posts.append((path, f"{base}/{str(slug).strip('/')}/", {**meta, "_date": date}))
        posts.sort(key=lambda p: p[2]["_date"], reverse=True)
        return posts[:cap] if cap else posts

    blog = collect_blog("blog", "/blog", BLOG_CAP)
    playbook = collect_blog("playbook", "/company/playbook", None)
    papers = collect_blog("papers", "/papers", None)
    for coll in (blog, playbook, papers):
        for path, url, _m in coll:
            url_of[path] = url

    docs: list[str] = []
    for path in tree.files("developers/", (".md", ".mdx")):
        if not path.startswith(DOC_SECTIONS):
            continue
        if any(seg.startswith("_") for seg in path.split("/")):
            continue
        docs.append(path)

    def doc_url(path: str) -> str:
        parts = [_strip_number_prefix(p) for p in path[: -len(posixpath.splitext(path)[1])].split("/")]
        if parts[-1] in ("index", "README") or (len(parts) > 1 and parts[-1] == parts[-2]):
            parts = parts[:-1]
        return "/" + "/".join(parts) + "/"

    for path in docs:
        meta, _b = fm(path)
        url = doc_url(path)
        slug = meta.get("slug")
        if isinstance(slug, str) and slug:
            url = slug if slug.startswith("/") else posixpath.join(posixpath.dirname(url.rstrip("/")), slug)
            url = "/" + url.strip("/") + "/"
            if not url.startswith("/developers/"):
                url = "/developers" + url if slug.startswith("/") else url
        url_of[path] = url

    md_pages = [p for p in tree.files("src/pages/", (".md", ".mdx")) if not posixpath.basename(p).startswith("_")]
    for path in md_pages:
        rel = path[len("src/pages/") :]
        rel = re.sub(r"(/index)?\.mdx?$", "", rel)
        url_of[path] = "/" + rel.strip("/") + "/" if rel != "index" else "/"

    def resolver(src_path: str):
        def resolve(href: str) -> str:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#") or not href:
                return href
            if href.startswith("https://weaviate.io/"):
                return href
            target, _, frag = href.partition("#")
            tail = f"#{frag}" if frag else ""
            if target.startswith("/"):
                if not re.search(r"\.mdx?$", target):
                    return href
                joined = target.lstrip("/")
            else:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(src_path), target))
            if joined in url_of:
                return url_of[joined] + tail
            for ext in (".md", ".mdx", "/index.md", "/index.mdx"):
                if joined + ext in url_of:
                    return url_of[joined + ext] + tail
            if re.search(r"\.mdx?$", joined):  # a page left out of the capped docs: its URL on the live site
                return doc_url(joined) + tail
            return href

        return resolve

    def add_md(path: str, url: str, extra_top: str = "") -> dict:
        meta, body = fm(path)
        body_html = markdown_to_html(_prep_md(body))
        body_html = rewrite_links(body_html, resolver(path))
        m = re.search(r"^#\s+(.+)$", body, re.M)
        title = str(meta.get("title") or (m.group(1).strip() if m else url.strip("/").split("/")[-1]))
        site.add(url, title, extra_top + body_html, str(meta.get("description") or ""))
        return meta

    authors = yaml_load(tree.read("authors.yml")) if tree.exists("authors.yml") else {}

    def byline(meta: dict) -> str:
        names = []
        a = meta.get("authors") or []
        for key in a if isinstance(a, list) else [a]:
            info = authors.get(key) if isinstance(key, str) else key
            if isinstance(info, dict):
                names.append(", ".join(x for x in (info.get("name"), info.get("title")) if x))
            elif isinstance(key, str):
                names.append(key)
        date = meta.get("_date", "")
        return f"<p>{esc(str(date))}{' · ' if names and date else ''}{esc('; '.join(names))}</p>"

    for coll in (blog, playbook, papers):
        for path, url, meta in coll:
            add_md(path, url, byline(meta))
    for path in docs:
        add_md(path, url_of[path])
    for path in md_pages:
        add_md(path, url_of[path])

    def listing(coll: list, base: str, title: str, intro: str) -> None:
        items = "".join(
            f'<li><a href="{u}">{esc(str(m.get("title") or u))}</a> <span>{esc(str(m.get("_date", "")))}</span>'
            f"{'<p>' + esc(str(m['description'])) + '</p>' if m.get('description') else ''}</li>"
            for _p, u, m in coll
        )
        site.add(base + "/", title, f"<h1>{esc(title)}</h1><p>{esc(intro)}</p><ul>{items}</ul>")

    listing(blog, "/blog", "Blog", "")
    listing(playbook, "/company/playbook", "Playbook", "Learn How we run Weaviate as a Company")
    listing(papers, "/papers", "Paper Reviews", "")

    # ---- React pages ----------------------------------------------------------------------------------------------
    for path in tree.files("src/pages/", (".jsx", ".js", ".tsx")):
        rel = path[len("src/pages/") :]
        if any(seg.startswith("_") for seg in rel.split("/")):
            continue
        rel = re.sub(r"(/index)?\.(jsx|js|tsx)$", "", rel)
        url = "/" if rel == "index" else "/" + rel + "/"
        mod = jsx.module(path)
        fname = mod.get("default")
        if not fname:
            continue
        body = jsx.render_component(mod, fname, {}, 0)
        body = re.sub(r"<(div|span|p|section|li|ul)>\s*</\1>", "", body)
        for _ in range(3):
            body = re.sub(r"<(div|span|section)>\s*</\1>", "", body)
        body = re.sub(r"</?(?:div|section|main)>", "\n", body)
        body = re.sub(r"\n\s*\n+", "\n", body)
        page_dir = url.rstrip("/").rsplit("/", 1)[0] + "/"  # Docusaurus URLs have no trailing slash
        body = rewrite_links(
            body,
            lambda h, d=page_dir: (
                posixpath.normpath(posixpath.join(d, h)) + "/"
                if h and not re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", h, re.I)
                else h
            ),
        )
        src = mod["src"]
        lt = re.search(r"<Layout[^>]*?\btitle=[\"']([^\"']+)[\"']", src)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
        title = lt.group(1) if lt else (re.sub(r"<[^>]+>", " ", h1.group(1)).strip() if h1 else rel)
        title = re.sub(r"\s+", " ", title)
        site.add(url, title, body)

    # ---- navigation -------------------------------------------------------------------------------------------------
    site.nav = [
        ("Product", "/platform/"),
        ("Services Overview", "/services/"),
        ("Serverless", "/services/serverless/"),
        ("Enterprise Dedicated", "/services/enterprise-dedicated/"),
        ("Bring Your Own Cloud", "/services/byoc/"),
        ("Education & Support", "/services/education-and-support/"),
        ("Pricing", "/pricing/"),
        ("Weaviate Docs", "/developers/weaviate/"),
        ("Weaviate Cloud Services Docs", "/developers/wcs/"),
        ("Online Workshops & Events", "/community/events/"),
        ("Community", "/community/"),
        ("Paper Reviews", "/papers/"),
        ("AWS", "/partners/aws/"),
        ("Google Cloud", "/partners/gcp/"),
        ("Snowflake", "/partners/snowflake/"),
        ("Become a Partner", "/partners/"),
        ("About us", "/company/about-us/"),
        ("Playbook", "/company/playbook/"),
        ("Careers", "/company/careers/"),
        ("Investors", "/company/investors/"),
        ("Contact us", "mailto:hello@weaviate.io"),
        ("Blog", "/blog/"),
        ("Try Now", "https://console.weaviate.cloud"),
    ]
    site.footer = [
        ("Pricing", "/pricing/"),
        ("Console", "https://console.weaviate.cloud/"),
        ("Partners", "/partners/"),
        ("Security", "/security/"),
        ("Terms & Policies", "/service/"),
        ("Slack", "https://weaviate.io/slack"),
        ("Twitter", "https://twitter.com/weaviate_io"),
        ("GitHub", "https://github.com/weaviate/weaviate"),
        ("Linkedin", "https://www.linkedin.com/company/weaviate-io"),
        ("Forum", "https://forum.weaviate.io"),
        ("Blog", "/blog/"),
        ("Podcast", "/podcast/"),
        ("Playbook", "/company/playbook/"),
        ("Newsletter", "https://newsletter.weaviate.io/"),
        ("Privacy", "/privacy/"),
        ("Copyright © Weaviate, B.V.", "/"),
    ]
    site.link_children()
    # docs whose folder has no index page hang off the nearest ancestor page (as the docs sidebar links them)
    orphans: dict[str, list[str]] = {}
    for path in site.pages:
        if not path.startswith("/developers/"):
            continue
        parent = path.rstrip("/").rsplit("/", 1)[0] + "/"
        if parent in site.pages:
            continue
        anc = parent
        while anc != "/" and anc not in site.pages:
            anc = anc.rstrip("/").rsplit("/", 1)[0] + "/"
        orphans.setdefault(anc, []).append(path)
    for anc, kids in orphans.items():
        page = site.pages[anc]
        items = "".join(f'<li><a href="{esc(k)}">{esc(site.pages[k].title)}</a></li>' for k in sorted(kids))
        page.body_html += f'\n<nav class="section-pages"><ul>{items}</ul></nav>'
    return site


def yaml_load(text: str) -> dict:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}
