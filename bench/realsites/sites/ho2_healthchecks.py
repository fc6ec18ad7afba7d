"""Healthchecks.io — cron-job / heartbeat monitoring SaaS run by a small company in Latvia; healthchecks.io.

Held-out company. The service is open source (healthchecks/healthchecks, a Django app) and its public pages were
served from the repo's templates until late 2021: the home page (`templates/front/welcome.html`), the pricing page
with its billing FAQ (`templates/payments/pricing.html`), the documentation (`templates/docs/<slug>.html`, rendered
from the Markdown next to them, served at /docs/<slug>/ inside `front/base_docs.html` with its sidebar), the cron
cheatsheet (/docs/cron/), the sign-in page and the public help pages of a few integrations (/integrations/add_slack/, ...).

Commit 1299738f (2021-11-07) is the last one before the home page left the repo, so the site is rendered as
healthchecks.io stood then. The Django templates are read just far enough: `extends`/`block` resolved, `include`
inlined, `url`/`static`/`trans`/`blocktrans` tags and `{{ site_name }}`-style variables filled in for an anonymous
visitor of the hosted service (registration open, pricing shown, the integrations healthchecks.io enables — all but
Apprise and shell commands), `if` branches chosen accordingly and loops dropped. The docs get the placeholder values
the doc view substitutes (SITE_ROOT, PING_URL, ...). The about, privacy and terms pages of the live site were never
in the repo and are not rendered.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from bench.realsites.render import GitTree, Site, Source, esc, own_link, page_path, rewrite_links

SOURCE = Source(
    host="healthchecks.io",
    repo="healthchecks/healthchecks",
    commit="1299738f5058ee76c2bf45ae258b71136b847c33",
    kind="B2B SaaS with pricing page (cron monitoring, Latvia; Django templates + Markdown docs)",
    notes="2021-11-07, the last commit with the public home page in the repo.",
)

SITE_NAME = "Healthchecks.io"
SITE_ROOT = "https://healthchecks.io"
PING_ENDPOINT = "https://hc-ping.com/"

URLS = {
    "hc-index": "/",
    "hc-pricing": "/pricing/",
    "hc-docs": "/docs/",
    "hc-docs-cron": "/docs/cron/",
    "hc-login": "/accounts/login/",
    "hc-signup": "/accounts/signup/",
    "hc-slack-help": "/integrations/add_slack/",
    "hc-pagerduty-help": "/integrations/pagerduty/",
    "hc-pushover-help": "/integrations/add_pushover/",
    "hc-telegram-help": "/integrations/telegram/",
}

# integration help pages served to anonymous visitors (view → template)
HELP_PAGES = {
    "/integrations/add_slack/": "integrations/add_slack_btn.html",
    "/integrations/pagerduty/": "integrations/add_pd_simple.html",
    "/integrations/add_pushover/": "integrations/add_pushover_help.html",
    "/integrations/telegram/": "integrations/add_telegram.html",
}


def _context(page: str) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "page": page,
        "site_name": SITE_NAME,
        "site_root": SITE_ROOT,
        "ping_endpoint": PING_ENDPOINT,
        "ping_url": PING_ENDPOINT + "d1665499-e827-441f-bf13-8f15e8f4c0b9",
        "registration_open": True,
        "show_pricing": True,
        "bot_name": "HealthchecksBot",
        "default_timeout": 86400,
        "default_grace": 3600,
    }
    for name in (
        "call discord linenotify matrix mattermost msteams opsgenie pagertree pd pd_simple prometheus pushbullet "
        "pushover signal slack slack_btn sms spike telegram trello victorops webhooks whatsapp zulip"
    ).split():
        ctx[f"enable_{name}"] = True
    ctx["enable_apprise"] = False
    ctx["enable_shell"] = False
    return ctx


# --------------------------------------------------------------------------------------------------------------------
# Django templates, read just far enough

_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{\s*(.*?)\s*\}\}|\{#.*?#\}", re.S)
_BLOCKS = {
    "if": "endif",
    "for": "endfor",
    "with": "endwith",
    "block": "endblock",
    "blocktrans": "endblocktrans",
    "blocktranslate": "endblocktranslate",
    "comment": "endcomment",
    "compress": "endcompress",
    "spaceless": "endspaceless",
    "autoescape": "endautoescape",
}


def _parse(src: str) -> list[Any]:
    """Nodes: str | ("var", expr) | ("tag", text) | ["blk", kind, arg, [(cond, body), ...]]."""
    root: list[Any] = []
    stack: list[tuple[list[Any], list[Any]]] = []
    cur = root
    pos = 0
    for m in _TAG.finditer(src):
        if m.start() > pos:
            cur.append(src[pos : m.start()])
        pos = m.end()
        if m.group(0).startswith("{#"):
            continue
        if m.group(2) is not None:
            cur.append(("var", m.group(2)))
            continue
        text = m.group(1).strip()
        word = text.split(None, 1)[0] if text else ""
        arg = text[len(word) :].strip()
        if word in _BLOCKS:
            node = ["blk", word, arg, [(arg, [])]]
            cur.append(node)
            stack.append((cur, node))
            cur = node[3][0][1]
        elif word in ("elif", "else", "empty") and stack:
            node = stack[-1][1]
            branch: list[Any] = []
            node[3].append((arg if word == "elif" else None, branch))
            cur = branch
        elif word.startswith("end") and stack:
            cur = stack.pop()[0]
        else:
            cur.append(("tag", text))
    if pos < len(src):
        cur.append(src[pos:])
    return root


def _lookup(name: str, ctx: dict[str, Any]) -> Any:
    name = name.strip()
    if (name.startswith('"') and name.endswith('"')) or (name.startswith("'") and name.endswith("'")):
        return name[1:-1]
    if re.fullmatch(r"-?\d+", name):
        return int(name)
    if name in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[name]
    parts = name.split(".")
    v: Any = ctx.get(parts[0])
    for p in parts[1:]:
        v = v.get(p) if isinstance(v, dict) else None
    return v


def _cond(expr: str, ctx: dict[str, Any]) -> bool:
    expr = expr.strip()
    if " or " in expr:
        return any(_cond(e, ctx) for e in expr.split(" or "))
    if " and " in expr:
        return all(_cond(e, ctx) for e in expr.split(" and "))
    if expr.startswith("not "):
        return not _cond(expr[4:], ctx)
    for op in ("==", "!="):
        if op in expr:
            a, b = expr.split(op, 1)
            same = _lookup(a, ctx) == _lookup(b, ctx)
            return same if op == "==" else not same
    return bool(_lookup(expr.split("|")[0], ctx))


def _var(expr: str, ctx: dict[str, Any]) -> str:
    name, *filters = expr.split("|")
    v = _lookup(name, ctx)
    for f in filters:
        fname, _, farg = f.partition(":")
        if fname.strip() == "default" and not v:
            v = _lookup(farg, ctx)
    if v is None or isinstance(v, (dict, list)):
        return ""
    return str(v)


class Env:
    def __init__(self, tree: GitTree) -> None:
        self.tree = tree

    def source(self, name: str) -> str:
        return self.tree.read("templates/" + name)

    def render(self, name: str, ctx: dict[str, Any], top_block: str = "content") -> tuple[str, str]:
        """(body, title) of a page template: the `top_block` of the outermost layout, child blocks overriding."""
        chain = []
        cur: str | None = name
        while cur:
            nodes = _parse(self.source(cur))
            chain.append(nodes)
            ext = next(
                (n[1] for n in nodes if isinstance(n, tuple) and n[0] == "tag" and n[1].startswith("extends")), ""
            )
            m = re.match(r"""extends\s+["']([^"']+)["']""", ext)
            cur = m.group(1) if m else None
        blocks: dict[str, list[Any]] = {}
        for nodes in chain:  # child first: its blocks win
            for name_, body in _collect_blocks(nodes):
                blocks.setdefault(name_, body)
        self._blocks = blocks
        if top_block not in blocks:
            top_block = "content"
        body = self.emit(blocks.get(top_block, []), ctx)
        title = re.sub(r"<[^>]+>", "", self.emit(blocks.get("title", []), ctx)).strip()
        return body, title

    def emit(self, nodes: list[Any], ctx: dict[str, Any]) -> str:
        out = []
        for n in nodes:
            if isinstance(n, str):
                out.append(n)
            elif n[0] == "var":
                out.append(esc(_var(n[1], ctx)) if "|safe" not in n[1] else _var(n[1], ctx))
            elif n[0] == "tag":
                out.append(self.tag(n[1], ctx))
            else:
                _, kind, arg, branches = n
                if kind == "if":
                    for cond, body in branches:
                        if cond is None or _cond(cond, ctx):
                            out.append(self.emit(body, ctx))
                            break
                elif kind == "block":
                    name_ = arg.split()[0] if arg else ""
                    out.append(self.emit(getattr(self, "_blocks", {}).get(name_, branches[0][1]), ctx))
                elif kind in ("for", "comment"):
                    if kind == "for" and len(branches) > 1:  # the {% empty %} branch
                        out.append(self.emit(branches[1][1], ctx))
                elif kind == "with":
                    local = dict(ctx)
                    for k, v in re.findall(r"(\w+)=(\"[^\"]*\"|'[^']*'|\S+)", arg):
                        local[k] = _lookup(v, ctx)
                    out.append(self.emit(branches[0][1], local))
                else:  # blocktrans, compress, spaceless, ...
                    out.append(self.emit(branches[0][1], ctx))
        return "".join(out)

    def tag(self, text: str, ctx: dict[str, Any]) -> str:
        word, _, arg = text.partition(" ")
        if word == "url":
            parts = re.findall(r"\"[^\"]*\"|'[^']*'|\S+", arg)
            name = _lookup(parts[0], ctx) if parts else ""
            if name == "hc-serve-doc" and len(parts) > 1:
                return f"/docs/{_lookup(parts[1], ctx)}/"
            return URLS.get(str(name), "#")
        if word == "static":
            return "/static/" + str(_lookup(arg.strip(), ctx))
        if word in ("trans", "translate"):
            m = re.match(r"""(["'])(.*?)\1""", arg.strip(), re.S)
            return esc(m.group(2)) if m else ""
        if word == "site_root":
            return SITE_ROOT
        if word == "site_name":
            return SITE_NAME
        if word == "include":
            m = re.match(r"""["']([^"']+)["'](?:\s+with\s+(.*))?""", arg.strip(), re.S)
            if not m:
                return ""
            local = dict(ctx)
            for k, v in re.findall(r"(\w+)=(\"[^\"]*\"|'[^']*'|\S+)", m.group(2) or ""):
                local[k] = _lookup(v, ctx)
            try:
                src = self.source(m.group(1))
            except Exception:
                return ""
            return self.emit(_parse(src), local)
        return ""


def _collect_blocks(nodes: list[Any]) -> list[tuple[str, list[Any]]]:
    found = []
    for n in nodes:
        if isinstance(n, list) and n[0] == "blk":
            if n[1] == "block":
                found.append((n[2].split()[0], n[3][0][1]))
            for _, body in n[3]:
                found.extend(_collect_blocks(body))
    return found


def _tidy(s: str) -> str:
    s = re.sub(r"<(script|style)\b.*?</\1>", "", s, flags=re.S | re.I)
    s = re.sub(r"<!--.*?-->", "", s, flags=re.S)
    s = re.sub(r"<(form|input|button|select|textarea)\b[^>]*>", "", s)
    s = re.sub(r"</(form|button|select|textarea)>", "", s)
    s = re.sub(r'\s(class|style|id|data-[\w-]+|aria-[\w-]+|role|tabindex|autocomplete)="[^"]*"', "", s)
    s = re.sub(r"<(div|span|section)>\s*</\1>", "", s)
    s = re.sub(r"<(div|span|section)>\s*</\1>", "", s)
    s = re.sub(r"[ \t]+", " ", s)
    s = re.sub(r"\n\s*\n+", "\n", s)
    return s.strip()


def _resolver_for(base: str):
    """Links as the browser follows them from the page at `base` (the docs link to each other relatively)."""

    def resolve(href: str) -> str:
        h, target, frag = own_link(href, "healthchecks.io")
        if target is None:
            return h
        if target and not target.startswith("/"):
            target = urljoin(base, target)
        if not target.startswith("/") or target.startswith(("//", "/static/")):
            return h
        return page_path(target) + (f"#{frag}" if frag else "")

    return resolve


def _doc_html(tree: GitTree, slug: str) -> str:
    content = tree.read(f"templates/docs/{slug}.html")
    if not slug.startswith("self_hosted"):  # what the doc view substitutes
        for k, v in {
            "{{ default_timeout }}": "86400",
            "{{ default_grace }}": "3600",
            "SITE_NAME": SITE_NAME,
            "SITE_ROOT": SITE_ROOT,
            "SITE_HOSTNAME": "healthchecks.io",
            "SITE_SCHEME": "https",
            "PING_ENDPOINT": PING_ENDPOINT,
            "PING_URL": PING_ENDPOINT + "your-uuid-here",
            "IMG_URL": "/static/img/docs",
        }.items():
            content = content.replace(k, v)
    return content


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name=SITE_NAME)
    env = Env(tree)

    def add(path: str, template: str, page: str, extra: dict[str, Any] | None = None, top: str = "content") -> None:
        ctx = _context(page)
        ctx.update(extra or {})
        body, title = env.render(template, ctx, top)
        body = rewrite_links(_tidy(body), _resolver_for(path))
        site.add(path, title or SITE_NAME, body)

    add("/", "front/welcome.html", "welcome", top="containers")
    add("/pricing/", "payments/pricing.html", "pricing")
    add("/docs/cron/", "front/docs_cron.html", "docs")
    slugs = sorted(
        p[len("templates/docs/") : -len(".html")]
        for p in tree.files("templates/docs/", (".html",))
        if p.count("/") == 2
    )
    for slug in slugs:
        content = _doc_html(tree, slug)
        first = re.sub(r"<[^>]+>", "", content.split("\n")[0]).strip()
        path = "/docs/" if slug == "introduction" else f"/docs/{slug}/"
        add(path, "front/docs_single.html", "docs", {"section": slug, "content": content, "first_line": first})
    if tree.exists("templates/accounts/login.html"):
        add("/accounts/login/", "accounts/login.html", "login")
    for path, template in HELP_PAGES.items():
        if tree.exists("templates/" + template):
            add(path, template, "channels")

    site.nav = [("Pricing", "/pricing/"), ("Docs", "/docs/"), ("Sign In", "/accounts/login/")]
    site.footer = [
        ("github", "https://github.com/healthchecks/healthchecks"),
        ("healthchecks.io", "https://healthchecks.io"),
    ]
    return site
