"""dxw — UK digital agency; its public playbook (Jekyll) is the company's handbook site."""

from __future__ import annotations

from bench.realsites.render import GitTree, Site, Source, page_path, relative_md_resolver

SOURCE = Source(
    host="playbook.dxw.com",
    repo="dxw/playbook",
    commit="0c7fc5f8bde5bba127edaee94dbdde87ea259d6f",
    kind="agency / consultancy handbook (Jekyll)",
)


def build(tree: GitTree) -> Site:
    site = Site(host=SOURCE.host, name="dxw Playbook", lang="en-GB")

    def to_url(src: str) -> str:
        return page_path(src.removeprefix("src/"))

    for path in tree.files("src/", (".md",)):
        if "/_" in path:
            continue
        site.add_markdown(to_url(path), tree.read(path), resolve=relative_md_resolver(path, to_url))
    top = sorted(p for p in site.pages if p.count("/") == 2)
    site.nav = [(site.pages[p].title, p) for p in top]
    site.footer = [("dxw.com", "https://www.dxw.com/"), ("Contributing", "/contributing/")]
    site.link_children()
    return site
