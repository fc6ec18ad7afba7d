"""Polarity: whether a supporting line affirms, denies or asserts nothing about what it mentions."""

from __future__ import annotations

import pytest

from dossier.research.read.polarity import polarity


@pytest.mark.parametrize(
    ("line", "word", "sign"),
    [
        ("We are SOC 2 Type II certified.", "SOC", 1),
        ("We are not SOC 2 certified at this time.", "SOC", -1),
        ("We are working towards SOC 2 and expect our report next year.", "SOC", -1),
        ("HIPAA: not applicable, we don't process health data.", "HIPAA", -1),
        ("Is Acme GDPR compliant?", "GDPR", 0),
        ("We no longer offer a free plan.", "free", -1),
        ("We previously used Salesforce, and moved to HubSpot in 2023.", "Salesforce", -1),
        ("We previously used Salesforce, and moved to HubSpot in 2023.", "HubSpot", 1),
        ("No current openings, but we'd love to hear from you.", "openings", -1),
        ("Free plan accounts that are inactive for 180 days may be deleted.", "Free", 1),
        ("We do not sell your personal data.", "sell", -1),
        ("We use no outside investors' money; we are bootstrapped.", "investors", -1),
        # A hedge that governs what follows it leaves what came before it stated.
        ("Maintained by the non-profit Acme Foundation, we aim to build an open platform.", "profit", 1),
        ("Maintained by the non-profit Acme Foundation, we aim to build an open platform.", "platform", -1),
        ("SOC 2: we plan to complete our audit next year.", "SOC", -1),
        ("ISO 27001 certification is in progress.", "ISO", -1),
        # What an opening "if" clause or a "please …" names is not what the main clause's "don't" denies.
        ("If you need help buying through AWS Marketplace, please don't hesitate to ask us.", "Marketplace", 1),
        ("We sell through AWS Marketplace, please don't email billing.", "Marketplace", 1),
        ("If you need SSO, it is not available on the Team plan.", "available", -1),
        # A word in quotes is a label or a phrase, not the thing; a "no-" compound is an adjective.
        ('New roles do NOT get a "Hiring" issue created for them.', "Hiring", 0),
        ("It maps 'frontend engineer' to 'web developer', no need for categories.", "engineer", 0),
        ("We build no-code tools for data engineers.", "engineers", 1),
        ("Acme is run by a not-for-profit foundation.", "profit", -1),
        # ...but a "not-" compound negates itself only, not the rest of its clause.
        ("Acme is a not-for-profit, community-driven free and open source project.", "free", 1),
        ("In future, we may consider obtaining ISO27001 certification.", "ISO", -1),
    ],
)
def test_polarity(line: str, word: str, sign: int) -> None:
    assert polarity(line, line.index(word))[0] == sign


def test_an_introduction_that_refuses_denies_its_list():
    from dossier.research.read.polarity import intro_denies

    assert intro_denies("Below are the criteria to reject any form of support:")
    assert intro_denies("We will not accept money from:")
    assert not intro_denies("We gladly accept donations from:")
    assert not intro_denies("We reject spam")  # no list follows a line that does not end with a colon


def test_a_thing_in_development_is_not_yet_there():
    line = "Offered on AWS and GCP, with Azure currently in development."
    assert polarity(line, line.index("Azure"))[0] == -1
    assert polarity("The EU region is under development.", 4)[0] == -1
    assert polarity(line, line.index("AWS"))[0] == 1  # another clause's
    # Development as a field of work hedges nothing.
    assert polarity("We are hiring engineers for roles in development and sales.", 7)[0] == 1
