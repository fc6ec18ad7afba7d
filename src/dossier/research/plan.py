"""Classify a question into a family: which analyzers own it."""

from __future__ import annotations

import re

FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    (
        "compliance",
        re.compile(
            r"\b(soc ?2|iso ?27001|iso|gdpr|hipaa|pci|ccpa|fedramp|complian\w*|certif\w*|baa|"
            r"(safety|security|industry) standards?|conform\w*)\b",
            re.I,
        ),
    ),
    (
        "hiring",
        re.compile(
            r"\b(hiring|hire|open (roles?|positions?|jobs?)|job openings?|openings|vacanc\w+|recruit\w*|"
            r"sdrs?|bdrs?|roles? (are|do) they|positions|job postings?|jobs? (are|is) (open|available|listed))\b",
            re.I,
        ),
    ),
    ("headcount", re.compile(r"\b(employees|headcount|team size|how many people|staff|work(s|ing)? (at|for))\b", re.I)),
    ("funding", re.compile(r"\b(rais\w*|funding|funded|round|investors?|series [a-h]|seed|valuation|backed)\b", re.I)),
    (
        "integrations",
        re.compile(
            r"\b(integrat\w*|connects? (to|with)|works? with|plug-?ins?|connectors?|(distribution|channel) partners?)\b",
            re.I,
        ),
    ),
    ("url", re.compile(r"\b(url|link|page|linkedin|twitter|github|where can i find)\b", re.I)),
    (
        "pricing",
        re.compile(
            r"\b(pric\w*|cost\w*|plans?|tiers?|subscription|discount|free trial|free plan|per month|"
            r"how much|cheapest|expensive|shipping|returns?)\b",
            re.I,
        ),
    ),
    (
        "people",
        re.compile(
            r"\b(ceo|cto|cfo|coo|cro|cmo|founders?|who (is|are|leads|runs|heads|manages|oversees)|leadership|executives?|"
            r"who (co-?)?founded|founded by|heads? up|in charge of|"
            r"head of|vp|chief|medical officer)\b",
            re.I,
        ),
    ),
    ("location", re.compile(r"\b(headquarter\w*|hq|located|based|offices?|city|country)\b", re.I)),
    (
        "customers",
        re.compile(
            r"\b(customers?|clients?|case stud\w+|logos?|brands? they|(brands|companies|organi[sz]ations) (have|did) they|"
            r"worked (with|for)|portfolio)\b",
            re.I,
        ),
    ),
    (
        "tech",
        re.compile(
            r"\b(use|uses|using|used|built (with|on)|runs? on|platform|tools?|crm|cms|analytics|stack|"
            r"provider|hosting|hosted|framework|installed|software|e-?commerce|chat|email|tag manager|"
            r"marketing automation|payments?|cdn|technolog\w+)\b",
            re.I,
        ),
    ),
    ("product", re.compile(r"\b(what does|product|do they do|offer|sell|solution|service)\b", re.I)),
]


_NAMED_STANDARD = re.compile(r"\b(soc ?2|iso|gdpr|hipaa|pci|ccpa|fedramp|baa)\b", re.I)
_WHO_FOUNDED = re.compile(r"\bwho (co-?)?founded\b|\bfounded by\b|\bfounders?\b", re.I)


def classify(question: str) -> str:
    if _WHO_FOUNDED.search(question) and not re.search(r"\b(year|when)\b", question, re.I):
        return "people"
    patterns = dict(FAMILIES)
    # "certified connectors", "certified partners": a list of integrations, not a compliance claim.
    if patterns["integrations"].search(question) and not _NAMED_STANDARD.search(question):
        if patterns["compliance"].search(question):
            return "integrations"
    for family, pattern in FAMILIES:
        if pattern.search(question):
            return family
    return "other"
