"""Mastodon — joinmastodon.org, the website of the non-profit behind Mastodon (Mastodon gGmbH, Berlin / Mastodon Inc).

The site is a Next.js app: pages are TSX, the English copy sits in the TSX (`defaultMessage`) and in
`locales/en.json`, and lists (team, board, sponsors, press, apps, roadmap) in `data/*.ts`. There is no Node build
here, so this module carries a small interpreter for the subset of TypeScript + JSX the site uses: it evaluates
each page component the way server-side rendering would (English locale), expanding the site's own components
and reading the data modules, and turns the resulting element tree into plain HTML. Only text that is in the
repository is output. Things that the live site loads in the browser from its API (open job positions, the
server directory, live statistics) are not in the repository and are left out.
"""

from __future__ import annotations

import functools
import html
import json
import math
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, split_front_matter

SOURCE = Source(
    host="joinmastodon.org",
    repo="mastodon/joinmastodon",
    commit="547a7914060177d6954c041520d3b0027155dcbe",
    kind="non-profit (open-source social network), Next.js TSX + react-intl",
    notes="English locale; job openings, server directory and statistics come from api.joinmastodon.org at runtime",
)


# --------------------------------------------------------------------------------------------------------------
# Values


class Html(str):
    """Markup that is already rendered (never escaped again)."""


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEF = _Undefined()


class JSError(Exception):
    pass


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


@dataclass
class JSFunc:
    params: list
    body: Any
    is_expr: bool
    scope: Scope
    name: str = ""
    interp: Interp | None = None

    def __call__(self, *args: Any) -> Any:
        assert self.interp is not None
        return self.interp.call_js(self, list(args))


@dataclass
class PyFunc:
    fn: Any
    name: str = ""

    def __call__(self, *args: Any) -> Any:
        return self.fn(*args)


@dataclass
class Element:
    tag: Any  # str (intrinsic), callable (component), None (fragment)
    props: dict
    children: list


PASSTHROUGH = PyFunc(lambda props: props.get("children"), "Passthrough")
# a component from a package we do not have (e.g. headless UI tabs): keep its children, as a block
UNKNOWN_COMPONENT = PyFunc(lambda props: Element("div", {}, [props.get("children")]), "Unknown")
NOTHING = PyFunc(lambda props: None, "Nothing")


class Scope:
    def __init__(self, parent: Scope | None = None, vars: dict | None = None) -> None:
        self.parent = parent
        self.vars: dict = vars or {}

    def lookup(self, name: str) -> Any:
        s: Scope | None = self
        while s is not None:
            if name in s.vars:
                v = s.vars[name]
                if isinstance(v, _Lazy):
                    v = s.vars[name] = v.force()
                return v
            s = s.parent
        return UNDEF

    def assign(self, name: str, value: Any) -> None:
        s: Scope | None = self
        while s is not None:
            if name in s.vars:
                s.vars[name] = value
                return
            s = s.parent
        self.vars[name] = value


LAZY_ERRORS: list = []


class _Lazy:
    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.busy = False

    def force(self) -> Any:
        if hasattr(self, "value"):
            return self.value
        if self.busy:
            return UNDEF
        self.busy = True
        try:
            self.value = self.fn()
        except Exception as e:
            LAZY_ERRORS.append(f"{type(e).__name__}: {e}"[:200])
            self.value = UNDEF
        return self.value


def truthy(v: Any) -> bool:
    if v is None or v is UNDEF or v is False:
        return False
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return v != 0 and not (isinstance(v, float) and math.isnan(v))
    if isinstance(v, str):
        return v != ""
    return True


def to_str(v: Any) -> str:
    if v is None:
        return "null"
    if v is UNDEF:
        return "undefined"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, list):
        return ",".join("" if x is None or x is UNDEF else to_str(x) for x in v)
    if isinstance(v, dict):
        return "[object Object]"
    if isinstance(v, (JSFunc, PyFunc)):
        return "function"
    return str(v)


def to_num(v: Any) -> float:
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, (int, float)):
        return float(v)
    if v is None:
        return 0.0
    if isinstance(v, str):
        try:
            return float(v.strip() or 0)
        except ValueError:
            return float("nan")
    return float("nan")


# --------------------------------------------------------------------------------------------------------------
# Parser: a subset of TypeScript + JSX, enough for this site's pages, components and data modules


class ParseError(Exception):
    pass


_ID_START = re.compile(r"[A-Za-z_$]")
_ID = re.compile(r"[A-Za-z_$][\w$]*")
_NUM = re.compile(r"0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_JSX_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_ATTR_NAME = re.compile(r"[A-Za-z_$][\w$:.-]*")

_BINARY = {
    "??": 1,
    "||": 2,
    "&&": 3,
    "|": 4,
    "^": 5,
    "&": 6,
    "==": 7,
    "!=": 7,
    "===": 7,
    "!==": 7,
    "<": 8,
    ">": 8,
    "<=": 8,
    ">=": 8,
    "instanceof": 8,
    "in": 8,
    "<<": 9,
    ">>": 9,
    ">>>": 9,
    "+": 10,
    "-": 10,
    "*": 11,
    "/": 11,
    "%": 11,
    "**": 12,
}
_BIN_OPS = sorted((op for op in _BINARY if not op.isalpha()), key=len, reverse=True)
_ASSIGN_OPS = ["??=", "||=", "&&=", "+=", "-=", "*=", "/=", "="]
_KEYWORDS = {
    "true",
    "false",
    "null",
    "undefined",
    "this",
    "function",
    "new",
    "typeof",
    "void",
    "await",
    "delete",
    "async",
    "class",
}


class Parser:
    def __init__(self, src: str) -> None:
        self.s = src
        self.i = 0
        self.n = len(src)

    # -- low level
    def err(self, msg: str) -> ParseError:
        line = self.s.count("\n", 0, self.i) + 1
        return ParseError(f"{msg} at line {line}: {self.s[self.i : self.i + 40]!r}")

    def ws(self) -> None:
        s, n = self.s, self.n
        while self.i < n:
            c = s[self.i]
            if c in " \t\r\n\ufeff":
                self.i += 1
            elif s.startswith("//", self.i):
                j = s.find("\n", self.i)
                self.i = n if j < 0 else j + 1
            elif s.startswith("/*", self.i):
                j = s.find("*/", self.i + 2)
                self.i = n if j < 0 else j + 2
            else:
                break

    def peek(self, text: str) -> bool:
        self.ws()
        return self.s.startswith(text, self.i)

    def peek_word(self, word: str) -> bool:
        self.ws()
        if not self.s.startswith(word, self.i):
            return False
        j = self.i + len(word)
        return j >= self.n or not (self.s[j].isalnum() or self.s[j] in "_$")

    def eat(self, text: str) -> bool:
        if self.peek(text):
            self.i += len(text)
            return True
        return False

    def eat_word(self, word: str) -> bool:
        if self.peek_word(word):
            self.i += len(word)
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.eat(text):
            raise self.err(f"expected {text!r}")

    def ident(self) -> str:
        self.ws()
        m = _ID.match(self.s, self.i)
        if not m:
            raise self.err("expected identifier")
        self.i = m.end()
        return m.group(0)

    def at_eol_before(self) -> bool:
        """Whether a line break separates the current position from the next token."""
        j = self.i
        while j < self.n and self.s[j] in " \t":
            j += 1
        return j >= self.n or self.s[j] in "\r\n"

    def skip_string_raw(self, i: int) -> int:
        """Index just past the string/template literal starting at i (never raises)."""
        s = self.s
        q = s[i]
        i += 1
        depth = 0
        while i < self.n:
            c = s[i]
            if c == "\\":
                i += 2
                continue
            if q == "`":
                if s.startswith("${", i):
                    depth += 1
                    i += 2
                    continue
                if c == "}" and depth:
                    depth -= 1
                elif c == "`" and not depth:
                    return i + 1
            elif c == q:
                return i + 1
            elif c == "\n":
                return i + 1
            i += 1
        return i

    # -- types (skipped)
    def skip_type(self, stops: str = ",)=;}]>") -> None:
        depth = 0
        s = self.s
        self.ws()
        start = self.i
        while self.i < self.n:
            c = s[self.i]
            if c in "\"'`":
                self.i = self.skip_string_raw(self.i)
                continue
            if s.startswith("=>", self.i):
                self.i += 2
                continue
            if depth == 0 and c in stops:
                break
            if c in "([{<":
                depth += 1
            elif c in ")]}>":
                if depth == 0:
                    self.i += 1
                    continue
                depth -= 1
            elif depth == 0 and c == "\n":
                # a type ends at a line break unless the next line continues it
                j = self.i + 1
                while j < self.n and s[j] in " \t\r\n":
                    j += 1
                if j < self.n and s[j] not in "|&.<>[{(" and not s.startswith("=>", j):
                    break
            self.i += 1
        if self.i == start:
            pass

    # -- literals
    def string_literal(self) -> Any:
        q = self.s[self.i]
        if q == "`":
            return self.template()
        self.i += 1
        out = []
        s = self.s
        while self.i < self.n and s[self.i] != q:
            c = s[self.i]
            if c == "\\":
                self.i += 1
                out.append(self.escape())
                continue
            out.append(c)
            self.i += 1
        self.i += 1
        return ("str", "".join(out))

    def escape(self) -> str:
        c = self.s[self.i]
        self.i += 1
        simple = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
        if c in simple:
            return simple[c]
        if c == "u":
            if self.s[self.i] == "{":
                j = self.s.index("}", self.i)
                code = int(self.s[self.i + 1 : j], 16)
                self.i = j + 1
                return chr(code)
            code = int(self.s[self.i : self.i + 4], 16)
            self.i += 4
            return chr(code)
        if c == "x":
            code = int(self.s[self.i : self.i + 2], 16)
            self.i += 2
            return chr(code)
        if c == "\n":
            return ""
        return c

    def template(self) -> Any:
        self.i += 1
        parts: list = []
        buf: list[str] = []
        s = self.s
        while self.i < self.n and s[self.i] != "`":
            c = s[self.i]
            if c == "\\":
                self.i += 1
                buf.append(self.escape())
            elif s.startswith("${", self.i):
                self.i += 2
                parts.append("".join(buf))
                buf = []
                parts.append(self.expression())
                self.expect("}")
            else:
                buf.append(c)
                self.i += 1
        self.i += 1
        parts.append("".join(buf))
        return ("tpl", parts)

    # -- expressions
    def expression(self) -> Any:
        """An assignment expression (commas are not sequence operators here)."""
        node = self.assignment()
        return node

    def assignment(self) -> Any:
        self.ws()
        arrow = self.try_arrow()
        if arrow is not None:
            return arrow
        left = self.conditional()
        self.ws()
        for op in _ASSIGN_OPS:
            if (
                self.s.startswith(op, self.i)
                and not self.s.startswith("==", self.i)
                and not (op == "=" and self.s.startswith("=>", self.i))
            ):
                self.i += len(op)
                right = self.assignment()
                return ("assign", op, left, right)
        return left

    def try_arrow(self) -> Any:
        start = self.i
        is_async = False
        if self.peek_word("async"):
            save = self.i
            self.i += 5
            self.ws()
            if self.s.startswith("(", self.i) or _ID_START.match(self.s[self.i] if self.i < self.n else ""):
                is_async = True
            else:
                self.i = save
        self.ws()
        if self.i < self.n and self.s[self.i] == "<" and re.match(r"<[A-Z]\w*\s*(,|extends)", self.s[self.i :]):
            # generic arrow function <T,>(...) =>
            j = self.find_matching(self.i, "<", ">")
            self.i = j + 1
            self.ws()
        if self.i < self.n and self.s[self.i] == "(":
            j = self.find_matching(self.i, "(", ")")
            if j < 0:
                self.i = start
                return None
            k = j + 1
            while k < self.n and self.s[k] in " \t\r\n":
                k += 1
            is_arrow = self.s.startswith("=>", k)
            if not is_arrow and self.s.startswith(":", k):
                # return type annotation
                save = self.i
                self.i = k + 1
                self.skip_type(stops="=")
                is_arrow = self.s.startswith("=>", self.i)
                if is_arrow:
                    self.i = save
                    params = self.params()
                    self.ws()
                    self.expect(":")
                    self.skip_type(stops="=")
                    return self.arrow_body(params)
                self.i = save
            if not is_arrow:
                self.i = start
                return None
            params = self.params()
            return self.arrow_body(params)
        m = _ID.match(self.s, self.i)
        if m and m.group(0) not in _KEYWORDS:
            k = m.end()
            while k < self.n and self.s[k] in " \t":
                k += 1
            if self.s.startswith("=>", k):
                self.i = m.end()
                return self.arrow_body([("pid", m.group(0), None)])
        self.i = start
        del is_async
        return None

    def arrow_body(self, params: list) -> Any:
        self.expect("=>")
        self.ws()
        if self.s.startswith("{", self.i):
            body = self.block()
            return ("fn", params, body, False, "")
        return ("fn", params, self.assignment(), True, "")

    def find_matching(self, i: int, open_c: str, close_c: str) -> int:
        """Index of the bracket closing the one at i (skipping strings, comments and nested brackets)."""
        depth = 0
        s = self.s
        save = self.i
        try:
            while i < self.n:
                c = s[i]
                if c in "\"'`":
                    i = self.skip_string_raw(i)
                    continue
                if s.startswith("//", i):
                    j = s.find("\n", i)
                    i = self.n if j < 0 else j
                    continue
                if s.startswith("/*", i):
                    j = s.find("*/", i + 2)
                    i = self.n if j < 0 else j + 2
                    continue
                if c == open_c:
                    depth += 1
                elif c == close_c:
                    depth -= 1
                    if depth == 0:
                        return i
                i += 1
            return -1
        finally:
            self.i = save

    def params(self) -> list:
        self.expect("(")
        out = []
        while not self.eat(")"):
            if self.eat("..."):
                pat = self.pattern()
                out.append(("prest", pat))
            else:
                out.append(self.pattern(param=True))
            self.eat(",")
        return out

    def pattern(self, param: bool = False) -> Any:
        self.ws()
        if self.eat("{"):
            entries = []
            rest = None
            while not self.eat("}"):
                if self.eat("..."):
                    rest = self.ident()
                    self.eat(",")
                    continue
                self.ws()
                if self.s[self.i] in "\"'":
                    key = self.string_literal()[1]
                elif self.eat("["):
                    key = self.expression()
                    self.expect("]")
                else:
                    key = self.ident()
                if self.eat(":"):
                    sub = self.pattern()
                else:
                    sub = ("pid", key, None)
                default = None
                if self.peek("=") and not self.peek("=="):
                    self.expect("=")
                    default = self.assignment()
                if sub[0] == "pid" and default is not None:
                    sub = ("pid", sub[1], default)
                entries.append((key, sub))
                self.eat(",")
            pat: Any = ("pobj", entries, rest)
        elif self.eat("["):
            items = []
            rest = None
            while not self.eat("]"):
                if self.peek(","):
                    self.expect(",")
                    items.append(None)
                    continue
                if self.eat("..."):
                    rest = self.ident()
                else:
                    items.append(self.pattern())
                self.eat(",")
            pat = ("parr", items, rest)
        else:
            pat = ("pid", self.ident(), None)
        self.eat("?")
        if self.peek(":") and not self.peek("::"):
            self.expect(":")
            self.skip_type(stops=",)=;")
        if self.peek("=") and not self.peek("==") and not self.peek("=>"):
            self.expect("=")
            default = self.assignment()
            pat = ("pdef", pat, default)
        return pat

    def conditional(self) -> Any:
        cond = self.binary(0)
        self.ws()
        if (
            self.s.startswith("?", self.i)
            and not self.s.startswith("??", self.i)
            and not self.s.startswith("?.", self.i)
        ):
            self.i += 1
            a = self.assignment()
            self.expect(":")
            b = self.assignment()
            return ("cond", cond, a, b)
        return cond

    def binary(self, min_prec: int) -> Any:
        left = self.unary()
        while True:
            self.ws()
            # TypeScript postfix type operators
            if self.peek_word("as") or self.peek_word("satisfies"):
                self.i += 2 if self.s.startswith("as", self.i) else 9
                self.skip_type(stops=",);]}=:?")
                continue
            op = None
            for cand in _BIN_OPS:
                if self.s.startswith(cand, self.i):
                    # not an assignment operator / arrow
                    nxt = self.s[self.i + len(cand) : self.i + len(cand) + 1]
                    if cand in ("<", ">", "<=", ">=", "==", "!=", "===", "!==") or nxt != "=":
                        op = cand
                    break
            if op is None:
                for w in ("instanceof", "in"):
                    if self.peek_word(w):
                        op = w
                        break
            if op is None:
                return left
            prec = _BINARY[op]
            if prec <= min_prec and not (op == "**" and prec == min_prec):
                return left
            if op in ("|", "&") and self.s.startswith(op * 2, self.i):
                return left
            self.i += len(op)
            right = self.binary(prec)
            left = ("bin", op, left, right)

    def unary(self) -> Any:
        self.ws()
        for op in ("!", "-", "+", "~"):
            if (
                self.s.startswith(op, self.i)
                and not (op in "+-" and self.s.startswith(op * 2, self.i))
                and not (self.s.startswith("!=", self.i))
            ):
                self.i += 1
                return ("un", op, self.unary())
        for w in ("typeof", "void", "await", "delete"):
            if self.eat_word(w):
                return ("un", w, self.unary())
        if self.eat("++") or self.eat("--"):
            return self.unary()
        return self.postfix(self.primary())

    def postfix(self, node: Any) -> Any:
        while True:
            self.ws()
            s = self.s
            if s.startswith("?.", self.i) and not s[self.i + 2 : self.i + 3].isdigit():
                self.i += 2
                self.ws()
                if s.startswith("(", self.i):
                    node = ("call", node, self.args(), True)
                elif s.startswith("[", self.i):
                    self.i += 1
                    prop = self.expression()
                    self.expect("]")
                    node = ("mem", node, prop, True, True)
                else:
                    node = ("mem", node, ("str", self.ident()), True, False)
            elif s.startswith(".", self.i) and not s.startswith("...", self.i):
                self.i += 1
                node = ("mem", node, ("str", self.ident()), False, False)
            elif s.startswith("[", self.i):
                self.i += 1
                prop = self.expression()
                self.expect("]")
                node = ("mem", node, prop, False, True)
            elif s.startswith("(", self.i):
                node = ("call", node, self.args(), False)
            elif s.startswith("!", self.i) and not s.startswith("!=", self.i):
                self.i += 1  # TS non-null assertion
            elif s.startswith("<", self.i) and node[0] in ("id", "mem") and self.generic_call_ahead():
                j = self.find_matching(self.i, "<", ">")
                self.i = j + 1
            elif s.startswith("`", self.i):
                tpl = self.template()
                node = ("call", node, [tpl], False)
            elif (s.startswith("++", self.i) or s.startswith("--", self.i)) and not self.at_eol_before():
                self.i += 2
            else:
                return node

    def generic_call_ahead(self) -> bool:
        m = re.match(r"<[\w\s\[\],.|<>{}:?\"']*>\s*\(", self.s[self.i : self.i + 200])
        return bool(m)

    def args(self) -> list:
        self.expect("(")
        out = []
        while not self.eat(")"):
            if self.eat("..."):
                out.append(("spread", self.expression()))
            else:
                out.append(self.expression())
            self.eat(",")
        return out

    def primary(self) -> Any:
        self.ws()
        if self.i >= self.n:
            raise self.err("unexpected end")
        c = self.s[self.i]
        if c in "\"'`":
            return self.string_literal()
        if c.isdigit() or (c == "." and self.s[self.i + 1 : self.i + 2].isdigit()):
            m = _NUM.match(self.s, self.i)
            assert m
            self.i = m.end()
            text = m.group(0).replace("_", "")
            return ("num", int(text, 16) if text.lower().startswith("0x") else float(text))
        if c == "(":
            self.i += 1
            node = self.expression()
            while self.eat(","):
                node = self.expression()
            self.expect(")")
            return ("paren", node)
        if c == "[":
            self.i += 1
            items = []
            while not self.eat("]"):
                if self.peek(","):
                    self.expect(",")
                    items.append(("id", "undefined"))
                    continue
                if self.eat("..."):
                    items.append(("spread", self.expression()))
                else:
                    items.append(self.expression())
                self.eat(",")
            return ("arr", items)
        if c == "{":
            return self.object_literal()
        if c == "<":
            return self.jsx()
        if c == "/":
            # regular expression literal
            j = self.i + 1
            in_class = False
            while j < self.n:
                ch = self.s[j]
                if ch == "\\":
                    j += 2
                    continue
                if ch == "[":
                    in_class = True
                elif ch == "]":
                    in_class = False
                elif ch == "/" and not in_class:
                    break
                j += 1
            body = self.s[self.i + 1 : j]
            j += 1
            m = re.match(r"[a-z]*", self.s[j:])
            flags = m.group(0) if m else ""
            self.i = j + len(flags)
            return ("regex", body, flags)
        if self.eat_word("function"):
            self.eat("*")
            name = ""
            self.ws()
            if _ID_START.match(self.s[self.i]):
                name = self.ident()
            if self.peek("<"):
                j = self.find_matching(self.i, "<", ">")
                self.i = j + 1
            params = self.params()
            if self.eat(":"):
                self.skip_type(stops="{")
            body = self.block()
            return ("fn", params, body, False, name)
        if self.eat_word("new"):
            callee = self.primary()
            while self.peek(".") and not self.peek("..."):
                self.expect(".")
                callee = ("mem", callee, ("str", self.ident()), False, False)
            if self.peek("<") and self.generic_call_ahead():
                j = self.find_matching(self.i, "<", ">")
                self.i = j + 1
            args = self.args() if self.peek("(") else []
            return ("new", callee, args)
        if self.peek_word("async"):
            self.i += 5
            return self.primary()
        if self.eat_word("class"):
            raise self.err("classes are not supported")
        name = self.ident()
        return ("id", name)

    def object_literal(self) -> Any:
        self.expect("{")
        props = []
        while not self.eat("}"):
            if self.eat("..."):
                props.append(("spread", self.expression()))
                self.eat(",")
                continue
            self.ws()
            c = self.s[self.i]
            if c in "\"'":
                key: Any = ("str", self.string_literal()[1])
            elif c == "[":
                self.i += 1
                key = self.expression()
                self.expect("]")
            elif c.isdigit():
                m = _NUM.match(self.s, self.i)
                assert m
                self.i = m.end()
                key = ("str", m.group(0))
            else:
                word = self.ident()
                if (
                    word in ("get", "set", "async")
                    and not self.peek(":")
                    and not self.peek("(")
                    and not self.peek(",")
                    and not self.peek("}")
                ):
                    word = self.ident()
                key = ("str", word)
            self.eat("?")
            if self.eat(":"):
                props.append(("kv", key, self.expression()))
            elif self.peek("("):
                params = self.params()
                if self.eat(":"):
                    self.skip_type(stops="{")
                body = self.block()
                props.append(("kv", key, ("fn", params, body, False, key[1])))
            else:
                props.append(("kv", key, ("id", key[1])))
            self.eat(",")
        return ("obj", props)

    # -- JSX
    def jsx(self) -> Any:
        self.expect("<")
        self.ws()
        if self.s.startswith(">", self.i):
            self.i += 1
            children = self.jsx_children("")
            return ("jsx", None, [], children)
        m = _JSX_NAME.match(self.s, self.i)
        if not m:
            raise self.err("bad JSX tag")
        name = m.group(0)
        self.i = m.end()
        attrs: list = []
        while True:
            self.ws()
            if self.s.startswith("/>", self.i):
                self.i += 2
                return ("jsx", name, attrs, [])
            if self.s.startswith(">", self.i):
                self.i += 1
                break
            if self.s.startswith("{", self.i):
                self.i += 1
                self.expect("...")
                attrs.append(("spread", self.expression()))
                self.expect("}")
                continue
            am = _ATTR_NAME.match(self.s, self.i)
            if not am:
                raise self.err("bad JSX attribute")
            aname = am.group(0)
            self.i = am.end()
            self.ws()
            if self.s.startswith("=", self.i):
                self.i += 1
                self.ws()
                c = self.s[self.i]
                if c in "\"'":
                    j = self.s.index(c, self.i + 1)
                    value: Any = ("str", html.unescape(self.s[self.i + 1 : j]))
                    self.i = j + 1
                elif c == "{":
                    self.i += 1
                    value = self.expression()
                    self.expect("}")
                elif c == "<":
                    value = self.jsx()
                else:
                    raise self.err("bad JSX attribute value")
            else:
                value = ("bool", True)
            attrs.append((aname, value))
        children = self.jsx_children(name)
        return ("jsx", name, attrs, children)

    def jsx_children(self, name: str) -> list:
        children: list = []
        s = self.s
        while True:
            if self.i >= self.n:
                raise self.err(f"unclosed <{name}>")
            if s.startswith("</", self.i):
                self.i += 2
                self.ws()
                m = _JSX_NAME.match(s, self.i)
                closing = m.group(0) if m else ""
                if closing != (name or ""):
                    raise self.err(f"mismatched </{closing}> for <{name}>")
                self.i = m.end() if m else self.i
                self.expect(">")
                return children
            c = s[self.i]
            if c == "<":
                children.append(self.jsx())
            elif c == "{":
                self.i += 1
                self.ws()
                if s.startswith("}", self.i):
                    self.i += 1
                    continue
                if s.startswith("...", self.i):
                    self.i += 3
                node = self.expression()
                self.expect("}")
                children.append(("expr", node))
            else:
                j = self.i
                while j < self.n and s[j] not in "<{":
                    j += 1
                text = jsx_text(s[self.i : j])
                if text:
                    children.append(("text", text))
                self.i = j

    # -- statements
    def block(self) -> list:
        self.expect("{")
        out = []
        while not self.eat("}"):
            st = self.statement()
            if st is not None:
                out.append(st)
        return out

    def statement(self) -> Any:
        self.ws()
        s = self.s
        if self.eat(";"):
            return None
        if s.startswith("{", self.i):
            return ("block", self.block())
        for kw in ("const", "let", "var"):
            if self.eat_word(kw):
                decls = []
                while True:
                    pat = self.pattern()
                    init = None
                    if pat[0] == "pdef":
                        pat, init = pat[1], pat[2]
                    elif self.eat("="):
                        init = self.expression()
                    decls.append((pat, init))
                    if not self.eat(","):
                        break
                self.eat(";")
                return ("decl", decls)
        if self.eat_word("return"):
            if self.at_eol_before() or self.peek(";") or self.peek("}"):
                self.eat(";")
                return ("return", None)
            value = self.expression()
            self.eat(";")
            return ("return", value)
        if self.eat_word("if"):
            self.expect("(")
            cond = self.expression()
            self.expect(")")
            then = self.statement()
            other = None
            if self.eat_word("else"):
                other = self.statement()
            return ("if", cond, then, other)
        if self.eat_word("switch"):
            self.expect("(")
            disc = self.expression()
            self.expect(")")
            self.expect("{")
            cases: list = []
            while not self.eat("}"):
                if self.eat_word("case"):
                    test = self.expression()
                elif self.eat_word("default"):
                    test = None
                else:
                    raise self.err("bad switch")
                self.expect(":")
                body = []
                while not (self.peek_word("case") or self.peek_word("default") or self.peek("}")):
                    st = self.statement()
                    if st is not None:
                        body.append(st)
                cases.append((test, body))
            return ("switch", disc, cases)
        if self.eat_word("break") or self.eat_word("continue"):
            self.eat(";")
            return ("break",)
        if self.eat_word("throw"):
            self.expression()
            self.eat(";")
            return ("throw",)
        if self.peek_word("function") or self.peek_word("async"):
            save = self.i
            self.eat_word("async")
            if self.eat_word("function"):
                self.eat("*")
                name = self.ident()
                if self.peek("<"):
                    j = self.find_matching(self.i, "<", ">")
                    self.i = j + 1
                params = self.params()
                if self.eat(":"):
                    self.skip_type(stops="{")
                body = self.block()
                return ("decl", [(("pid", name, None), ("fn", params, body, False, name))])
            self.i = save
        for kw in ("for", "while", "try", "do"):
            if self.peek_word(kw):
                self.skip_statement()
                return None
        if self.peek_word("type") or self.peek_word("interface"):
            self.skip_statement()
            return None
        node = self.expression()
        self.eat(";")
        return ("expr", node)

    def skip_statement(self) -> None:
        """Skip a statement we do not interpret (loops, try, type declarations)."""
        depth = 0
        s = self.s
        while self.i < self.n:
            c = s[self.i]
            if c in "\"'`":
                self.i = self.skip_string_raw(self.i)
                continue
            if s.startswith("//", self.i) or s.startswith("/*", self.i):
                self.ws()
                continue
            if c in "({[":
                depth += 1
            elif c in ")}]":
                depth -= 1
                if depth == 0 and c == "}":
                    self.i += 1
                    j = self.i
                    while j < self.n and s[j] in " \t\r\n":
                        j += 1
                    if (
                        s.startswith("else", j)
                        or s.startswith("catch", j)
                        or s.startswith("finally", j)
                        or s.startswith("while", j)
                    ):
                        continue
                    return
                if depth < 0:
                    return
            elif c in ";\n" and depth == 0 and self.i > 0:
                rest = s[self.i + 1 :].lstrip()
                if c == ";" or not rest.startswith(("|", "&", "=", ".", "{")):
                    self.i += 1
                    return
            self.i += 1


def jsx_text(raw: str) -> str:
    """JSX whitespace rules: trim lines, drop blank ones, join with spaces; decode entities."""
    lines = raw.split("\n")
    if len(lines) == 1:
        text = raw
    else:
        parts = []
        for k, line in enumerate(lines):
            if k > 0:
                line = line.lstrip(" \t")
            if k < len(lines) - 1:
                line = line.rstrip(" \t\r")
            if line:
                parts.append(line)
        text = " ".join(parts)
    return html.unescape(text)


# --------------------------------------------------------------------------------------------------------------
# Modules


def parse_module(src: str, errors: list | None = None) -> dict:
    """Top-level bindings of a TS/JS module: {"imports": [...], "decls": {name: node}, "exports": {...}}."""
    p = Parser(src)
    imports: list = []
    decls: dict = {}
    exports: dict = {}
    default: Any = None
    while True:
        p.ws()
        if p.i >= p.n:
            break
        start = p.i
        try:
            if p.eat_word("import"):
                imports.extend(_parse_import(p))
                continue
            exported = p.eat_word("export")
            if exported and p.eat_word("default"):
                p.ws()
                if p.peek_word("function") or p.peek_word("async"):
                    st = p.statement()
                    if st and st[0] == "decl":
                        ((pat, init),) = st[1]
                        decls[pat[1]] = init
                        default = ("id", pat[1])
                        continue
                default = p.expression()
                p.eat(";")
                continue
            if exported and p.eat("{"):
                while not p.eat("}"):
                    name = p.ident()
                    alias = name
                    if p.eat_word("as"):
                        alias = p.ident()
                    exports[alias] = ("id", name)
                    p.eat(",")
                if p.eat_word("from"):
                    p.ws()
                    p.string_literal()
                p.eat(";")
                continue
            if exported and p.eat("*"):
                p.skip_statement()
                continue
            st = p.statement()
            if st is None:
                continue
            if st[0] == "decl":
                for pat, init in st[1]:
                    if pat[0] == "pid":
                        decls[pat[1]] = init
                        if exported:
                            exports[pat[1]] = ("id", pat[1])
                    else:
                        decls.setdefault("__destructure__", []).append((pat, init, exported))
        except (ParseError, IndexError, ValueError) as e:
            if errors is not None:
                errors.append(str(e)[:160])
            # recover at the next line that starts in column 0
            p.i = start + 1
            m = re.compile(r"\n(?=[A-Za-z])").search(src, p.i)
            p.i = m.end() if m else p.n
    return {"imports": imports, "decls": decls, "exports": exports, "default": default}


def _parse_import(p: Parser) -> list:
    out = []
    p.ws()
    if p.eat_word("type"):
        m = re.compile(r"\bfrom\s*([\"'])[^\"']*\1;?").search(p.s, p.i)
        p.i = m.end() if m else p.n
        return []
    if p.s[p.i] in "\"'":
        p.string_literal()
        p.eat(";")
        return []
    names: list = []
    if p.eat("*"):
        p.eat_word("as")
        names.append(("*", p.ident()))
    else:
        if not p.peek("{"):
            names.append(("default", p.ident()))
            p.eat(",")
        if p.eat("{"):
            while not p.eat("}"):
                p.eat_word("type")
                name = p.ident()
                alias = name
                if p.eat_word("as"):
                    alias = p.ident()
                names.append((name, alias))
                p.eat(",")
    if not p.eat_word("from"):
        raise p.err("expected from")
    p.ws()
    source = p.string_literal()[1]
    p.eat(";")
    for imported, local in names:
        out.append((source, imported, local))
    return out


# --------------------------------------------------------------------------------------------------------------
# ICU messages (react-intl)


def parse_icu(msg: str) -> list:
    """Parts of an ICU message: str, ("arg", name, type, options), ("tag", name, parts)."""
    pos = 0

    def parse_until(stop_tag: str | None, in_plural: bool) -> list:
        nonlocal pos
        parts: list = []
        buf: list[str] = []
        while pos < len(msg):
            c = msg[pos]
            if c == "'":
                if msg.startswith("''", pos):
                    buf.append("'")
                    pos += 2
                    continue
                if pos + 1 < len(msg) and msg[pos + 1] in "{}<#":
                    j = msg.find("'", pos + 1)
                    j = len(msg) if j < 0 else j
                    buf.append(msg[pos + 1 : j])
                    pos = j + 1
                    continue
                buf.append(c)
                pos += 1
            elif c == "{":
                if buf:
                    parts.append("".join(buf))
                    buf = []
                pos += 1
                parts.append(parse_arg())
            elif c == "}":
                break
            elif c == "<" and re.match(r"</?[A-Za-z][\w-]*>", msg[pos:]):
                m = re.match(r"<(/?)([A-Za-z][\w-]*)>", msg[pos:])
                assert m
                if m.group(1):
                    if stop_tag == m.group(2):
                        pos += m.end()
                        break
                    buf.append(m.group(0))
                    pos += m.end()
                    continue
                if buf:
                    parts.append("".join(buf))
                    buf = []
                pos += m.end()
                inner = parse_until(m.group(2), in_plural)
                parts.append(("tag", m.group(2), inner))
            elif c == "#" and in_plural:
                if buf:
                    parts.append("".join(buf))
                    buf = []
                parts.append(("pound",))
                pos += 1
            else:
                buf.append(c)
                pos += 1
        if buf:
            parts.append("".join(buf))
        return parts

    def parse_arg() -> Any:
        nonlocal pos
        m = re.match(r"\s*([\w.]+)\s*(?:,\s*(\w+)\s*)?", msg[pos:])
        assert m
        name, typ = m.group(1), m.group(2)
        pos += m.end()
        options: dict = {}
        if msg.startswith("}", pos):
            pos += 1
            return ("arg", name, typ, options)
        if msg.startswith(",", pos):
            pos += 1
        if typ in ("plural", "select", "selectordinal"):
            while True:
                m2 = re.match(r"\s*(offset:\d+\s*)?(=?[\w-]+)\s*\{", msg[pos:])
                if not m2:
                    break
                pos += m2.end()
                options[m2.group(2)] = parse_until(None, typ != "select")
                pos += 1  # closing }
            m3 = re.match(r"\s*\}", msg[pos:])
            pos += m3.end() if m3 else 0
        else:
            j = msg.find("}", pos)
            pos = j + 1 if j >= 0 else len(msg)
        return ("arg", name, typ, options)

    return parse_until(None, False)


# --------------------------------------------------------------------------------------------------------------
# Interpreter


def _plural_category(n: float) -> str:
    return "one" if n == 1 else "other"


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def format_date(value: Any, props: dict) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", to_str(value))
    if not m:
        return ""
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    day = f"{d:02d}" if props.get("day") == "2-digit" else str(d)
    month = props.get("month")
    if month == "long":
        mname = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][mo - 1]
    else:
        mname = _MONTHS[mo - 1]
    return f"{mname} {day}, {y}"


class Interp:
    """Evaluates the site's modules and renders page components to HTML."""

    KEEP_TAGS = {
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
        "code",
        "pre",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "dl",
        "dt",
        "dd",
        "section",
        "div",
        "span",
        "address",
        "small",
        "sup",
        "sub",
        "nav",
        "article",
        "figure",
        "figcaption",
        "abbr",
        "cite",
        "q",
        "mark",
        "s",
        "del",
        "ins",
        "kbd",
        "caption",
        "aside",
        "label",
        "details",
        "summary",
        "main",
        "header",
        "footer",
    }
    VOID_TAGS = {"br", "hr"}
    DROP_TAGS = {
        "svg",
        "img",
        "script",
        "style",
        "input",
        "select",
        "textarea",
        "iframe",
        "video",
        "audio",
        "source",
        "picture",
        "meta",
        "link",
        "title",
        "canvas",
        "noscript",
        "path",
        "option",
    }

    def __init__(self, tree: GitTree, messages: dict) -> None:
        self.tree = tree
        self.messages = messages
        self.modules: dict[str, Scope] = {}
        self.module_exports: dict[str, dict] = {}
        self.files = set(tree.files())
        self.overrides: dict[str, dict] = {}
        self.local_overrides: dict[tuple[str, str], Any] = {}
        self.router: dict = {"locale": "en", "defaultLocale": "en", "query": {}, "asPath": "/", "pathname": "/"}
        self.head: dict = {}
        self.warnings: list[str] = []
        self.globals = Scope(None, self._globals())
        self.depth = 0

    # -- intl
    def message(self, desc: Any) -> str:
        if not isinstance(desc, dict):
            return to_str(desc) if isinstance(desc, str) else ""
        mid = desc.get("id")
        text = self.messages.get(mid) if isinstance(mid, str) else None
        if text is None:
            text = desc.get("defaultMessage")
        return text if isinstance(text, str) else ""

    def format_message(self, msg: str, values: Any) -> list:
        values = values if isinstance(values, dict) else {}
        return self._format_parts(parse_icu(msg), values, None)

    def _format_parts(self, parts: list, values: dict, number: Any) -> list:
        out: list = []
        for part in parts:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "pound":
                out.append(to_str(number))
            elif part[0] == "arg":
                _, name, typ, options = part
                v = values.get(name, UNDEF)
                if typ in ("plural", "selectordinal"):
                    n = to_num(v)
                    key = f"={to_str(v)}"
                    chosen = options.get(key) or options.get(_plural_category(n)) or options.get("other") or []
                    out.extend(self._format_parts(chosen, values, v))
                elif typ == "select":
                    chosen = options.get(to_str(v)) or options.get("other") or []
                    out.extend(self._format_parts(chosen, values, number))
                elif typ == "number" and isinstance(v, (int, float)):
                    out.append(f"{v:,.0f}" if float(v).is_integer() else f"{v:,}")
                elif v is UNDEF:
                    out.append("{" + name + "}")
                else:
                    out.append(v if not isinstance(v, (int, float)) or isinstance(v, bool) else to_str(v))
            elif part[0] == "tag":
                _, name, inner = part
                inner_parts = self._format_parts(inner, values, number)
                fn = values.get(name)
                if isinstance(fn, (JSFunc, PyFunc)):
                    out.append(self.call(fn, [inner_parts]))
                else:
                    out.extend(inner_parts)
        return out

    # -- builtins
    def _globals(self) -> dict:
        interp = self

        def obj_keys(o: Any = None, *a: Any) -> list:
            if isinstance(o, dict):
                return list(o.keys())
            if isinstance(o, list):
                return [str(i) for i in range(len(o))]
            return []

        def obj_values(o: Any = None, *a: Any) -> list:
            return list(o.values()) if isinstance(o, dict) else list(o) if isinstance(o, list) else []

        def obj_entries(o: Any = None, *a: Any) -> list:
            return [[k, v] for k, v in o.items()] if isinstance(o, dict) else []

        def obj_assign(target: Any = None, *srcs: Any) -> Any:
            if isinstance(target, dict):
                for s in srcs:
                    if isinstance(s, dict):
                        target.update(s)
            return target

        def array_ctor(*a: Any) -> list:
            if len(a) == 1 and isinstance(a[0], (int, float)) and not isinstance(a[0], bool):
                return [UNDEF] * int(a[0])
            return list(a)

        def url_ctor(u: Any = "", *a: Any) -> dict:
            m = re.match(r"^[a-z]+://([^/:?#]+)", to_str(u))
            return {"hostname": m.group(1) if m else "", "href": to_str(u)}

        g: dict = {
            "undefined": UNDEF,
            "NaN": float("nan"),
            "Infinity": float("inf"),
            "Object": {
                "keys": PyFunc(obj_keys),
                "values": PyFunc(obj_values),
                "entries": PyFunc(obj_entries),
                "assign": PyFunc(obj_assign),
                "fromEntries": PyFunc(lambda e=None, *a: {to_str(k): v for k, v in (e or [])}),
            },
            "Array": {
                "isArray": PyFunc(lambda x=None, *a: isinstance(x, list)),
                "from": PyFunc(lambda x=None, *a: list(x) if isinstance(x, (list, str)) else []),
                "__call__": PyFunc(array_ctor),
            },
            "Math": {
                "floor": PyFunc(lambda x=0, *a: math.floor(to_num(x))),
                "ceil": PyFunc(lambda x=0, *a: math.ceil(to_num(x))),
                "round": PyFunc(lambda x=0, *a: math.floor(to_num(x) + 0.5)),
                "min": PyFunc(lambda *a: min(map(to_num, a)) if a else float("inf")),
                "max": PyFunc(lambda *a: max(map(to_num, a)) if a else float("-inf")),
                "abs": PyFunc(lambda x=0, *a: abs(to_num(x))),
                "random": PyFunc(lambda *a: 0.0),
                "PI": math.pi,
            },
            "JSON": {
                "stringify": PyFunc(lambda x=None, *a: json.dumps(x, default=str)),
                "parse": PyFunc(lambda x="", *a: json.loads(x)),
            },
            "String": PyFunc(lambda x="", *a: to_str(x)),
            "Number": PyFunc(lambda x=0, *a: to_num(x)),
            "Boolean": PyFunc(lambda x=None, *a: truthy(x)),
            "parseInt": PyFunc(
                lambda x="", *a: (
                    float(int(re.match(r"\s*-?\d+", to_str(x)).group(0)))
                    if re.match(r"\s*-?\d+", to_str(x))
                    else float("nan")
                )
            ),
            "parseFloat": PyFunc(lambda x="", *a: to_num(x)),
            "URL": PyFunc(url_ctor),
            "Date": PyFunc(lambda x=None, *a: x),
            "console": {
                "log": PyFunc(lambda *a: UNDEF),
                "warn": PyFunc(lambda *a: UNDEF),
                "error": PyFunc(lambda *a: UNDEF),
            },
            "process": {"env": {"NODE_ENV": "production"}},
            "require": PyFunc(lambda *a: UNDEF),
            "window": UNDEF,
            "document": UNDEF,
            "Intl": {},
            "URLSearchParams": PyFunc(lambda *a: {"toString": PyFunc(lambda *b: "")}),
        }
        g["__interp__"] = interp
        return g

    def package_exports(self, source: str) -> dict:
        interp = self

        def formatted_message(props: dict) -> Any:
            msg = interp.message(props)
            parts = interp.format_message(msg, props.get("values"))
            tag = props.get("tagName")
            if isinstance(tag, str) and tag:
                return Element(tag, {}, parts)
            return parts

        def use_intl(*a: Any) -> dict:
            def fm(desc: Any = None, values: Any = None, *rest: Any) -> Any:
                parts = interp.format_message(interp.message(desc), values)
                if all(isinstance(p, str) for p in parts):
                    return "".join(parts)
                return parts

            return {
                "formatMessage": PyFunc(fm),
                "locale": "en",
                "formatDate": PyFunc(lambda v=None, o=None, *r: format_date(v, o if isinstance(o, dict) else {})),
                "formatNumber": PyFunc(lambda v=None, *r: f"{to_num(v):,.0f}"),
            }

        def formatted_date(props: dict) -> Any:
            return format_date(props.get("value"), props)

        def head(props: dict) -> Any:
            interp.collect_head(props.get("children"))
            return None

        def link(props: dict) -> Any:
            href = props.get("href")
            if isinstance(href, dict):
                href = href.get("pathname", "")
            return Element("a", {"href": to_str(href) if href is not UNDEF else ""}, [props.get("children")])

        def use_state(init: Any = UNDEF, *a: Any) -> list:
            if isinstance(init, (JSFunc, PyFunc)):
                init = interp.call(init, [])
            return [init, PyFunc(lambda *b: UNDEF)]

        def use_memo(fn: Any = None, *a: Any) -> Any:
            return interp.call(fn, []) if isinstance(fn, (JSFunc, PyFunc)) else UNDEF

        def markdown(props: dict) -> Any:
            return Html(markdown_to_html(to_str(props.get("children"))))

        def sort_by(coll: Any = None, key: Any = None, *a: Any) -> list:
            items = list(coll) if isinstance(coll, list) else []
            if isinstance(key, str):

                def k(x: Any) -> Any:
                    v = x.get(key) if isinstance(x, dict) else None
                    return (0, v) if isinstance(v, (int, float, str)) and not isinstance(v, bool) else (1, 0)

                try:
                    return sorted(items, key=k)
                except TypeError:
                    return items
            return items

        def group_by(coll: Any = None, key: Any = None, *a: Any) -> dict:
            out: dict = {}
            for x in coll if isinstance(coll, list) else []:
                out.setdefault(to_str(x.get(key) if isinstance(x, dict) else UNDEF), []).append(x)
            return out

        def image(props: dict) -> Any:
            alt = props.get("alt")
            return Html(f'<img alt="{esc(alt)}">') if isinstance(alt, str) and alt.strip() else None

        def class_names(*a: Any) -> str:
            return ""

        table: dict[str, dict] = {
            "react-intl": {
                "FormattedMessage": PyFunc(formatted_message, "FormattedMessage"),
                "FormattedDate": PyFunc(formatted_date, "FormattedDate"),
                "FormattedNumber": PyFunc(lambda p: f"{to_num(p.get('value')):,.0f}"),
                "useIntl": PyFunc(use_intl),
                "defineMessages": PyFunc(lambda x=None, *a: x),
                "defineMessage": PyFunc(lambda x=None, *a: x),
            },
            "next/head": {"default": PyFunc(head, "Head")},
            "next/link": {"default": PyFunc(link, "Link")},
            "next/image": {"default": PyFunc(image, "Image")},
            "next/legacy/image": {"default": PyFunc(image, "Image")},
            "next/router": {"useRouter": PyFunc(lambda *a: interp.router)},
            "next/navigation": {"useRouter": PyFunc(lambda *a: interp.router)},
            "react": {
                "default": {"Fragment": PASSTHROUGH},
                "Fragment": PASSTHROUGH,
                "useState": PyFunc(use_state),
                "useEffect": PyFunc(lambda *a: UNDEF),
                "useMemo": PyFunc(use_memo),
                "useCallback": PyFunc(lambda fn=None, *a: fn),
                "useRef": PyFunc(lambda x=None, *a: {"current": x}),
                "useContext": PyFunc(lambda *a: UNDEF),
                "useId": PyFunc(lambda *a: "id"),
                "useLayoutEffect": PyFunc(lambda *a: UNDEF),
                "createContext": PyFunc(lambda *a: {"Provider": PASSTHROUGH}),
            },
            "react-markdown": {"default": PyFunc(markdown, "Markdown")},
            "lodash": {"sortBy": PyFunc(sort_by), "groupBy": PyFunc(group_by), "orderBy": PyFunc(sort_by)},
            "classnames": {"default": PyFunc(class_names)},
            "@tanstack/react-query": {"useQuery": PyFunc(lambda *a: {"isLoading": True}), "keepPreviousData": UNDEF},
            "usehooks-ts": {"useMediaQuery": PyFunc(lambda *a: False)},
            "keen-slider/react": {"useKeenSlider": PyFunc(lambda *a: [UNDEF, {"current": UNDEF}])},
        }
        return table.get(source, {})

    def collect_head(self, children: Any) -> None:
        for el in _walk_elements(children):
            if el.tag == "title" and "title" not in self.head:
                self.head["title"] = _plain_text(self, el.props.get("children"))
            elif el.tag == "meta":
                key = el.props.get("name") or el.props.get("property")
                if key in ("description", "og:description") and "description" not in self.head:
                    content = el.props.get("content")
                    if isinstance(content, str):
                        self.head["description"] = content

    # -- modules
    def resolve_path(self, base: str, source: str) -> str | None:
        if not source.startswith("."):
            return None
        source = source.split("?")[0]
        if re.search(r"\.(png|jpe?g|webp|gif|svg|css|scss|ico|pdf|mp4)$", source, re.I):
            return None
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), source))
        for cand in (
            joined,
            *(joined + e for e in (".tsx", ".ts", ".js", ".jsx", ".json", ".mjs")),
            *(joined + "/index" + e for e in (".tsx", ".ts", ".js")),
        ):
            if cand in self.files:
                return cand
        return None

    def load(self, path: str) -> dict:
        """Exports of a module (evaluated lazily)."""
        if path in self.module_exports:
            return self.module_exports[path]
        if path in self.overrides:
            self.module_exports[path] = self.overrides[path]
            return self.overrides[path]
        if path.endswith(".json"):
            data = json.loads(self.tree.read(path))
            exports = {"default": data}
            if isinstance(data, dict):
                exports.update(data)
            self.module_exports[path] = exports
            return exports
        errors: list = []
        mod = parse_module(self.tree.read(path), errors)
        self.warnings.extend(f"parse {path}: {e}" for e in errors)
        scope = Scope(self.globals)
        self.modules[path] = scope
        exports: dict = {}
        self.module_exports[path] = exports
        for source, imported, local in mod["imports"]:
            scope.vars[local] = _Lazy(functools.partial(self._import_value, path, source, imported, local))
        for name, node in mod["decls"].items():
            if name == "__destructure__":
                continue
            if (path, name) in self.local_overrides:
                scope.vars[name] = self.local_overrides[(path, name)]
                continue
            scope.vars[name] = _Lazy(functools.partial(self._eval_decl, node, scope, name))
        for pat, init, exported in mod["decls"].get("__destructure__", []):
            try:
                self.bind(pat, self.eval(init, scope), scope)
            except Exception as e:
                self.warnings.append(f"{path}: destructuring: {e}")
            if exported:
                for name in _pattern_names(pat):
                    exports[name] = scope.vars.get(name, UNDEF)
        for alias, node in mod["exports"].items():
            exports[alias] = _Lazy(functools.partial(self.eval, node, scope))
        if mod["default"] is not None:
            exports["default"] = _Lazy(functools.partial(self.eval, mod["default"], scope))
        return exports

    def _eval_decl(self, node: Any, scope: Scope, name: str) -> Any:
        if node is None:
            return UNDEF
        v = self.eval(node, scope)
        if isinstance(v, JSFunc) and not v.name:
            v.name = name
        return v

    def _import_value(self, base: str, source: str, imported: str, local: str) -> Any:
        path = self.resolve_path(base, source)
        if path is None:
            if source.startswith("."):
                # images, svg icons, styles
                return NOTHING if local[:1].isupper() else UNDEF
            exports = self.package_exports(source)
            if imported == "*":
                return exports
            if imported in exports:
                return exports[imported]
            return UNKNOWN_COMPONENT if local[:1].isupper() else UNDEF
        exports = self.load(path)
        if imported == "*":
            return {k: _force(v) for k, v in exports.items()}
        v = exports.get(imported, UNDEF)
        if v is UNDEF and imported == "default" and path in self.modules:
            v = UNDEF
        v = _force(v)
        exports[imported] = v
        return v

    # -- evaluation
    def call(self, fn: Any, args: list, this: Any = None) -> Any:
        if isinstance(fn, JSFunc):
            return self.call_js(fn, args)
        if isinstance(fn, PyFunc):
            return fn.fn(*args)
        if isinstance(fn, dict) and "__call__" in fn:
            return self.call(fn["__call__"], args)
        return UNDEF

    def call_js(self, fn: JSFunc, args: list) -> Any:
        self.depth += 1
        if self.depth > 200:
            self.depth -= 1
            raise JSError("recursion too deep")
        try:
            scope = Scope(fn.scope)
            for k, pat in enumerate(fn.params):
                if pat[0] == "prest":
                    self.bind(pat[1], list(args[k:]), scope)
                    break
                self.bind(pat, args[k] if k < len(args) else UNDEF, scope)
            if fn.is_expr:
                return self.eval(fn.body, scope)
            try:
                self.exec_block(fn.body, scope)
            except _Return as r:
                return r.value
            return UNDEF
        finally:
            self.depth -= 1

    def bind(self, pat: Any, value: Any, scope: Scope) -> None:
        kind = pat[0]
        if kind == "pid":
            if (value is UNDEF) and pat[2] is not None:
                value = self.eval(pat[2], scope)
            scope.vars[pat[1]] = value
        elif kind == "pdef":
            if value is UNDEF:
                value = self.eval(pat[2], scope)
            self.bind(pat[1], value, scope)
        elif kind == "pobj":
            src = value if isinstance(value, dict) else {}
            used = set()
            for key, sub in pat[1]:
                k = key if isinstance(key, str) else to_str(self.eval(key, scope))
                used.add(k)
                self.bind(sub, self.get_prop(value, k) if not isinstance(value, dict) else src.get(k, UNDEF), scope)
            if pat[2]:
                scope.vars[pat[2]] = {k: v for k, v in src.items() if k not in used}
        elif kind == "parr":
            seq = value if isinstance(value, list) else []
            for k, sub in enumerate(pat[1]):
                if sub is not None:
                    self.bind(sub, seq[k] if k < len(seq) else UNDEF, scope)
            if pat[2]:
                scope.vars[pat[2]] = list(seq[len(pat[1]) :])
        elif kind == "prest":
            self.bind(pat[1], value, scope)

    def exec_block(self, stmts: list, scope: Scope) -> None:
        # function declarations are hoisted
        for st in stmts:
            if st[0] == "decl":
                for pat, init in st[1]:
                    if init is not None and init[0] == "fn" and init[4] and pat[0] == "pid":
                        scope.vars[pat[1]] = self.eval(init, scope)
        for st in stmts:
            self.exec_stmt(st, scope)

    def exec_stmt(self, st: Any, scope: Scope) -> None:
        kind = st[0]
        if kind == "decl":
            for pat, init in st[1]:
                try:
                    value = self.eval(init, scope) if init is not None else UNDEF
                except JSError:
                    value = UNDEF
                if isinstance(value, JSFunc) and not value.name and pat[0] == "pid":
                    value.name = pat[1]
                self.bind(pat, value, scope)
        elif kind == "return":
            raise _Return(self.eval(st[1], scope) if st[1] is not None else UNDEF)
        elif kind == "if":
            if truthy(self.eval(st[1], scope)):
                self.exec_stmt(st[2], scope)
            elif st[3] is not None:
                self.exec_stmt(st[3], scope)
        elif kind == "block":
            self.exec_block(st[1], Scope(scope))
        elif kind == "expr":
            try:
                self.eval(st[1], scope)
            except JSError:
                pass
        elif kind == "switch":
            disc = self.eval(st[1], scope)
            matched = False
            for test, body in st[2]:
                if not matched and (test is None or js_eq(self.eval(test, scope), disc)):
                    matched = True
                if matched:
                    for s2 in body:
                        if s2[0] == "break":
                            return
                        self.exec_stmt(s2, scope)
        # "break", "throw": nothing

    def eval(self, node: Any, scope: Scope) -> Any:
        kind = node[0]
        if kind == "str":
            return node[1]
        if kind == "num":
            v = node[1]
            return int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v
        if kind == "bool":
            return node[1]
        if kind == "tpl":
            out = []
            for k, part in enumerate(node[1]):
                if k % 2 == 0:
                    out.append(part)
                else:
                    out.append(_text_of(self, self.eval(part, scope)))
            return "".join(out)
        if kind == "id":
            name = node[1]
            if name == "true":
                return True
            if name == "false":
                return False
            if name == "null":
                return None
            if name in ("undefined", "this"):
                return UNDEF
            return scope.lookup(name)
        if kind == "paren":
            return self.eval(node[1], scope)
        if kind == "arr":
            out = []
            for item in node[1]:
                if item[0] == "spread":
                    v = self.eval(item[1], scope)
                    if isinstance(v, list):
                        out.extend(v)
                    elif isinstance(v, str):
                        out.extend(v)
                else:
                    out.append(self.eval(item, scope))
            return out
        if kind == "obj":
            obj: dict = {}
            for prop in node[1]:
                if prop[0] == "spread":
                    v = self.eval(prop[1], scope)
                    if isinstance(v, dict):
                        obj.update(v)
                else:
                    key = to_str(self.eval(prop[1], scope))
                    obj[key] = self.eval(prop[2], scope)
                    if isinstance(obj[key], JSFunc) and not obj[key].name:
                        obj[key].name = key
            return obj
        if kind == "fn":
            return JSFunc(node[1], node[2], node[3], scope, node[4], self)
        if kind == "mem":
            obj = self.eval(node[1], scope)
            if node[3] and (obj is None or obj is UNDEF):
                return UNDEF
            key = self.eval(node[2], scope)
            return self.get_prop(obj, key)
        if kind == "call":
            return self.eval_call(node, scope)
        if kind == "new":
            callee = self.eval(node[1], scope)
            args = self.eval_args(node[2], scope)
            return self.call(callee, args)
        if kind == "un":
            op = node[1]
            if op == "typeof":
                try:
                    v = self.eval(node[2], scope)
                except JSError:
                    v = UNDEF
                return js_typeof(v)
            v = self.eval(node[2], scope)
            if op == "!":
                return not truthy(v)
            if op == "-":
                return -to_num(v) if not isinstance(v, int) or isinstance(v, bool) else -v
            if op == "+":
                return to_num(v)
            if op == "await":
                return v
            return UNDEF
        if kind == "bin":
            return self.eval_bin(node, scope)
        if kind == "cond":
            return self.eval(node[2], scope) if truthy(self.eval(node[1], scope)) else self.eval(node[3], scope)
        if kind == "assign":
            return self.eval_assign(node, scope)
        if kind == "jsx":
            return self.eval_jsx(node, scope)
        if kind == "spread":
            return self.eval(node[1], scope)
        if kind == "regex":
            return {"__regex__": node[1], "flags": node[2]}
        raise JSError(f"cannot evaluate {kind}")

    def eval_assign(self, node: Any, scope: Scope) -> Any:
        op, target, value_node = node[1], node[2], node[3]
        value = self.eval(value_node, scope)
        if op != "=":
            cur = self.eval(target, scope)
            if op == "??=":
                value = cur if cur is not None and cur is not UNDEF else value
            elif op == "||=":
                value = cur if truthy(cur) else value
            elif op == "&&=":
                value = value if truthy(cur) else cur
            elif op == "+=":
                value = js_add(cur, value)
            else:
                value = UNDEF
        if target[0] == "id":
            scope.assign(target[1], value)
        elif target[0] == "mem":
            obj = self.eval(target[1], scope)
            key = self.eval(target[2], scope)
            if isinstance(obj, dict):
                obj[to_str(key)] = value
            elif isinstance(obj, list) and isinstance(key, (int, float)):
                k = int(key)
                if 0 <= k < len(obj):
                    obj[k] = value
        return value

    def eval_args(self, nodes: list, scope: Scope) -> list:
        out = []
        for a in nodes:
            if a[0] == "spread":
                v = self.eval(a[1], scope)
                if isinstance(v, list):
                    out.extend(v)
            else:
                out.append(self.eval(a, scope))
        return out

    def eval_call(self, node: Any, scope: Scope) -> Any:
        callee_node = node[1]
        if callee_node[0] == "mem":
            obj = self.eval(callee_node[1], scope)
            if callee_node[3] and (obj is None or obj is UNDEF):
                return UNDEF
            key = to_str(self.eval(callee_node[2], scope))
            args = self.eval_args(node[2], scope)
            method = self.method(obj, key)
            if method is not None:
                return method(*args)
            fn = self.get_prop(obj, key)
        else:
            fn = self.eval(callee_node, scope)
            args = self.eval_args(node[2], scope)
        if node[3] and (fn is None or fn is UNDEF):
            return UNDEF
        if not isinstance(fn, (JSFunc, PyFunc, dict)):
            return UNDEF
        return self.call(fn, args)

    def get_prop(self, obj: Any, key: Any) -> Any:
        if isinstance(obj, dict):
            k = to_str(key)
            v = obj.get(k, UNDEF)
            if isinstance(v, _Lazy):
                v = obj[k] = v.force()
            return v
        if isinstance(obj, (list, str)):
            if key == "length":
                return len(obj)
            if isinstance(key, (int, float)) and not isinstance(key, bool):
                k = int(key)
                return obj[k] if 0 <= k < len(obj) else UNDEF
            if isinstance(key, str) and key.isdigit():
                k = int(key)
                return obj[k] if k < len(obj) else UNDEF
            return UNDEF
        if isinstance(obj, JSFunc) and key == "name":
            return obj.name
        if isinstance(obj, Element):
            if key == "props":
                return obj.props
            if key == "key":
                return obj.props.get("key", UNDEF)
        return UNDEF

    def method(self, obj: Any, key: str) -> Any:
        """A built-in method of a list, string or number, as a Python callable (None if not built in)."""
        call = self.call
        if isinstance(obj, list):

            def cb(fn: Any) -> Any:
                return lambda *a: call(fn, list(a))

            def sort(fn: Any = None, *a: Any) -> list:
                if fn is None or fn is UNDEF:
                    obj.sort(key=to_str)
                else:
                    f = cb(fn)
                    obj.sort(key=functools.cmp_to_key(lambda x, y: _sign(to_num(f(x, y)))))
                return obj

            def flat_map(fn: Any, *a: Any) -> list:
                out = []
                for i, x in enumerate(list(obj)):
                    r = call(fn, [x, i, obj])
                    out.extend(r if isinstance(r, list) else [r])
                return out

            def reduce(fn: Any, *init: Any) -> Any:
                items = list(obj)
                acc = init[0] if init else (items.pop(0) if items else UNDEF)
                for i, x in enumerate(items):
                    acc = call(fn, [acc, x, i, obj])
                return acc

            def fill(v: Any = UNDEF, *a: Any) -> list:
                for i in range(len(obj)):
                    obj[i] = v
                return obj

            def find(fn: Any, *a: Any) -> Any:
                for i, x in enumerate(obj):
                    if truthy(call(fn, [x, i, obj])):
                        return x
                return UNDEF

            def slice_(a: Any = 0, b: Any = None, *r: Any) -> list:
                n = len(obj)
                a = int(to_num(a)) if a is not UNDEF else 0
                b = n if b is None or b is UNDEF else int(to_num(b))
                return obj[slice(a, b)]

            methods = {
                "map": lambda fn, *a: [call(fn, [x, i, obj]) for i, x in enumerate(list(obj))],
                "filter": lambda fn, *a: [x for i, x in enumerate(list(obj)) if truthy(call(fn, [x, i, obj]))],
                "forEach": lambda fn, *a: [call(fn, [x, i, obj]) for i, x in enumerate(list(obj))] and UNDEF,
                "some": lambda fn, *a: any(truthy(call(fn, [x, i, obj])) for i, x in enumerate(obj)),
                "every": lambda fn, *a: all(truthy(call(fn, [x, i, obj])) for i, x in enumerate(obj)),
                "find": find,
                "findIndex": lambda fn, *a: next((i for i, x in enumerate(obj) if truthy(call(fn, [x, i, obj]))), -1),
                "flatMap": flat_map,
                "flat": lambda *a: [y for x in obj for y in (x if isinstance(x, list) else [x])],
                "reduce": reduce,
                "slice": slice_,
                "sort": sort,
                "toSorted": lambda fn=None, *a: self.method(list(obj), "sort")(fn),
                "reverse": lambda *a: obj.reverse() or obj,
                "concat": lambda *a: obj + [y for x in a for y in (x if isinstance(x, list) else [x])],
                "join": lambda sep=",", *a: (to_str(sep) if sep is not UNDEF else ",").join(
                    "" if x is None or x is UNDEF else to_str(x) for x in obj
                ),
                "includes": lambda v=UNDEF, *a: any(js_eq(x, v) for x in obj),
                "indexOf": lambda v=UNDEF, *a: next((i for i, x in enumerate(obj) if js_eq(x, v)), -1),
                "fill": fill,
                "push": lambda *a: obj.extend(a) or len(obj),
                "keys": lambda *a: list(range(len(obj))),
                "entries": lambda *a: [[i, x] for i, x in enumerate(obj)],
                "at": lambda k=0, *a: obj[int(to_num(k))] if -len(obj) <= int(to_num(k)) < len(obj) else UNDEF,
            }
            return methods.get(key)
        if isinstance(obj, str):
            s = obj

            def replace(pat: Any = "", rep: Any = "", *a: Any) -> str:
                if isinstance(pat, dict) and "__regex__" in pat:
                    try:
                        rx = re.compile(pat["__regex__"], re.I if "i" in pat["flags"] else 0)
                    except re.error:
                        return s
                    count = 0 if "g" in pat["flags"] else 1
                    if isinstance(rep, (JSFunc, PyFunc)):
                        return rx.sub(lambda m: to_str(call(rep, [m.group(0), *m.groups()])), s, count=count)
                    return rx.sub(
                        lambda m: re.sub(r"\$(\d)", lambda mm: m.group(int(mm.group(1))) or "", to_str(rep)),
                        s,
                        count=count,
                    )
                return s.replace(to_str(pat), to_str(rep), 1)

            def match(pat: Any = None, *a: Any) -> Any:
                if isinstance(pat, dict) and "__regex__" in pat:
                    try:
                        m = re.search(pat["__regex__"], s)
                    except re.error:
                        return None
                    return [m.group(0), *m.groups()] if m else None
                return None

            methods = {
                "localeCompare": lambda o="", *a: _sign((s > to_str(o)) - (s < to_str(o))),
                "split": lambda sep=UNDEF, *a: (
                    s.split(to_str(sep)) if isinstance(sep, str) and sep else list(s) if sep == "" else [s]
                ),
                "trim": lambda *a: s.strip(),
                "toLowerCase": lambda *a: s.lower(),
                "toUpperCase": lambda *a: s.upper(),
                "includes": lambda v="", *a: to_str(v) in s,
                "startsWith": lambda v="", *a: s.startswith(to_str(v)),
                "endsWith": lambda v="", *a: s.endswith(to_str(v)),
                "indexOf": lambda v="", *a: s.find(to_str(v)),
                "slice": lambda a=0, b=None, *r: s[
                    int(to_num(a)) : (None if b is None or b is UNDEF else int(to_num(b)))
                ],
                "substring": lambda a=0, b=None, *r: s[
                    int(to_num(a)) : (None if b is None or b is UNDEF else int(to_num(b)))
                ],
                "charAt": lambda k=0, *a: s[int(to_num(k))] if 0 <= int(to_num(k)) < len(s) else "",
                "replace": replace,
                "replaceAll": lambda p="", r="", *a: s.replace(to_str(p), to_str(r)),
                "match": match,
                "padStart": lambda n=0, c=" ", *a: s.rjust(int(to_num(n)), to_str(c)[:1] or " "),
                "toString": lambda *a: s,
                "normalize": lambda *a: s,
                "repeat": lambda n=0, *a: s * int(to_num(n)),
            }
            return methods.get(key)
        if isinstance(obj, (int, float)) and not isinstance(obj, bool):
            methods = {
                "toFixed": lambda d=0, *a: f"{obj:.{int(to_num(d))}f}",
                "toLocaleString": lambda *a: f"{obj:,}" if isinstance(obj, int) else f"{obj:,.0f}",
                "toString": lambda *a: to_str(obj),
            }
            return methods.get(key)
        return None

    def eval_bin(self, node: Any, scope: Scope) -> Any:
        op = node[1]
        if op == "&&":
            left = self.eval(node[2], scope)
            return self.eval(node[3], scope) if truthy(left) else left
        if op == "||":
            left = self.eval(node[2], scope)
            return left if truthy(left) else self.eval(node[3], scope)
        if op == "??":
            left = self.eval(node[2], scope)
            return left if left is not None and left is not UNDEF else self.eval(node[3], scope)
        a = self.eval(node[2], scope)
        b = self.eval(node[3], scope)
        if op in ("===", "=="):
            return js_eq(a, b, loose=op == "==")
        if op in ("!==", "!="):
            return not js_eq(a, b, loose=op == "!=")
        if op == "+":
            return js_add(a, b)
        if op in ("<", ">", "<=", ">="):
            if isinstance(a, str) and isinstance(b, str):
                x, y = a, b
            else:
                x, y = to_num(a), to_num(b)
            return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]
        if op == "in":
            return isinstance(b, dict) and to_str(a) in b
        if op == "instanceof":
            return False
        x, y = to_num(a), to_num(b)
        try:
            if op == "-":
                r = x - y
            elif op == "*":
                r = x * y
            elif op == "/":
                r = x / y if y else (float("nan") if x == 0 or math.isnan(x) else math.copysign(float("inf"), x))
            elif op == "%":
                r = math.fmod(x, y) if y else float("nan")
            elif op == "**":
                r = x**y
            else:
                ix, iy = int(x) if not math.isnan(x) else 0, int(y) if not math.isnan(y) else 0
                r = {"|": ix | iy, "&": ix & iy, "^": ix ^ iy, "<<": ix << iy, ">>": ix >> iy, ">>>": ix >> iy}[op]
        except (OverflowError, ValueError):
            r = float("nan")
        if isinstance(r, float) and r.is_integer() and abs(r) < 2**53:
            return int(r)
        return r

    # -- JSX
    def eval_jsx(self, node: Any, scope: Scope) -> Element:
        _, name, attrs, children = node
        if name is None:
            tag: Any = None
        elif name[:1].islower() and "." not in name:
            tag = name
        else:
            parts = name.split(".")
            tag = scope.lookup(parts[0])
            for p in parts[1:]:
                tag = self.get_prop(tag, p)
            if tag is UNDEF or tag is None:
                self.warnings.append(f"unknown component <{name}>")
                tag = PASSTHROUGH
        props: dict = {}
        for attr in attrs:
            if attr[0] == "spread":
                try:
                    v = self.eval(attr[1], scope)
                except JSError:
                    v = UNDEF
                if isinstance(v, dict):
                    props.update(v)
                continue
            aname, vnode = attr
            try:
                props[aname] = self.eval(vnode, scope)
            except Exception as e:
                self.warnings.append(f"<{name} {aname}>: {type(e).__name__}: {e}")
                props[aname] = UNDEF
        kids = []
        for child in children:
            if child[0] == "text":
                kids.append(child[1])
            elif child[0] == "expr":
                try:
                    kids.append(self.eval(child[1], scope))
                except Exception as e:
                    self.warnings.append(f"<{name}> child: {type(e).__name__}: {e}")
            else:
                kids.append(self.eval_jsx(child, scope))
        if kids:
            props["children"] = kids[0] if len(kids) == 1 else kids
        return Element(tag, props, kids)

    # -- rendering
    def render(self, v: Any) -> str:
        if v is None or v is UNDEF or isinstance(v, bool):
            return ""
        if isinstance(v, Html):
            return v
        if isinstance(v, str):
            return esc(v)
        if isinstance(v, (int, float)):
            return to_str(v)
        if isinstance(v, list):
            return "".join(self.render(x) for x in v)
        if isinstance(v, Element):
            return self.render_element(v)
        return ""

    def render_element(self, el: Element) -> str:
        tag = el.tag
        if tag is None:
            return self.render(el.children)
        if isinstance(tag, str):
            if tag in self.DROP_TAGS:
                return ""
            inner = el.props.get("dangerouslySetInnerHTML")
            body = Html(inner.get("__html", "")) if isinstance(inner, dict) else self.render(el.children)
            if tag in self.VOID_TAGS:
                return f"<{tag}>"
            if tag not in self.KEEP_TAGS:
                return body
            attrs = ""
            for aname in ("href", "id", "lang"):
                v = el.props.get(aname)
                if isinstance(v, str) and v:
                    attrs += f' {aname}="{esc(v)}"'
            return f"<{tag}{attrs}>{body}</{tag}>"
        if isinstance(tag, (JSFunc, PyFunc)):
            try:
                result = self.call(tag, [el.props])
            except Exception as e:
                self.warnings.append(f"component {getattr(tag, 'name', '?')}: {type(e).__name__}: {e}")
                return ""
            return self.render(result)
        if isinstance(tag, str):
            return self.render(el.children)
        return self.render(el.children)


def _pattern_names(pat: Any) -> list[str]:
    kind = pat[0]
    if kind == "pid":
        return [pat[1]]
    if kind in ("pdef", "prest"):
        return _pattern_names(pat[1])
    if kind == "pobj":
        return [n for _, sub in pat[1] for n in _pattern_names(sub)] + ([pat[2]] if pat[2] else [])
    if kind == "parr":
        return [n for sub in pat[1] if sub is not None for n in _pattern_names(sub)] + ([pat[2]] if pat[2] else [])
    return []


def _force(v: Any) -> Any:
    return v.force() if isinstance(v, _Lazy) else v


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def js_typeof(v: Any) -> str:
    if v is UNDEF:
        return "undefined"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (JSFunc, PyFunc)):
        return "function"
    return "object"


def js_eq(a: Any, b: Any, loose: bool = False) -> bool:
    if loose and (a is None or a is UNDEF) and (b is None or b is UNDEF):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if loose and isinstance(a, (int, float, str)) and isinstance(b, (int, float, str)):
        return to_num(a) == to_num(b)
    return a is b


def js_add(a: Any, b: Any) -> Any:
    if isinstance(a, str) or isinstance(b, str) or isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return to_str(a) + to_str(b)
    r = to_num(a) + to_num(b)
    return int(r) if r.is_integer() and abs(r) < 2**53 else r


def _walk_elements(v: Any):
    if isinstance(v, list):
        for x in v:
            yield from _walk_elements(x)
    elif isinstance(v, Element):
        yield v
        yield from _walk_elements(v.children)


def _text_of(interp: Interp, v: Any) -> str:
    if isinstance(v, list):
        return "".join(_text_of(interp, x) for x in v)
    if isinstance(v, Element):
        return html.unescape(re.sub(r"<[^>]+>", "", interp.render(v)))
    return to_str(v)


def _plain_text(interp: Interp, v: Any) -> str:
    if v is None or v is UNDEF:
        return ""
    if isinstance(v, (str, int, float)) and not isinstance(v, bool):
        return to_str(v)
    return html.unescape(re.sub(r"<[^>]+>", "", interp.render(v))).strip()


# --------------------------------------------------------------------------------------------------------------
# The site

# (source file, URL path); the live site's English pages
PAGES = [
    ("pages/index.tsx", "/"),
    ("pages/about/index.tsx", "/about"),
    ("pages/apps.tsx", "/apps"),
    ("pages/hosting.tsx", "/hosting"),
    ("pages/sponsors.tsx", "/sponsors"),
    ("pages/careers.tsx", "/careers"),
    ("pages/roadmap.tsx", "/roadmap"),
    ("pages/servers.tsx", "/servers"),
    ("pages/verification.tsx", "/verification"),
    ("pages/branding.tsx", "/branding"),
    ("pages/trademark.tsx", "/trademark"),
    ("pages/privacy-policy.tsx", "/privacy-policy"),
    ("pages/covenant.tsx", "/covenant"),
    ("pages/donor-policy/mastodon-ggmbh.tsx", "/donor-policy/mastodon-ggmbh"),
    ("pages/donor-policy/mastodon-inc.tsx", "/donor-policy/mastodon-inc"),
    ("pages/donor-policy/de/mastodon-ggmbh.tsx", "/donor-policy/de/mastodon-ggmbh"),
    ("pages/android/privacy.tsx", "/android/privacy"),
    ("pages/android/safety-standards.tsx", "/android/safety-standards"),
    ("pages/ios/privacy.tsx", "/ios/privacy"),
]


def _roadmap_features(tree: GitTree) -> list:
    out = []
    for path in sorted(tree.files("data/roadmap/", (".md",))):
        meta, body = split_front_matter(tree.read(path))
        out.append(
            {
                "data": {"title": str(meta.get("title", "")), "status": str(meta.get("status", ""))},
                "content": body.strip(),
            }
        )
    return out


def _apps_grid(interp: Interp) -> PyFunc:
    """The apps directory (the live grid is filtered client-side; listed here by category, as its tabs are)."""

    def grid(props: dict) -> Any:
        apps = props.get("apps")
        if not isinstance(apps, dict):
            return None
        labels = {
            "android": "browse_apps.android",
            "ios": "browse_apps.ios",
            "web": "browse_apps.web",
            "desktop": "browse_apps.desktop",
            "retro": "browse_apps.retro",
        }
        parts = [
            f"<h2>{esc(interp.message({'id': 'browse_apps.title2', 'defaultMessage': 'Browse third-party apps'}))}</h2>"
        ]
        for category, items in apps.items():
            label = interp.message({"id": labels.get(category, ""), "defaultMessage": category})
            parts.append(f"<h3>{esc(label)}</h3><ul>")
            for app in items if isinstance(items, list) else []:
                if not isinstance(app, dict):
                    continue
                name = to_str(app.get("name", ""))
                url = app.get("url")
                paid = interp.message(
                    {
                        "id": "apps.paid" if truthy(app.get("paid")) else "apps.free",
                        "defaultMessage": "Paid" if truthy(app.get("paid")) else "Free",
                    }
                )
                extra = (
                    ", " + interp.message({"id": "apps.open", "defaultMessage": "Open"})
                    if truthy(app.get("open"))
                    else ""
                )
                link = f'<a href="{esc(to_str(url))}">{esc(name)}</a>' if isinstance(url, str) else esc(name)
                parts.append(f"<li>{link} ({esc(label)}, {esc(paid)}{esc(extra)})</li>")
            parts.append("</ul>")
        return Html("".join(parts))

    return PyFunc(grid, "AppsGrid")


def _nav_labels(messages: dict) -> dict:
    def m(mid: str, default: str) -> str:
        return messages.get(mid, default)

    return {
        "apps": m("nav.apps.title", "Apps"),
        "hosting": m("nav.hosting.title", "For Institutions"),
        "donate": m("nav.sponsors.title", "Donate"),
        "about": m("nav.about_us.title", "About us"),
        "servers": m("nav.servers.title", "Servers"),
        "blog": m("nav.blog.title", "Blog"),
        "docs": m("nav.docs.title", "Documentation"),
        "support": m("nav.support.title", "Support"),
        "verification": m("nav.verification.title", "Verification"),
        "branding": m("nav.branding.title", "Branding"),
        "share": m("nav.share.title", "Share button"),
        "merch": m("nav.merch.title", "Merch"),
        "code": m("nav.code.title", "Source code"),
        "roadmap": m("nav.roadmap.title", "Roadmap"),
        "contact": m("nav.contact.title", "Contact"),
        "careers": m("nav.careers.title", "Careers"),
        "impressum": m("nav.impressum.title", "Impressum"),
        "trademark": m("nav.trademark_policy.title", "Trademark Policy"),
        "privacy": m("nav.privacy_policy.title", "Privacy Policy"),
        "status": m("nav.status.title", "Status"),
    }


def render_page(interp: Interp, path: str, props: dict | None = None) -> tuple[str, str, str]:
    interp.head = {}
    exports = interp.load(path)
    component = _force(exports.get("default", UNDEF))
    if not isinstance(component, (JSFunc, PyFunc)):
        raise RuntimeError(f"{path}: no page component")
    body = interp.render(Element(component, dict(props or {}), []))
    while True:
        cleaned = re.sub(r"<(div|span|section|p|li|ul|h[1-6]|dd|dt|dl)>(\s|<br>)*</\1>", "", body)
        if cleaned == body:
            break
        body = cleaned
    title = interp.head.get("title", "")
    return title, interp.head.get("description", ""), body


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Mastodon", lang="en")
    messages = json.loads(tree.read("locales/en.json"))
    interp = Interp(tree, messages)
    # Header and footer are rendered once, as the site's navigation, not inside each page
    interp.overrides["components/Layout.tsx"] = {"default": PASSTHROUGH, "Layout": PASSTHROUGH}
    interp.overrides["components/AppsGrid.tsx"] = {"default": _apps_grid(interp), "AppsGrid": _apps_grid(interp)}
    interp.overrides["components/SelectMenu.tsx"] = {"default": NOTHING, "SelectMenu": NOTHING}
    interp.overrides["components/SkeletonText.tsx"] = {"default": NOTHING, "SkeletonText": NOTHING}
    interp.overrides["donate/DonatePopup.tsx"] = {"DonatePopup": PASSTHROUGH, "default": PASSTHROUGH}
    # Job openings are fetched in the browser from the API: nothing in the repository says what they are
    interp.local_overrides[("pages/careers.tsx", "JobBoard")] = NOTHING

    for path, url in PAGES:
        if path not in interp.files:
            continue
        interp.router = {"locale": "en", "defaultLocale": "en", "query": {}, "asPath": url, "pathname": url}
        props = {"features": _roadmap_features(tree)} if url == "/roadmap" else {}
        title, desc, body = render_page(interp, path, props)
        title = re.sub(r"\s+-\s+Mastodon$", "", title) or url.strip("/").split("/")[-1].replace("-", " ").title()
        site.add(url, title, body, desc)

    # board members' pages (/about/<slug>)
    board = _force(interp.load("data/board.ts").get("default"))
    for member in board if isinstance(board, list) else []:
        slug = member.get("slug") if isinstance(member, dict) else None
        if not isinstance(slug, str):
            continue
        interp.router = {
            "locale": "en",
            "defaultLocale": "en",
            "query": {"slug": slug},
            "asPath": f"/about/{slug}",
            "pathname": "/about/[slug]",
        }
        _, desc, body = render_page(interp, "pages/about/[slug].tsx")
        site.add(f"/about/{slug}", to_str(member.get("name")), body, desc)

    nav = _nav_labels(messages)
    site.nav = [
        (nav["apps"], "/apps"),
        (nav["hosting"], "/hosting"),
        (nav["donate"], "/sponsors"),
        (nav["about"], "/about"),
        (nav["servers"], "/servers"),
        (nav["blog"], "https://blog.joinmastodon.org/"),
        (nav["docs"], "https://docs.joinmastodon.org"),
        (nav["support"], "https://github.com/mastodon/mastodon/discussions"),
        (nav["verification"], "/verification"),
        (nav["branding"], "/branding"),
        (nav["share"], "https://share.joinmastodon.org"),
        (nav["merch"], "https://shop.joinmastodon.org/"),
        (nav["code"], "https://github.com/mastodon/mastodon"),
    ]
    site.footer = [
        (nav["servers"], "/servers"),
        (nav["apps"], "/apps"),
        (nav["donate"], "/sponsors#donate"),
        (nav["roadmap"], "/roadmap"),
        (nav["merch"], "https://shop.joinmastodon.org"),
        (nav["code"], "https://github.com/mastodon/mastodon"),
        (nav["blog"], "https://blog.joinmastodon.org/"),
        (nav["docs"], "https://docs.joinmastodon.org"),
        (nav["support"], "https://github.com/mastodon/mastodon/discussions"),
        (nav["share"], "https://share.joinmastodon.org"),
        (nav["about"], "/about"),
        (nav["contact"], "/about#contact"),
        (nav["branding"], "/branding"),
        (nav["careers"], "/careers"),
        (nav["impressum"], "/about#impressum"),
        (nav["trademark"], "/trademark"),
        (nav["privacy"], "/privacy-policy"),
        (nav["status"], "https://joinmastodon.instatus.com"),
    ]
    return site
