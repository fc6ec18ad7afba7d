"""The crawl frontier: priorities order pages, never exclude them, and spread the budget over sections."""

from __future__ import annotations

from dossier.research.gather.frontier import Frontier, static_score


def _drain(f: Frontier) -> list[str]:
    out = []
    while (nxt := f.pop()) is not None:
        out.append(nxt[0].split("a.test", 1)[1])
    return out


def test_a_large_blog_cannot_crowd_out_legal_and_handbook_pages() -> None:
    f = Frontier()
    for i in range(200):
        f.offer(f"https://a.test/blog/post-{i}", 1)
    f.offer("https://a.test/", 0)
    f.offer("https://a.test/dpa", 1)
    f.offer("https://a.test/open", 2)
    f.offer("https://a.test/handbook/benefits/holiday", 3)
    order = _drain(f)
    assert len(order) == 204  # nothing is excluded
    first = order[:20]
    assert first[0] == "/"
    for page in ("/dpa", "/open", "/handbook/benefits/holiday"):
        assert page in first, first


def test_shorter_routes_and_key_pages_come_first() -> None:
    assert static_score("/pricing", 1) > static_score("/some/deep/page", 1)
    assert static_score("/careers/backend-engineer", 1) > static_score("/blog/hello-world", 1)
    assert static_score("/team", 1) > static_score("/team", 4)
    assert static_score("/de/pricing", 1) < static_score("/pricing", 1)
    assert static_score("/blog/tag/news", 1) < static_score("/blog/news", 1)


def test_a_page_offered_again_by_a_shorter_route_is_taken_once() -> None:
    f = Frontier()
    f.offer("https://a.test/x/y", 4)
    f.offer("https://a.test/x/y", 1)
    f.offer("https://a.test/x/y", 3)
    assert "https://a.test/x/y" in f
    assert f.pop() == ("https://a.test/x/y", 1)
    assert f.pop() is None


def test_careers_pages_in_other_languages_and_deep_support_and_plan_pages_rank_as_key_pages() -> None:
    assert static_score("/recrutement/", 1) == static_score("/careers/", 1)
    assert static_score("/karriere", 1) == static_score("/careers", 1)
    # A docs site's support terms and plan details sit a few folders deep, beside hundreds of reference pages.
    for deep in ("/docs/misc/support_and_sla/", "/docs/misc/plans_details/", "/deployments/regions/"):
        assert static_score(deep, 2) > static_score("/docs/misc/" + "reference-page", 2), deep


def test_a_handbooks_key_pages_a_few_folders_deep_come_before_its_other_pages() -> None:
    # A handbook keeps its history, values and pricing pages beside hundreds of process pages.
    for deep in ("/handbook/company/history/", "/handbook/values/", "/handbook/company/pricing/"):
        for other in ("/handbook/company/okrs/", "/handbook/people-group/onboarding/"):
            assert static_score(deep, 2) > static_score(other, 2), (deep, other)
    f = Frontier()
    for i in range(150):
        f.offer(f"https://a.test/handbook/people-group/process-{i}/", 2)
        f.offer(f"https://a.test/handbook/finance/procedure-{i}/", 2)
    f.offer("https://a.test/handbook/company/history/", 3)
    assert "/handbook/company/history/" in _drain(f)[:40]
