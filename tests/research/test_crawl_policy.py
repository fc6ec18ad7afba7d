"""Crawl policy end to end, over real HTTP, on a site laid out like real ones: a handbook whose facts are
three links deep, a sitemap full of blog posts, legal pages linked only from deep pages, and a budget that
leaves pages for question-directed fetches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dossier.kit.dns import Resolver
from dossier.kit.http import GuardedClient
from dossier.research import repository
from dossier.research.engine import ResearchEngine, policy_from
from tests.fixtures.servers import FixtureDNS, SiteProxy


@pytest.fixture(scope="module")
def proxy() -> Iterator[SiteProxy]:
    with SiteProxy() as p:
        yield p


@pytest.fixture(scope="module")
def dns() -> Iterator[FixtureDNS]:
    with FixtureDNS() as d:
        yield d


def _page(title: str, body: str, links: list[tuple[str, str]] = ()) -> bytes:  # type: ignore[assignment]
    nav = "".join(f'<a href="{href}">{text}</a>' for href, text in links)
    return (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a><a href='/blog/'>Blog</a></nav>"
        f"<main><h1>{title}</h1>{body}{nav}</main></body></html>"
    ).encode()


def _site(posts: int, host: str = "deep.test") -> dict[str, bytes]:
    files = {
        "/robots.txt": f"User-agent: *\nAllow: /\nSitemap: https://{host}/sitemap.xml\n".encode(),
        "/": _page("Deep Co", "<p>We make field-service software.</p>", [("/handbook/", "Our handbook")]),
        "/handbook/": _page("Handbook", "<p>How we work.</p>", [("/handbook/people/", "People")]),
        "/handbook/people/": _page(
            "People",
            "<p>Everything about working here.</p>",
            [("/handbook/people/benefits/", "Benefits"), ("/handbook/people/parental-leave/", "Parental leave policy")],
        ),
        "/handbook/people/benefits/": _page(
            "Benefits",
            "<h2>Holiday</h2><p>Everyone gets 27 days of paid holiday a year, plus public holidays.</p>",
            [("/dpa/", "Data processing agreement")],
        ),
        "/handbook/people/parental-leave/": _page(
            "Parental leave", "<p>Birth parents get 26 weeks of parental leave at full pay.</p>"
        ),
        "/dpa/": _page("DPA", "<p>Our subprocessors are listed in Annex 2.</p>"),
        "/blog/": _page("Blog", "<p>News.</p>", [(f"/blog/post-{i}/", f"Post {i}") for i in range(posts)]),
    }
    for i in range(posts):
        files[f"/blog/post-{i}/"] = _page(f"Post {i}", f"<p>Release notes number {i}.</p>")
    urls = "".join(f"<url><loc>https://{host}/blog/post-{i}/</loc></url>" for i in range(posts))
    files["/sitemap.xml"] = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>https://{host}/</loc></url>{urls}</urlset>"
    ).encode()
    return files


def _engine(backend, db, proxy, dns, **settings_update) -> ResearchEngine:  # type: ignore[no-untyped-def]
    settings = backend.settings.model_copy(
        update={
            "dns_nameservers": dns.nameserver,
            "allow_private_networks": dns.site_network,
            "fetch_timeout_seconds": 3.0,
            "crawl_max_delay_seconds": 0.0,
            "crawl_ttl_seconds": 0.0,
            **settings_update,
        }
    )
    resolver = Resolver.from_setting(dns.nameserver)
    return ResearchEngine(
        db, settings, client=GuardedClient(policy_from(settings), resolver, env=proxy.env()), resolver=resolver
    )


async def test_links_are_followed_from_every_page_and_a_blog_does_not_eat_the_budget(backend, db, proxy, dns):
    proxy.add_host("deep.test", _site(posts=120))
    eng = _engine(backend, db, proxy, dns, crawl_max_pages=25)
    try:
        crawl_id = await eng.crawl("deep.test")
        urls = {u.split("deep.test", 1)[1] for u in await db.read(lambda c: repository.crawl_page_urls(c, crawl_id))}
        assert len(urls) <= 25  # the page budget holds
        # three links deep, and only linked from pages other than the homepage or the sitemap
        assert {"/handbook/", "/handbook/people/", "/handbook/people/benefits/", "/dpa/"} <= urls
        assert sum(1 for u in urls if u.startswith("/blog/post-")) < 20
    finally:
        await eng.aclose()
        proxy.remove_host("deep.test")


async def test_a_weak_answer_fetches_pages_chosen_for_the_question(backend, db, proxy, dns):
    proxy.add_host("deeper.test", _site(posts=10, host="deeper.test"))
    # A budget that stops before the parental-leave page: only the question can bring it in.
    eng = _engine(backend, db, proxy, dns, crawl_max_pages=6, crawl_ttl_seconds=3600.0)
    try:
        crawl_id = await eng.crawl("deeper.test")
        before = await db.read(lambda c: repository.crawl_page_urls(c, crawl_id))
        assert not any("parental-leave" in u for u in before), before
        result = await eng.ask("deeper.test", "How many weeks of parental leave do birth parents get?", "number")
        assert any("parental-leave" in u for u in result.pages_read), (before, result.pages_read, result.reasoning)
        after = await db.read(lambda c: repository.crawl_page_urls(c, result.crawl_id))
        assert any("parental-leave" in u for u in after)  # kept in the crawl for later questions
        assert result.answer == {"type": "number", "number": {"value": 26}}, result.reasoning
        assert any("parental-leave" in e["url"] for e in result.evidence)
    finally:
        await eng.aclose()
        proxy.remove_host("deeper.test")
