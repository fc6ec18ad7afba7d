"""Zulip (Kandra Labs) — open-source team chat; zulip.com's corporate pages come from zulip/zulip's Django templates.

Only the corporate landing pages are rendered (not the Django app, help center or API docs):
- `templates/corporate/*.html` at the routes of `corporate/urls.py` (hello → /, features, plans, self-hosting,
  security, why-zulip, history, team, jobs, attribution, development-community, for/*, case-studies/*, apps, …).
  The Jinja templates are reduced to their static HTML: the `portico_content` block, `{% include %}`s of other
  corporate templates inlined (plans includes the pricing model and comparison tables),
  `{{ render_markdown_path('x.md') }}` replaced by the rendered Markdown file, `{{ _("…") }}` and
  `{% trans %}` by their text, and `{% if %}` branches chosen as a logged-out visitor of zulip.com sees them
  (`corporate_enabled` and negated conditions true, realm/user/setting-specific ones false). Loops over
  runtime data (the contributor list of /team) are left out.
- The policies directory (`templates/corporate/policies/*.md`: terms, privacy, rules, …) at /policies/<name>,
  with its index at /policies/.
Header links come from `templates/zerver/landing_nav.html`, footer links from `templates/zerver/footer.html`.

The upstream zulip/zulip snapshot is over the size limit; the snapshot comes from a fork (dyhes/zulip) whose history
contains upstream commit 4df8c661 (2022-10-13, "gear menu: Add organization info."), the last upstream commit before
the fork's own changes. That commit is rendered (the site as of October 2022).
"""

from __future__ import annotations

import html
import posixpath
import re
from typing import Any

from bench.realsites.render import GitTree, Site, Source, esc, markdown_to_html, page_path, rewrite_links

SOURCE = Source(
    host="zulip.com",
    repo="dyhes/zulip",
    commit="4df8c6610f19f08be1564d755aacb6c544eadbbc",
    kind="OSS company (Kandra Labs): Django/Jinja corporate templates + Markdown policies",
    notes="Upstream zulip/zulip commit 4df8c661 (2022-10-13), read from a fork's snapshot.",
)

T = "templates/"
PAGES = {
    "/": "corporate/hello.html",
    "/hello/": "corporate/hello.html",
    "/features/": "corporate/features.html",
    "/plans/": "corporate/plans.html",
    "/apps/": "corporate/apps.html",
    "/development-community/": "corporate/development-community.html",
    "/attribution/": "corporate/attribution.html",
    "/team/": "corporate/team.html",
    "/history/": "corporate/history.html",
    "/why-zulip/": "corporate/why-zulip.html",
    "/self-hosting/": "corporate/self-hosting.html",
    "/security/": "corporate/security.html",
    "/use-cases/": "corporate/for/use-cases.html",
    "/for/communities/": "corporate/for/communities.html",
    "/for/education/": "corporate/for/education.html",
    "/for/events/": "corporate/for/events.html",
    "/for/open-source/": "corporate/for/open-source.html",
    "/for/research/": "corporate/for/research.html",
    "/for/business/": "corporate/for/business.html",
    "/case-studies/idrift/": "corporate/case-studies/idrift-case-study.html",
    "/case-studies/tum/": "corporate/case-studies/tum-case-study.html",
    "/case-studies/ucsd/": "corporate/case-studies/ucsd-case-study.html",
    "/case-studies/rust/": "corporate/case-studies/rust-case-study.html",
    "/case-studies/lean/": "corporate/case-studies/lean-case-study.html",
    "/case-studies/asciidoctor/": "corporate/case-studies/asciidoctor-case-study.html",
    "/case-studies/recurse-center/": "corporate/case-studies/recurse-center-case-study.html",
    "/jobs/": "corporate/jobs.html",
    "/zephyr/": "corporate/zephyr.html",
}
SKIP_INCLUDES = ("zerver/landing_nav.html", "zerver/gradients.html")
CONTEXT = {"root_domain_uri": "", "apps_page_url": "/apps/", "realm_uri": ""}
# old URLs pages link to, as zproject redirects them
REDIRECTS = {"/terms": "/policies/terms/", "/privacy": "/policies/privacy/", "/why-zulip": "/why-zulip/"}


def _truthy(cond: str) -> bool:
    """How a condition evaluates for a logged-out visitor of zulip.com."""
    cond = cond.strip()
    if cond.startswith("not "):
        return not _truthy(cond[4:])
    if " or " in cond:
        return any(_truthy(c) for c in cond.split(" or "))
    if " and " in cond:
        return all(_truthy(c) for c in cond.split(" and "))
    return cond in ("corporate_enabled", "True", "true")


_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)


def _jinja(text: str, tree: GitTree, depth: int = 0) -> str:
    """Static HTML of a Jinja template as an anonymous visitor sees it."""
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)

    def md_path(m: re.Match[str]) -> str:
        path = T + m.group(1)
        if not tree.exists(path):
            return ""
        return _markdown(tree.read(path), tree)

    text = re.sub(r"\{\{\s*render_markdown_path\(\s*['\"]([^'\"]+)['\"][^)]*\)\s*\}\}", md_path, text)
    text = re.sub(r"\{\{\s*_\(\s*\"((?:[^\"\\]|\\.)*)\"\s*\)\s*\}\}", lambda m: m.group(1), text)
    text = re.sub(r"\{\{\s*_\(\s*'((?:[^'\\]|\\.)*)'\s*\)\s*\}\}", lambda m: m.group(1), text)
    text = re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: CONTEXT.get(m.group(1), ""), text)
    text = re.sub(r"\{\{.*?\}\}", "", text, flags=re.S)

    out: list[str] = []
    # stack of (emitting_before, branch_taken_already, is_loop)
    stack: list[tuple[bool, bool, bool]] = []
    emitting = True
    pos = 0
    for m in _TAG.finditer(text):
        if emitting:
            out.append(text[pos : m.start()])
        pos = m.end()
        tag, arg = m.group(1), m.group(2).strip()
        if tag == "if":
            taken = _truthy(arg)
            stack.append((emitting, taken, False))
            emitting = emitting and taken
        elif tag == "elif":
            before, done, _ = stack[-1]
            taken = not done and _truthy(arg)
            stack[-1] = (before, done or taken, False)
            emitting = before and taken
        elif tag == "else":
            before, done, loop = stack[-1]
            emitting = before and not done and not loop
            stack[-1] = (before, True, loop)
        elif tag in ("endif", "endfor"):
            if stack:
                emitting = stack.pop()[0]
        elif tag == "for":
            stack.append((emitting, False, True))
            emitting = False
        elif tag == "include" and emitting and depth < 5:
            name = arg.strip().strip("'\"").split("'")[0].split('"')[0]
            if name not in SKIP_INCLUDES and tree.exists(T + name):
                out.append(_jinja(tree.read(T + name), tree, depth + 1))
        # trans/endtrans, set, block, extends, macro … keep their content, drop the tag
    if emitting:
        out.append(text[pos:])
    return "".join(out)


def _clean_html(body: str) -> str:
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    # comparison tables show a check or a cross (CSS icons) in these cells
    body = re.sub(r'<td class="yes">\s*</td>', "<td>Yes</td>", body)
    body = re.sub(r'<td class="no">\s*</td>', "<td>No</td>", body)
    for tag in ("script", "style", "svg", "template", "noscript"):
        body = re.sub(rf"<{tag}\b.*?</{tag}>", "", body, flags=re.S | re.I)
    body = re.sub(r"<(input|select|option|textarea|button)\b[^>]*>(?:[^<]*</\1>)?", "", body, flags=re.I)
    body = re.sub(r'\s(?:class|style|data-[\w-]+|aria-[\w-]+|role|tabindex|width|height|target|rel)="[^"]*"', "", body)
    body = re.sub(r"<img\b([^>]*)>", lambda m: _img(m.group(1)), body)
    body = re.sub(r"\n\s*\n+", "\n", body)
    return body


def _img(attrs: str) -> str:
    alt = re.search(r'alt="([^"]*)"', attrs)
    return f'<img alt="{alt.group(1)}">' if alt and alt.group(1).strip() else ""


def _markdown(text: str, tree: GitTree) -> str:
    """A Zulip Markdown document: `{!include.md!}` macros inlined, then rendered."""

    def include(m: re.Match[str]) -> str:
        name = m.group(1)
        for cand in (f"{T}zerver/help/include/{name}", f"{T}corporate/policies/{name}", f"{T}corporate/{name}"):
            if tree.exists(cand):
                return tree.read(cand)
        return ""

    text = re.sub(r"\{!([\w./-]+)!\}", include, text)
    text = re.sub(r"\{(start|end)_tabs\}|\{tab\|[\w-]+\}", "", text)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", text, flags=re.S)
    return markdown_to_html(text)


def _title(src: str, default: str) -> str:
    m = re.search(r'\{%\s*set\s+PAGE_TITLE\s*=\s*"([^"]+)"', src)
    return html.unescape(m.group(1)).removesuffix(" | Zulip") if m else default


def _description(src: str) -> str:
    m = re.search(r'\{%\s*set\s+PAGE_DESCRIPTION\s*=\s*"([^"]+)"', src, re.S)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else ""


def _resolver(href: str) -> str:
    h = href
    for prefix in ("https://zulip.com", "http://zulip.com", "https://www.zulip.com"):
        if h.startswith(prefix):
            h = h[len(prefix) :] or "/"
    if not h.startswith("/") or h.startswith("//"):
        return h
    target, _, frag = h.partition("#")
    target = target.split("?")[0]
    if target.rstrip("/") in REDIRECTS:
        target = REDIRECTS[target.rstrip("/")]
    if re.search(r"\.\w{2,4}$", target):
        return target
    return page_path(target) + (f"#{frag}" if frag else "")


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="Zulip")

    for path, tpl in PAGES.items():
        if not tree.exists(T + tpl):
            continue
        src = tree.read(T + tpl)
        m = re.search(r"\{%\s*block\s+portico_content\s*%\}(.*)\{%\s*endblock\s*%\}", src, re.S)
        body = m.group(1) if m else src
        body_html = rewrite_links(_clean_html(_jinja(body, tree)), _resolver)
        site.add(path, _title(src, path.strip("/") or "Zulip"), body_html, _description(src))

    # policies (MarkdownDirectoryView over templates/corporate/policies)
    pol = T + "corporate/policies/"
    index_links = []
    for p in sorted(tree.files(pol, (".md",))):
        name = p[len(pol) :].rsplit(".", 1)[0]
        if name in ("index", "sidebar_index", "missing"):  # index.md is a symlink to sidebar_index.md
            continue
        text = tree.read(p)
        title = re.search(r"^#\s+(.+)$", text, re.M)
        t = title.group(1).strip() if title else name.replace("-", " ").title()
        site.add(f"/policies/{name}/", t, rewrite_links(_markdown(text, tree), _policy_resolver(p)))
        index_links.append((name, t))
    index = pol + "sidebar_index.md"  # index.md is a symlink to it
    if tree.exists(index):
        body = rewrite_links(_markdown(tree.read(index), tree), _policy_resolver(index))
        site.add("/policies/", "Policies", body)
    dpa = "static/images/policies/Zulip-Data-Processing-Addendum.pdf"
    if tree.exists(dpa):
        site.extra_files["/" + dpa] = tree._git("show", f"{tree.commit}:{dpa}")

    site.nav = [
        ("Why Zulip", "/why-zulip/"),
        ("Features", "/features/"),
        ("Self-hosting", "/self-hosting/"),
        ("Security", "/security/"),
        ("Business", "/for/business/"),
        ("Education", "/for/education/"),
        ("Research", "/for/research/"),
        ("Events and conferences", "/for/events/"),
        ("Open source projects", "/for/open-source/"),
        ("Communities", "/for/communities/"),
        ("Pricing", "/plans/"),
        ("Development community", "/development-community/"),
    ]
    site.footer = [
        ("Home", "/"),
        ("Why Zulip", "/why-zulip/"),
        ("Features", "/features/"),
        ("Plans & pricing", "/plans/"),
        ("Self-hosting", "/self-hosting/"),
        ("Desktop & mobile apps", "/apps/"),
        ("Security", "/security/"),
        ("iDrift AS Company", "/case-studies/idrift/"),
        ("Technical University of Munich", "/case-studies/tum/"),
        ("University of California San Diego", "/case-studies/ucsd/"),
        ("Lean theorem prover community", "/case-studies/lean/"),
        ("Asciidoctor open-source community", "/case-studies/asciidoctor/"),
        ("Rust language community", "/case-studies/rust/"),
        ("Recurse Center", "/case-studies/recurse-center/"),
        ("Terms of Service", "/policies/terms/"),
        ("Privacy policy", "/policies/privacy/"),
        ("Blog", "https://blog.zulip.com/"),
        ("Team", "/team/"),
        ("History", "/history/"),
        ("Jobs", "/jobs/"),
        ("Website attributions", "/attribution/"),
        ("Sponsor Zulip", "https://github.com/sponsors/zulip"),
    ]
    site.link_children()
    return site


def _policy_resolver(source: str) -> Any:
    def resolve(href: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("#"):
            return _resolver(href)
        if href.startswith("/"):
            return _resolver(href)
        target, _, frag = href.partition("#")
        joined = posixpath.normpath(posixpath.join("/policies/", target))
        return page_path(joined) + (f"#{frag}" if frag else "")

    return resolve


__all__ = ["SOURCE", "build", "esc"]
