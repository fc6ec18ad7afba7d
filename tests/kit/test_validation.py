from __future__ import annotations

from dossier.kit.validation import MAX_PROFILE_KEY_BYTES, person_profile_key, profile_key, sales_navigator_lead


def test_profile_key_normalises_scheme_host_query_and_trailing_slash():
    assert profile_key("https://www.LinkedIn.com/in/jdoe/?x=1#top") == "linkedin.com/in/jdoe"
    assert profile_key("http://linkedin.com/in/jdoe") == profile_key("linkedin.com/in/jdoe/")


def test_a_key_over_the_limit_is_a_digest_that_still_compares_equal():
    path = "\u00e9" * (MAX_PROFILE_KEY_BYTES // 2)  # two bytes each: with the host, over the limit
    key = profile_key(f"https://www.people.test/in/{path}/?ref=x")
    assert key.startswith("#sha256:") and len(key) == len("#sha256:") + 64
    assert key == profile_key(f"http://people.test/in/{path}")
    assert key != profile_key(f"https://people.test/in/{path}x")
    at_limit = "a" * (MAX_PROFILE_KEY_BYTES - len("people.test/"))
    assert profile_key(f"https://people.test/{at_limit}") == f"people.test/{at_limit}"


def test_sales_navigator_urls_of_one_lead_share_a_person_key():
    lead = "https://www.linkedin.com/sales/lead/ACwAAB3xYz9Qk,NAME_SEARCH,k7Qp?_ntb=abc"
    assert sales_navigator_lead(lead) == "ACwAAB3xYz9Qk"  # member ids are case-sensitive: kept as written
    assert person_profile_key(lead) == "linkedin.com/sales/lead/ACwAAB3xYz9Qk"
    assert person_profile_key(
        "http://linkedin.com/sales/people/ACwAAB3xYz9Qk,OUT_OF_NETWORK,zz9"
    ) == person_profile_key(lead)
    assert person_profile_key("https://www.linkedin.com/sales/lead/ACwAAB3xYz9QK") != person_profile_key(lead)
    # Not a lead: the ordinary profile key.
    assert sales_navigator_lead("https://www.linkedin.com/in/jdoe/") is None
    assert sales_navigator_lead("https://example.test/sales/lead/ACwAAB3xYz9Qk") is None
    assert person_profile_key("https://www.LinkedIn.com/in/jdoe/") == profile_key("https://www.LinkedIn.com/in/jdoe/")
