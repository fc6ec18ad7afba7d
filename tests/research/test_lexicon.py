"""The lexicon's tokens: what a question's word and a page's word have to share to match."""

from __future__ import annotations

from dossier.research.lexicon import stem, tokens


def test_a_hyphenated_word_also_counts_as_the_one_word_it_is_written_as_elsewhere():
    assert stem("nonprofit") in tokens("ZSF is a 501(c)(3) non-profit corporation.")
    assert stem("email") in tokens("Send us an e-mail.")
    # Its parts still count on their own, and words without a hyphen are left as they are.
    assert {stem("non"), stem("profit")} <= set(tokens("a non-profit"))
    assert tokens("open source software") == [stem("open"), stem("source"), stem("software")]
