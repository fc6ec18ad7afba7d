from __future__ import annotations

from dossier.kit.validation import MAX_PROFILE_KEY_BYTES, profile_key


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
