"""Answer a typed question from stored documents, deterministically (no LLM).

A question is classified into a family; the family's analyzers produce findings that quote their
documents; the answer type decides how findings become a value. What cannot be supported by a finding
is not said: in `strict` mode the answer is null and the reasoning says what was looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jsonschema

from dossier.research import plan
from dossier.research.analyze import facts, fingerprints, lists, quantities, structure
from dossier.research.analyze.retrieval import PassageIndex
from dossier.research.analyze.text import PERCENT, YEAR, money_values, sentences, tokens
from dossier.research.document import Document
from dossier.research.evidence import Finding

ENVELOPE_KEYS = {
    "open_text": "openText", "number": "number", "boolean": "boolean", "list": "list", "percentage": "percentage",
    "currency": "currency", "url": "url", "json_schema": "jsonSchema",
}  # fmt: skip


@dataclass
class Result:
    value: Any  # None: not established
    findings: list[Finding] = field(default_factory=list)
    confidence: float = 0.0
    reasoning: str = ""
    inferred: bool = False  # lenient-only conclusions (absence taken as a "no", a weak guess)


@dataclass
class Context:
    domain: str
    docs: list[Document]
    mode: str
    _cache: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str, fn: Callable[[], Any]) -> Any:
        if name not in self._cache:
            self._cache[name] = fn()
        return self._cache[name]

    @property
    def pages(self) -> list[Document]:
        return [d for d in self.docs if d.kind == "page"]

    def technologies(self) -> dict[str, Finding]:
        def run() -> dict[str, Finding]:
            best: dict[str, Finding] = {}
            for doc in self.docs:
                for f in fingerprints.detect(doc):
                    if f.value not in best or f.strength > best[f.value].strength:
                        best[f.value] = f
            return best

        return self.get("tech", run)

    def entries(self) -> list[structure.Entry]:
        return self.get("entries", lambda: structure.all_entries(self.docs))

    def index(self) -> PassageIndex:
        return self.get("index", lambda: PassageIndex(self.docs))

    def looked_at(self) -> str:
        pages = len(self.pages)
        extra = [k for k in ("dns", "jobboard") if any(d.kind == k for d in self.docs)]
        more = (
            f" plus {' and '.join('DNS records' if k == 'dns' else 'job-board data' for k in extra)}" if extra else ""
        )
        return f"{pages} page{'s' if pages != 1 else ''} of {self.domain}{more}"


# --- tech ---------------------------------------------------------------------------------------------------------

CATEGORY_TERMS: list[tuple[re.Pattern[str], set[str]]] = [
    (re.compile(r"\bcrm\b", re.I), {"crm"}),
    (re.compile(r"marketing automation|email marketing|marketing platform", re.I), {"marketing_automation"}),
    (
        re.compile(r"analytics|tracking|measure", re.I),
        {"analytics", "session_replay", "tag_manager", "customer_data_platform"},
    ),
    (re.compile(r"tag manag", re.I), {"tag_manager"}),
    (re.compile(r"\bcms\b|content management|website builder|site builder", re.I), {"cms"}),
    (re.compile(r"e-?commerce|online store|storefront", re.I), {"ecommerce"}),
    (re.compile(r"\bemail\b|mail provider|inbox", re.I), {"email_provider"}),
    (re.compile(r"chat|support|help ?desk|live-chat", re.I), {"chat_support"}),
    (re.compile(r"host|cdn|cloud", re.I), {"hosting_cdn"}),
    (re.compile(r"framework|built with|javascript", re.I), {"framework"}),
    (re.compile(r"payment|checkout|billing", re.I), {"payments"}),
    (re.compile(r"a/b|experiment|feature flag", re.I), {"ab_testing"}),
    (re.compile(r"schedul|calendar|book(ing)? (a )?(demo|meeting)", re.I), {"calendar_scheduling"}),
    (re.compile(r"\bsso\b|identity|single sign", re.I), {"identity"}),
    (re.compile(r"consent|cookie", re.I), {"consent"}),
    (re.compile(r"advertis|pixel|\bads\b|retarget", re.I), {"advertising"}),
    (re.compile(r"intent|abm|account-based|de-?anonym", re.I), {"intent_data"}),
    (re.compile(r"session replay|heatmap|recording", re.I), {"session_replay"}),
    (re.compile(r"\bcdp\b|customer data", re.I), {"customer_data_platform"}),
    (re.compile(r"review", re.I), {"other"}),
]


def named_technologies(question: str) -> list[fingerprints.Technology]:
    q = question.lower()
    found = []
    for tech in fingerprints.technologies():
        names = [tech.name.lower(), *tech.aliases]
        if any(re.search(r"(?<![\w-])" + re.escape(n) + r"(?![\w-])", q) for n in names if len(n) >= 3):
            found.append(tech)
    # "Google Analytics" asked: do not also count "Google Tag Manager" style partial products.
    return found


def question_categories(question: str) -> set[str]:
    cats: set[str] = set()
    for pattern, names in CATEGORY_TERMS:
        if pattern.search(question):
            cats |= names
    return cats


def answer_tech(q: str, answer_type: str, ctx: Context) -> Result:
    detected = ctx.technologies()
    named = named_technologies(q)
    if named and answer_type in ("boolean", "open_text", "list"):
        hits = [detected[t.name] for t in named if t.name in detected]
        if answer_type == "boolean":
            if hits:
                f = max(hits, key=lambda x: x.strength)
                return Result(True, [f], f.strength, f"{f.value} is in use: {f.url} shows {_short(f.quote)!r}.")
            missing = ", ".join(t.name for t in named)
            return Result(False, [], 0.35, f"No trace of {missing} in {ctx.looked_at()}.", inferred=True)
    cats = question_categories(q)
    chosen = [f for f in detected.values() if not cats or _tech_categories(f.value) & cats]
    chosen.sort(key=lambda f: (-f.strength, f.value))
    if not chosen and answer_type == "list":
        enum = _enumerated(q, ctx)
        if enum is not None:
            return enum
    if not chosen:
        what = ", ".join(sorted(cats)) if cats else "any technology"
        return Result(None, [], 0.0, f"No fingerprint of {what.replace('_', ' ')} in {ctx.looked_at()}.")
    if answer_type == "boolean":
        return Result(True, chosen[:3], chosen[0].strength, f"Found {', '.join(f.value for f in chosen[:3])}.")
    names: list[str] = [str(f.value) for f in chosen]
    conf = sum(f.strength for f in chosen) / len(chosen)
    reasoning = "Detected " + "; ".join(f"{f.value} ({_short(f.quote)!r} on {f.url})" for f in chosen[:6]) + "."
    value: Any = names if answer_type == "list" else (names[0] if len(names) == 1 else ", ".join(names))
    return Result(value, chosen, conf, reasoning)


def _tech_categories(name: str) -> frozenset[str]:
    tech = fingerprints.by_name().get(name.lower())
    return tech.categories if tech else frozenset()


# --- hiring -------------------------------------------------------------------------------------------------------

ROLE_FILTERS: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"\bsdrs?\b|sales development", re.I), re.compile(r"sales development|\bsdr\b", re.I)),
    (re.compile(r"\bbdrs?\b|business development", re.I), re.compile(r"business development|\bbdr\b", re.I)),
    (re.compile(r"account executives?|\baes?\b", re.I), re.compile(r"account executive", re.I)),
    (re.compile(r"engineer", re.I), re.compile(r"engineer|developer|\bsre\b", re.I)),
    (
        re.compile(r"\bsales\b", re.I),
        re.compile(r"sales|account (executive|manager)|\bsdr\b|business development", re.I),
    ),
    (re.compile(r"marketing", re.I), re.compile(r"marketing|growth|content", re.I)),
    (re.compile(r"design", re.I), re.compile(r"design", re.I)),
    (re.compile(r"product", re.I), re.compile(r"product", re.I)),
    (re.compile(r"customer|support|success", re.I), re.compile(r"customer|support|success|experience", re.I)),
]


def _job_matcher(q: str) -> re.Pattern[str] | None:
    for ask, match in ROLE_FILTERS:
        if ask.search(q):
            return match
    return None


def answer_hiring(q: str, answer_type: str, ctx: Context) -> Result:
    if answer_type == "url":
        return answer_url(q + " careers", answer_type, ctx)
    jobs: list[Finding] = ctx.get("jobs", lambda: facts.jobs(ctx.docs, ctx.domain))
    matcher = _job_matcher(q)

    def matches(f: Finding) -> bool:
        if matcher is None:
            return True
        v = f.value
        return bool(matcher.search(v["title"]) or (v.get("department") and matcher.search(str(v["department"]))))

    chosen = [f for f in jobs if matches(f)]
    if not jobs:
        statements = facts.not_hiring(ctx.pages)
        if statements:
            f = statements[0]
            if answer_type == "boolean":
                return Result(False, [f], f.strength, f"The site says: {_short(f.quote)!r}.")
            if answer_type == "number":
                return Result(0, [f], f.strength * 0.9, f"The site says: {_short(f.quote)!r}.")
            if answer_type == "list":
                return Result([], [f], f.strength * 0.9, f"The site says: {_short(f.quote)!r}.")
        return Result(None, [], 0.0, f"No job postings or careers listing found in {ctx.looked_at()}.")
    source = "job board" if any(f.doc.kind == "jobboard" for f in jobs) else "careers page"
    if answer_type == "boolean":
        if chosen:
            shown = ", ".join(f.value["title"] for f in chosen[:4])
            return Result(True, chosen[:4], 0.9, f"The {source} lists {len(chosen)} matching opening(s): {shown}.")
        return Result(False, jobs[:1], 0.6, f"The {source} lists {len(jobs)} openings and none match.", inferred=False)
    if answer_type == "number":
        return Result(
            len(chosen),
            chosen or jobs[:1],
            0.8,
            f"Counted {len(chosen)} matching openings among {len(jobs)} on the {source}.",
        )
    titles: list[str] = list(dict.fromkeys(str(f.value["title"]) for f in chosen))
    value: Any = titles if answer_type == "list" else "; ".join(titles)
    return Result(value, chosen, 0.85 if chosen else 0.5, f"{len(titles)} matching openings on the {source}.")


# --- numbers about the company ------------------------------------------------------------------------------------


def _best(findings: list[Finding]) -> Finding | None:
    if not findings:
        return None
    # Agreement between documents strengthens a value.
    counts: dict[Any, int] = {}
    for f in findings:
        counts[str(f.value)] = counts.get(str(f.value), 0) + 1
    return max(findings, key=lambda f: (f.strength + 0.05 * counts[str(f.value)], -len(f.quote)))


def answer_headcount(q: str, answer_type: str, ctx: Context) -> Result:
    f = _best(ctx.get("headcount", lambda: facts.headcount(ctx.pages)))
    if f is None:
        return Result(None, [], 0.0, f"No statement of employee count in {ctx.looked_at()}.")
    n = int(f.value)
    value: Any = n if answer_type in ("number", "percentage") else f"About {n:,} employees"
    return Result(value, [f], f.strength, f"{f.url} says: {_short(f.quote)!r}.")


def _stage_rank(stage: str | None) -> int:
    if not stage:
        return -1
    order = ["Pre-seed", "Seed"] + [f"Series {c}" for c in "ABCDEFGH"]
    return order.index(stage) if stage in order else -1


_TOTAL_ASKED = re.compile(r"\b(total|to date|in all|altogether|overall|cumulative|so far)\b", re.I)


def latest_round(ctx: Context, q: str = "") -> tuple[dict[str, Any], list[Finding]] | None:
    """The most recent round (or the round the question names), its details merged across the pages that state it."""
    found: list[Finding] = ctx.get("funding", lambda: facts.funding(ctx.pages))
    rounds = [f for f in found if not f.value.get("total")]
    asked = facts.STAGE.search(q)
    if asked:
        rounds = [f for f in rounds if f.value["stage"] == facts._stage_name(asked.group(1))]
    if not rounds:
        return None
    latest = max(
        rounds, key=lambda f: (_stage_rank(f.value["stage"]), f.value.get("year") or 0, f.value["value"], f.strength)
    )
    same = [
        f
        for f in rounds
        if f.value["value"] == latest.value["value"] and f.value["stage"] in (latest.value["stage"], None)
    ]
    merged = dict(latest.value)
    evidence = [latest]
    for key in ("lead", "year", "stage"):
        if merged.get(key) is None:
            donor = next((f for f in same if f.value.get(key) is not None), None)
            if donor is not None:
                merged[key] = donor.value[key]
                if donor not in evidence:
                    evidence.append(donor)
    if merged.get("year") is None:
        for f in same:
            if re.search(r"\b(today|announc\w*|this week)\b", f.quote, re.I):
                dated = facts.dateline(f.doc)
                if dated:
                    merged["year"] = dated[0]
                    evidence.append(Finding("date", dated[0], dated[1], f.doc, 0.8))
                    break
    return merged, evidence


def answer_funding(q: str, answer_type: str, ctx: Context) -> Result:
    found: list[Finding] = ctx.get("funding", lambda: facts.funding(ctx.pages))
    if not found:
        return Result(None, [], 0.0, f"No funding announcement found in {ctx.looked_at()}.")
    if _TOTAL_ASKED.search(q) and answer_type in ("currency", "number", "open_text"):
        totals = [f for f in found if f.value.get("total")]
        if not totals:
            return Result(None, [], 0.0, f"No total amount raised is stated in {ctx.looked_at()}.")
        best = max(totals, key=lambda f: f.value["value"])
        v = best.value
        why = f"{best.url} says: {_short(best.quote)!r}."
        if answer_type == "currency":
            return Result({"value": v["value"], "currency": v["currency"]}, [best], best.strength, why)
        if answer_type == "number":
            return Result(v["value"], [best], best.strength, why)
        return Result(f"{_money(v['value'], v['currency'])} in total", [best], best.strength, why)
    picked = latest_round(ctx, q)
    if picked is None:
        return Result(None, [], 0.0, f"No funding round matching the question in {ctx.looked_at()}.")
    v, evidence = picked
    latest = evidence[0]
    why = f"{latest.url} says: {_short(latest.quote)!r}."
    if answer_type == "currency":
        return Result({"value": v["value"], "currency": v["currency"]}, evidence[:1], latest.strength, why)
    if answer_type == "number":
        if re.search(r"\byear\b|\bwhen\b", q, re.I):
            if v.get("year") is None:
                return Result(None, [], 0.0, f"The round's year is not stated: {why}")
            return Result(v["year"], evidence, latest.strength * 0.9, why)
        return Result(v["value"], evidence[:1], latest.strength, why)
    if re.search(r"\bled\b|investor", q, re.I):
        if not v["lead"]:
            return Result(None, [], 0.0, f"The announcement does not name a lead investor: {why}")
        return Result(v["lead"], evidence, latest.strength * 0.9, why)
    if re.search(r"\b(stage|round|series)\b", q, re.I) and v["stage"] and not re.search(r"how much|amount", q, re.I):
        return Result(v["stage"], evidence[:1], latest.strength, why)
    text = f"{v['stage'] + ' ' if v['stage'] else ''}round of {_money(v['value'], v['currency'])}"
    if v["lead"]:
        text += f" led by {v['lead']}"
    return Result(text, evidence, latest.strength, why)


def _money(value: float, code: str) -> str:
    sym = {"USD": "$", "EUR": "€", "GBP": "£"}.get(code, code + " ")
    if value >= 1e6:
        return f"{sym}{value / 1e6:g} million"
    return f"{sym}{value:,.2f}".replace(".00", "")


_MONEY_WORDS = re.compile(r"\b(price\w*|fees?|cost\w*|usd|eur|gbp|charge\w*|budget)\b|[$€£]", re.I)
_PERCENT_WORDS = re.compile(r"\b(percent\w*|pct|share|rate)\b|%", re.I)


def answer_entry(
    q: str, answer_type: str, ctx: Context, named_from: str | None = None, require_column: bool = False
) -> Result | None:
    """A value from a table cell, definition list or 'Label: value' entry whose labels name what `q` asks."""
    found = ctx.entries()
    if answer_type == "currency":
        unit = "money"
    elif answer_type == "percentage":
        unit = "%"
    elif _MONEY_WORDS.search(q):
        unit = "money"
    elif _PERCENT_WORDS.search(q):
        unit = "%"
    else:
        unit = ""
    named = structure.columns_named(named_from if named_from is not None else q, found)
    if require_column and not named:
        return None
    hit = structure.lookup(q, found, unit, lists.own_names(ctx.domain), named)
    if hit is None:
        return None
    entry, value, code, conf = hit
    where = f"{entry.column}, " if entry.column else ""
    why = f"{entry.doc.url}: {where}{entry.label!r} is {entry.value!r}."
    number: Any = int(value) if float(value).is_integer() else value
    if answer_type == "currency":
        return Result({"value": value, "currency": code}, structure.findings(entry, value, conf), conf, why)
    return Result(number, structure.findings(entry, value, conf), conf, why)


def answer_pricing(q: str, answer_type: str, ctx: Context) -> Result:
    prices: list[Finding] = ctx.get("pricing", lambda: facts.pricing(ctx.pages))
    if answer_type == "url":
        return answer_url(q, answer_type, ctx)
    if answer_type == "percentage" or re.search(r"discount|save|\boff\b", q, re.I):
        if not re.search(r"discount|save|\boff\b|annual|yearly", q, re.I):
            return answer_retrieval(q, answer_type, ctx)
        return answer_percentage_near(q, ctx, prefer=r"annual|yearly|year")
    if answer_type == "boolean" and re.search(r"free", q, re.I):
        free = [f for f in prices if f.value["value"] == 0 or (f.value["plan"] or "").lower().startswith("free")]
        if free:
            return Result(True, free[:1], 0.85, f"{free[0].url} lists {_short(free[0].quote)!r}.")
        free_lines = [
            Finding("free", True, s, d, 0.7)
            for d in ctx.pages
            if re.search(r"pric|plans", d.path)
            for s in sentences(d.text)
            if re.search(r"\bfree (plan|tier|forever)\b", s, re.I)
        ]
        denied = [
            f
            for f in free_lines
            if re.search(
                r"\b(no|not|don[\u2019']t|do not|doesn[\u2019']t|does not|never)\b[^.]{0,30}\bfree (plan|tier)",
                f.quote,
                re.I,
            )
        ]
        if denied:
            f = denied[0]
            return Result(False, [f], 0.8, f"{f.url} says {_short(f.quote)!r}.")
        if free_lines:
            return Result(True, free_lines[:1], 0.7, f"{free_lines[0].url} says {_short(free_lines[0].quote)!r}.")
        if prices:
            return Result(False, prices[:2], 0.55, f"The pricing page lists only paid plans ({len(prices)} prices).")
        return Result(None, [], 0.0, f"No pricing found in {ctx.looked_at()}.")
    paid = [f for f in prices if f.value["value"] > 0]
    if answer_type == "list":
        names = list(dict.fromkeys(f.value["plan"] for f in prices if f.value["plan"]))
        if not names:
            return Result(None, [], 0.0, f"No plan names found in {ctx.looked_at()}.")
        return Result(
            names, [f for f in prices if f.value["plan"]], 0.8, f"Plans on the pricing page: {', '.join(names)}."
        )
    if not re.search(r"pric|cost|cheap|expensive|plan|tier|subscri|fee|pay|charge|how much|budget", q, re.I):
        return answer_retrieval(q, answer_type, ctx)  # shipping and returns: a figure, not a price list
    if not paid or re.search(r"\bproducts?\b|\bitems?\b|\bsell\b", q, re.I):
        goods: list[Finding] = ctx.get("products", lambda: facts.products(ctx.pages))
        if goods and answer_type in ("currency", "number", "open_text"):
            chosen = (
                max(goods, key=lambda f: f.value["value"])
                if re.search(r"expensive|highest|most", q, re.I)
                else min(goods, key=lambda f: f.value["value"])
            )
            g = chosen.value
            why = f"{chosen.url} lists {_short(chosen.quote)!r}; {len(goods)} product pages compared."
            conf = 0.7 if len(goods) >= 3 else 0.55  # only the product pages that were fetched are compared
            if answer_type == "currency":
                return Result({"value": g["value"], "currency": g["currency"]}, [chosen], conf, why)
            if answer_type == "number":
                return Result(g["value"], [chosen], conf, why)
            return Result(f"{g['name']}: {_money(g['value'], g['currency'])}", [chosen], conf, why)
    if answer_type in ("currency", "number"):
        cell = answer_entry(q, answer_type, ctx, require_column=True)
        if cell is not None:
            return cell
    if not paid:
        return answer_retrieval(q, answer_type, ctx)
    plan_prices = [f for f in paid if f.value.get("standalone")] or paid
    pick = (
        max(plan_prices, key=lambda f: f.value["value"])
        if re.search(r"expensive|highest|most", q, re.I)
        else min(plan_prices, key=lambda f: (not f.value["monthly"], f.value["value"]))
    )
    v = pick.value
    why = f"{pick.url}: {_short(pick.quote)!r}."
    if answer_type == "currency":
        return Result({"value": v["value"], "currency": v["currency"]}, [pick], pick.strength, why)
    if answer_type == "number":
        return Result(v["value"], [pick], pick.strength, why)
    return Result(
        f"{v['plan'] + ': ' if v['plan'] else ''}{_money(v['value'], v['currency'])}", [pick], pick.strength, why
    )


# --- compliance, integrations, customers ------------------------------------------------------------------------


def answer_compliance(q: str, answer_type: str, ctx: Context) -> Result:
    claims: list[Finding] = ctx.get("compliance", lambda: facts.compliance(ctx.pages))
    asked = [name for name, pattern in facts.COMPLIANCE.items() if pattern.search(q)]
    if answer_type == "boolean" and asked:
        relevant = [f for f in claims if f.value[0] in asked]
        type_asked = re.search(r"type (ii|2|i|1)\b", q, re.I)
        if type_asked:
            want = type_asked.group(1).lower() in ("ii", "2")
            relevant = [
                f for f in relevant if re.search(r"type (ii|2)\b" if want else r"type (i|1)\b(?! ?i)", f.quote, re.I)
            ]
        negative = [f for f in relevant if not f.value[1]]
        positive = [f for f in relevant if f.value[1]]
        if negative and len(negative) >= len(positive):
            return Result(False, negative[:1], 0.85, f"{negative[0].url} says: {_short(negative[0].quote)!r}.")
        if positive:
            return Result(True, positive[:2], 0.9, f"{positive[0].url} says: {_short(positive[0].quote)!r}.")
        return Result(False, [], 0.3, f"No mention of {', '.join(asked)} in {ctx.looked_at()}.", inferred=True)
    if answer_type in ("list", "open_text") and re.search(r"\bstandards?\b|\bconform", q, re.I):
        r_std = _standards_answer(q, answer_type, ctx)
        if r_std is not None:
            return r_std
    positive = [f for f in claims if f.value[1]]
    if re.search(r"certif|accredit", q, re.I):
        positive = [f for f in positive if f.value[0] not in facts.REGULATIONS or f.value[0] in asked]
    if not positive:
        return Result(None, [], 0.0, f"No compliance claims found in {ctx.looked_at()}.")
    by_name: dict[str, Finding] = {}
    for f in positive:
        by_name.setdefault(f.value[0], f)
    names = [_compliance_label(f) for f in by_name.values()]
    value: Any = names if answer_type == "list" else ", ".join(names)
    if answer_type == "boolean":
        value = True
    return Result(value, list(by_name.values()), 0.85, "Claims found: " + ", ".join(names) + ".")


def _standards_answer(q: str, answer_type: str, ctx: Context) -> Result | None:
    """Standards named by number in the lines the question's words introduce ("conforms to ISO 3691-4, UL 3100")."""
    wanted = [t for t in quantities.terms(q, lists.own_names(ctx.domain)) if not t.startswith("~")]
    wanted = [t for t in wanted if t not in ("standar", "which")]
    best: tuple[int, int, list[str], str, Document] | None = None
    for ids, before, run, doc in facts.standards_runs(ctx.pages):
        words = quantities._stems(before + " " + run)
        hits = len([t for t in wanted if quantities._match(t, words)])
        if hits and (best is None or (hits, len(ids)) > (best[0], best[1])):
            best = (hits, len(ids), ids, run, doc)
    if best is None:
        return None
    _, _, ids, run, doc = best
    conf = 0.8 if best[0] >= 2 else 0.6
    value: Any = ids if answer_type == "list" else ", ".join(ids)
    return Result(value, [Finding("standards", ids, run, doc, conf)], conf, f"{doc.url} lists {_short(run)!r}.")


def _compliance_label(f: Finding) -> str:
    name = f.value[0]
    m = re.search(r"type (ii|2|i|1)\b", f.quote, re.I) if name == "SOC 2" else None
    if m:
        return "SOC 2 Type " + ("II" if m.group(1).lower() in ("ii", "2") else "I")
    return str(name)


def _items_answer(kind: str, pattern: str, q: str, answer_type: str, ctx: Context) -> Result:
    items: list[Finding] = ctx.get(kind, lambda: facts.named_items(ctx.docs, pattern))
    if answer_type == "boolean":
        wanted = [
            t
            for t in re.findall(r"\b[A-Z][\w.&-]+(?: [A-Z][\w.&-]+)*", q)
            if t.lower() not in ("do", "does", "is", "are")
        ]
        hits = [f for f in items if any(w.lower() in f.value.lower() for w in wanted)]
        if not hits:
            for d in ctx.pages:
                for w in wanted:
                    m = re.search(
                        r"[^.\n]*\b(integrat\w*|connect\w*|works?) with[^.\n]*\b" + re.escape(w) + r"\b[^.\n]*", d.text
                    )
                    if m:
                        hits.append(Finding("item", w, m.group(0).strip(), d, 0.8))
        if hits:
            return Result(True, hits[:2], hits[0].strength + 0.2, f"{hits[0].url} lists {_short(hits[0].quote)!r}.")
        return Result(False, [], 0.3, f"Not listed in {ctx.looked_at()}.", inferred=True)
    structured = lists.listed_items(ctx.docs, pattern, ctx.domain, q)
    if structured:
        names = [str(f.value) for f in structured]
        conf = 0.8
        items = structured
    else:
        items = [f for f in items if not lists.is_own_name(f.value, ctx.domain) and not lists.CTA.match(f.value)]
        names = [f.value for f in items]
        conf = 0.5
    if not items:
        return Result(None, [], 0.0, f"No {kind} page found in {ctx.looked_at()}.")
    if answer_type == "number":
        return Result(len(names), items, conf - 0.1, f"{len(names)} {kind} listed.")
    value: Any = names if answer_type == "list" else ", ".join(names)
    return Result(value, items, conf, f"Listed on {items[0].url}: {', '.join(names[:8])}.")


def answer_integrations(q: str, answer_type: str, ctx: Context) -> Result:
    return _items_answer("integrations", r"integrat|partners|apps", q, answer_type, ctx)


def answer_customers(q: str, answer_type: str, ctx: Context) -> Result:
    if answer_type in ("percentage", "currency"):
        return answer_retrieval(q, answer_type, ctx)
    if answer_type == "number" or re.search(r"how many", q, re.I):
        return answer_retrieval(q, "number", ctx)
    return _items_answer("customers", r"customer|case-stud|clients|/work", q, answer_type, ctx)


# --- urls, people, location, product ------------------------------------------------------------------------------

URL_TARGETS = [
    (r"linkedin", "social", "linkedin"), (r"twitter|\bx\b", "social", "twitter"), (r"github", "social", "github"),
    (r"facebook", "social", "facebook"), (r"instagram", "social", "instagram"), (r"tiktok", "social", "tiktok"),
    (r"career|jobs?|hiring", "page_url", "careers"), (r"pric|plans", "page_url", "pricing"),
    (r"contact", "page_url", "contact"), (r"security|trust|compliance", "page_url", "security"),
    (r"blog|news|press", "page_url", "blog"), (r"team|leadership", "page_url", "team"),
    (r"integrat", "page_url", "integrations"), (r"customer|case", "page_url", "customers"),
    (r"doc", "page_url", "docs"), (r"about", "page_url", "about"),
]  # fmt: skip


def answer_url(q: str, answer_type: str, ctx: Context) -> Result:
    found: list[Finding] = ctx.get("links", lambda: facts.links(ctx.docs, ctx.domain))
    for pattern, kind, label in URL_TARGETS:
        if re.search(pattern, q, re.I):
            hits = [f for f in found if f.kind == kind and f.label == label]
            if hits:
                counts: dict[str, int] = {}
                for f in hits:
                    counts[f.value] = counts.get(f.value, 0) + 1
                best = max(hits, key=lambda f: (counts[f.value], f.strength))
                conf = min(0.97, best.strength + 0.02 * counts[best.value])
                return Result(best.value, [best], conf, f"Linked from {best.url} ({_short(best.quote)!r}).")
            return Result(None, [], 0.0, f"No {label} link found in {ctx.looked_at()}.")
    page = _page_about(q, ctx)
    if page is not None:
        return page
    return answer_retrieval(q, answer_type, ctx)


_PAGE_WORDS = frozenset("page link url site website where find explain explaining explains make made".split())


def _page_about(q: str, ctx: Context) -> Result | None:
    """The fetched page whose path, title and main heading name what the question asks about."""
    own = lists.own_names(ctx.domain)
    wanted = [t for t in quantities.terms(q, own) if not t.startswith("~") and t not in _PAGE_WORDS]
    wanted = [t for t in wanted if t not in {quantities.stem(w) for w in _PAGE_WORDS}]
    if not wanted:
        return None
    scored = []
    for doc in ctx.pages:
        if doc.path in ("", "/"):
            continue
        last = doc.path.rstrip("/").rsplit("/", 1)[-1]
        path_words = quantities._stems(last.replace("-", " ").replace("_", " "))
        title = re.split(r"\s+[|\u2013\u2014-]\s+", doc.title)[0] if doc.title else ""
        title_words = quantities._stems(title)
        in_path = [t for t in wanted if quantities._match(t, path_words)]
        in_title = [t for t in wanted if quantities._match(t, title_words)]
        if not in_path:
            continue
        score = len(in_path) + 0.5 * len(in_title) - 0.1 * doc.path.count("/")
        scored.append((score, doc))
    if not scored:
        return None
    scored.sort(key=lambda x: x[0], reverse=True)
    score, doc = scored[0]
    if len(scored) > 1 and scored[1][0] == score:
        return None
    short_title = re.split(r"\s+[|\u2013\u2014-]\s+", doc.title)[0] if doc.title else ""
    quote = next((c for c in (doc.title, short_title) if c and (c in doc.body or c in doc.text)), "")
    if not quote:
        return None
    f = Finding("page_url", doc.url.rstrip("/"), quote, doc, 0.75)
    return Result(doc.url.rstrip("/"), [f], 0.75, f"The page {doc.url} is titled {doc.title!r}.")


ROLE_QUERIES = [
    (r"\bceo\b|chief executive", r"\bceo\b|chief executive"), (r"\bcto\b|chief technology", r"\bcto\b|chief technology"),
    (r"\bcfo\b|chief financial", r"\bcfo\b|chief financial"), (r"\bcoo\b|chief operating", r"\bcoo\b|chief operating"),
    (r"\bcro\b|chief revenue", r"\bcro\b|chief revenue"), (r"\bcmo\b|chief marketing", r"\bcmo\b|chief marketing"),
    (r"medical officer|\bcmo\b", r"medical officer"), (r"head of sales|vp (of )?sales|sales leader", r"sales"),
    (r"marketing", r"marketing"), (r"founder|\bfounded\b", r"founder"),
]  # fmt: skip


def answer_people(q: str, answer_type: str, ctx: Context) -> Result:
    persons: list[Finding] = ctx.get("people", lambda: facts.people(ctx.pages))
    if not persons:
        return Result(None, [], 0.0, f"No named people with titles found in {ctx.looked_at()}.")
    unique: dict[str, Finding] = {}
    for f in persons:
        unique.setdefault(f.value["name"], f)
    for ask, match in ROLE_QUERIES:
        if re.search(ask, q, re.I):
            hits = [f for f in unique.values() if re.search(match, f.value["title"], re.I)]
            if not hits:
                return Result(None, [], 0.0, f"No one titled like that in {ctx.looked_at()}.")
            if answer_type == "list":
                return Result([f.value["name"] for f in hits], hits, 0.85, "Named on the team page.")
            if match == "founder" and len(hits) > 1 and answer_type == "open_text":
                text = "; ".join(f"{f.value['name']} ({f.value['title']})" for f in hits)
                return Result(text, hits, 0.8, f"Founders named on {hits[0].url}.")
            f = hits[0]
            return Result(
                f"{f.value['name']} ({f.value['title']})" if answer_type == "open_text" else f.value["name"],
                [f],
                f.strength,
                f"{f.url} lists {_short(f.quote)!r}.",
            )
    area = re.search(
        r"\b(?:who (?:heads|leads|runs|manages|oversees)|head of|in charge of|responsible for)\s+(?:the\s+)?([a-z][\w-]+)",
        q,
        re.I,
    )
    if area:
        want = quantities.stem(area.group(1))
        hits = [f for f in unique.values() if quantities._match(want, quantities._stems(f.value["title"]))]
        if not hits:
            return Result(None, [], 0.0, f"No one titled for {area.group(1)} in {ctx.looked_at()}.")
        f = hits[0]
        conf = f.strength if len(hits) == 1 else f.strength * 0.8
        if answer_type == "list":
            return Result([h.value["name"] for h in hits], hits, conf, f"{f.url} lists {_short(f.quote)!r}.")
        return Result(f"{f.value['name']} ({f.value['title']})", [f], conf, f"{f.url} lists {_short(f.quote)!r}.")
    chosen = list(unique.values())
    if answer_type == "number":
        return Result(len(chosen), chosen, 0.5, f"{len(chosen)} people named with titles.")
    value: Any = [f"{f.value['name']} ({f.value['title']})" for f in chosen]
    if answer_type == "list":
        value = [f.value["name"] for f in chosen]
    elif answer_type != "list":
        value = "; ".join(value)
    return Result(value, chosen, 0.75, f"{len(chosen)} people named with titles on {chosen[0].url}.")


def answer_location(q: str, answer_type: str, ctx: Context) -> Result:
    f = _best(ctx.get("hq", lambda: facts.headquarters(ctx.pages)))
    if f is None and re.search(r"\b(city|headquarter\w*|hq|home base|based)\b", q, re.I):
        f = _best(ctx.get("address", lambda: facts.postal_city(ctx.pages)))
    if f is None:
        return answer_retrieval(q, answer_type, ctx)
    place = f.value
    if re.search(r"\bcity\b", q, re.I):
        place = place.split(",")[0].strip()
    return Result(place, [f], f.strength, f"{f.url} says: {_short(f.quote)!r}.")


def answer_product(q: str, answer_type: str, ctx: Context) -> Result:
    if answer_type in ("number", "currency", "percentage") and not re.search(r"how many", q, re.I):
        return answer_retrieval(q, answer_type, ctx)
    if answer_type in ("list", "number"):
        items = lists.listed_items(
            ctx.docs, r"services|products|solutions|what-we-do|offerings|capabilities", ctx.domain, q
        )
        if items:
            names = [str(f.value) for f in items]
            if answer_type == "number":
                return Result(len(names), items, 0.55, f"{len(names)} offerings listed on {items[0].url}.")
            return Result(names, items, 0.7, f"Listed on {items[0].url}: {', '.join(names[:8])}.")
    home = next((d for d in ctx.pages if d.path in ("", "/")), ctx.pages[0] if ctx.pages else None)
    if home is None:
        return Result(None, [], 0.0, "No pages were fetched.")
    desc = home.meta.get("description") or home.meta.get("og:description")
    if desc and desc in home.body:
        return Result(
            desc,
            [Finding("description", desc, desc, home, 0.7)],
            0.7,
            f"The homepage describes the company as: {_short(desc)!r}.",
        )
    return answer_retrieval(q, answer_type, ctx)


# --- generic: percentages, numbers and text from retrieved passages -------------------------------------------------


_DISCOUNT_WORDS = re.compile(r"\b(sav(e|es|ing|ings)|discount\w*|off|less|reduc\w*|cheaper)\b", re.I)


def answer_percentage_near(q: str, ctx: Context, prefer: str | None = None) -> Result:
    """A percentage in a retrieved passage that speaks of a saving (and, preferably, of what `prefer` names)."""
    passages = [p for p in ctx.index().search(q, limit=10) if PERCENT.search(p.text)]
    for strict in (True, False):
        for p in passages:
            m = PERCENT.search(p.text)
            if m is None or not _DISCOUNT_WORDS.search(p.text):
                continue
            if strict and prefer is not None and not re.search(prefer, p.text, re.I):
                continue
            value = float(m.group("num"))
            conf = 0.75 if strict else 0.55
            return Result(
                int(value) if value.is_integer() else value,
                [Finding("percentage", value, p.text, p.doc, conf)],
                conf,
                f"{p.doc.url} says: {_short(p.text)!r}.",
            )
    return Result(None, [], 0.0, f"No percentage related to the question in {ctx.looked_at()}.")


_NUM_IN_TEXT = re.compile(
    r"(?<![\w.$€£])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(k|m|million|billion)\b)?(?![\w%])", re.I
)


def answer_quantity(q: str, answer_type: str, ctx: Context, extra_terms: list[str] | None = None) -> Result | None:
    """A number, amount or percentage standing next to the words the question asks about (None: no such number)."""
    unit = {"percentage": "%", "currency": "money"}.get(answer_type, "")
    if answer_type == "number" and re.search(r"\b(days?|how long)\b", q, re.I) and not re.search(r"how many", q, re.I):
        unit = "day"
    found = quantities.best(
        q, ctx.get("quantities", lambda: quantities.all_quantities(ctx.docs)), unit, lists.own_names(ctx.domain),
        extra_terms,
    )  # fmt: skip
    if found is None:
        return None
    qty, conf = found
    value: Any = int(qty.value) if float(qty.value).is_integer() else qty.value
    if answer_type == "currency":
        value = {"value": qty.value, "currency": qty.unit}
    return Result(value, [quantities.finding(qty, conf)], conf, f"{qty.doc.url} says: {_short(qty.quote)!r}.")


_LIST_NAME = r"[A-Z][\w.&+/-]*(?: [A-Z0-9][\w.&+/-]*){0,3}"
_ENUMERATION = re.compile(r"(?<![\w])(" + _LIST_NAME + r"(?:, " + _LIST_NAME + r")*,? (?:and|or) " + _LIST_NAME + r")")


def _split_names(text: str) -> list[str]:
    parts = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text.strip().rstrip("."))
    return [p.strip() for p in parts if p.strip()]


def _enumerated(q: str, ctx: Context) -> Result | None:
    """Names enumerated where the question's words are: a labelled entry whose value is a list of names
    ("Payment methods" / "Card, bank transfer"), or a sentence listing them ("A, B or C")."""
    own = lists.own_names(ctx.domain)
    wanted = [t for t in quantities.terms(q, own) if not t.startswith("~")]
    if not wanted:
        return None
    best: tuple[float, list[str], str, Document] | None = None
    for e in ctx.entries():
        if e.column:
            continue
        names = _split_names(e.value)
        context = e.label + " " + e.section
        if len(names) < 2 or not all(lists.name_like(n) for n in names):
            m = _ENUMERATION.search(e.value)
            names = _split_names(m.group(1)) if m else []
            context += " " + e.value
            if len(names) < 2 or not all(lists.name_like(n) for n in names):
                continue
        hits = len([t for t in wanted if quantities._match(t, quantities._stems(context))])
        score = hits / len(wanted) + 0.01 * len(names)
        if hits >= 2 and (best is None or score > best[0]):
            best = (score, names, e.quote, e.doc)
    for p in ctx.index().search(q, limit=8):
        m = _ENUMERATION.search(p.text)
        if not m:
            continue
        names = _split_names(m.group(1))
        if len(names) < 2 or not all(lists.name_like(n) for n in names):
            continue
        hits = len([t for t in wanted if quantities._match(t, quantities._stems(p.text))])
        score = hits / len(wanted) + 0.01 * len(names)
        if hits >= 2 and (best is None or score > best[0]):
            best = (score, names, p.text, p.doc)
    if best is None or best[0] < 0.3:
        return None
    score, names, quote, doc = best
    conf = round(min(0.8, 0.45 + 0.5 * score), 3)
    return Result(names, [Finding("items", names, quote, doc, conf)], conf, f"{doc.url} lists {_short(quote)!r}.")


def answer_retrieval(q: str, answer_type: str, ctx: Context) -> Result:
    if answer_type in ("number", "currency", "percentage") and not re.search(r"\byear\b|\bwhen\b|founded", q, re.I):
        found = answer_quantity(q, answer_type, ctx)
        if found is not None:
            return found
        cell = answer_entry(q, answer_type, ctx)
        if cell is not None and cell.confidence >= 0.7:
            return cell
        if answer_type in ("currency", "percentage"):
            # A figure that no term of the question stands next to is some other figure.
            return Result(None, [], 0.0, f"No {answer_type} tied to the question's terms in {ctx.looked_at()}.")
    if answer_type == "list":
        enum = _enumerated(q, ctx)
        if enum is not None:
            return enum
    passages = ctx.index().search(q, limit=6)
    own = lists.own_names(ctx.domain)
    q_terms = {t for t in tokens(q) if len(t) > 1 and t not in own}
    for p in passages:
        overlap = len(q_terms & set(tokens(p.text))) / max(1, len(q_terms))
        if overlap < 0.34:
            continue
        conf = min(0.75, 0.35 + overlap * 0.5)
        f = Finding("passage", p.text, p.text, p.doc, conf)
        if answer_type == "currency":
            money = money_values(p.text)
            if money:
                return Result(
                    {"value": money[0][0], "currency": money[0][1]}, [f], conf, f"{p.doc.url}: {_short(p.text)!r}."
                )
            continue
        if answer_type == "number":
            if re.search(r"\byear\b|\bwhen\b|founded", q, re.I):
                years = YEAR.findall(p.text)
                if years:
                    return Result(int(years[0]), [f], conf, f"{p.doc.url}: {_short(p.text)!r}.")
                continue
            m = _NUM_IN_TEXT.search(p.text)
            if m and not YEAR.fullmatch(m.group(1)):
                mult = {"k": 1e3, "m": 1e6, "million": 1e6, "billion": 1e9}.get((m.group(2) or "").lower(), 1)
                n = float(m.group(1).replace(",", "")) * mult
                return Result(int(n) if n.is_integer() else n, [f], conf, f"{p.doc.url}: {_short(p.text)!r}.")
            continue
        if answer_type == "url":
            m = re.search(r"https?://\S+", p.text)
            if m:
                return Result(m.group(0).rstrip(".,)"), [f], conf, f"{p.doc.url}: {_short(p.text)!r}.")
            continue
        if answer_type == "boolean":
            return Result(True, [f], conf * 0.8, f"Retrieved passage: {_short(p.text)!r}.", inferred=True)
        if answer_type == "list":
            return Result([p.text], [f], conf * 0.7, f"Most relevant passage on {p.doc.url}.")
        return Result(p.text, [f], conf, f"Most relevant passage on {p.doc.url}.")
    return Result(None, [], 0.0, f"Nothing in {ctx.looked_at()} answers this.")


FAMILY_ANSWERERS: dict[str, Callable[[str, str, Context], Result]] = {
    "tech": answer_tech, "hiring": answer_hiring, "headcount": answer_headcount, "funding": answer_funding,
    "pricing": answer_pricing, "compliance": answer_compliance, "integrations": answer_integrations,
    "customers": answer_customers, "url": answer_url, "people": answer_people, "location": answer_location,
    "product": answer_product,
}  # fmt: skip


def answer_family(q: str, answer_type: str, ctx: Context, family: str | None = None) -> Result:
    family = family or plan.classify(q)
    if answer_type == "url" and family not in ("url", "hiring", "pricing"):
        family = "url"
    handler = FAMILY_ANSWERERS.get(family)
    if handler is None:
        if re.search(r"\bfounded\b|\byear\b.*\bstart", q, re.I):
            return answer_founded(q, answer_type, ctx)
        return answer_retrieval(q, answer_type, ctx)
    return handler(q, answer_type, ctx)


def answer_founded(q: str, answer_type: str, ctx: Context) -> Result:
    f = _best(ctx.get("founded", lambda: facts.founded(ctx.pages)))
    if f is None:
        return answer_retrieval(q, answer_type, ctx)
    return Result(
        f.value if answer_type in ("number", "json_schema") else str(f.value),
        [f],
        f.strength,
        f"{f.url} says: {_short(f.quote)!r}.",
    )


# --- json_schema --------------------------------------------------------------------------------------------------

_ROLE_PROPERTY = re.compile(
    r"\b(ceo|cto|cfo|coo|cro|cmo|cpo|founders?|co-?founders?|chief \w+ officer|president|chair\w*)\b", re.I
)
_TECH_PROPERTY_TERMS: list[tuple[re.Pattern[str], set[str]]] = [
    (re.compile(r"\bnewsletter|email marketing|marketing automation", re.I), {"marketing_automation"}),
    (re.compile(r"\bwebsite builder|site builder|\bcms\b", re.I), {"cms"}),
    (re.compile(r"\bhosting|\bhost\b|\bcdn\b", re.I), {"hosting_cdn"}),
    (re.compile(r"\bschedul|\bcalendar|\bbooking", re.I), {"calendar_scheduling"}),
    (re.compile(r"\bemail (provider|host|service)|\bmail provider|\binbox", re.I), {"email_provider"}),
    (re.compile(r"\bhelp ?desk|\bsupport tool|\blive chat", re.I), {"chat_support"}),
]
_UNIT_WORDS = re.compile(r"\b(usd|eur|gbp|in usd|percent|pct|days?|count|number|num|value|amount)\b", re.I)


def _schema_type(schema: dict[str, Any]) -> str:
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "string")
    return {"integer": "number", "number": "number", "boolean": "boolean", "array": "list"}.get(str(t), "open_text")


def _tech_for(text: str, ctx: Context) -> Result | None:
    cats: set[str] = set()
    for pattern, names in _TECH_PROPERTY_TERMS:
        if pattern.search(text):
            cats |= names
    if not cats:
        cats = question_categories(text)
    if not cats:
        return None
    detected = ctx.technologies()
    chosen = [f for f in detected.values() if _tech_categories(f.value) & cats]
    if not chosen:
        return Result(None, [], 0.0, f"No {', '.join(sorted(cats))} detected.")

    def primary(f: Finding) -> bool:
        tech = fingerprints.by_name().get(str(f.value).lower())
        return bool(tech and tech.category in cats)

    best = max(chosen, key=lambda f: (primary(f), f.strength))
    conf = best.strength if primary(best) and len([f for f in chosen if primary(f)]) == 1 else best.strength * 0.8
    return Result(best.value, [best], conf, f"{best.value}: {_short(best.quote)!r} on {best.url}.")


def _named_plan(q: str, ctx: Context) -> str | None:
    prices: list[Finding] = ctx.get("pricing", lambda: facts.pricing(ctx.pages))
    for f in prices:
        plan_name = f.value.get("plan")
        if plan_name and re.search(r"\b" + re.escape(plan_name) + r"\b", q, re.I):
            return str(plan_name)
    return None


def _plan_property(plan_name: str, text: str, sub_type: str, ctx: Context) -> Result | None:
    """A field of one pricing plan: its price, or a figure in the plan's block of lines (a fee, a limit)."""
    prices: list[Finding] = ctx.get("pricing", lambda: facts.pricing(ctx.pages))
    own = [f for f in prices if f.value.get("plan") == plan_name]
    if not own:
        return None
    f = own[0]
    if re.search(r"percent|%|rate", text, re.I):
        doc = f.doc
        lines = doc.text.splitlines()
        start = lines.index(plan_name) if plan_name in lines else -1
        if start < 0:
            return None
        others = {str(p.value.get("plan")) for p in prices if p.value.get("plan") and p.value.get("plan") != plan_name}
        block: list[str] = []
        for line in lines[start : start + 15]:
            if block and line in others:
                break
            block.append(line)
        qs = [q for line in block for q in quantities.sentence_quantities(line, doc) if q.unit == "%"]
        label = _UNIT_WORDS.sub(" ", text.replace("_", " "))
        found = quantities.best(label, qs, "%")
        if found is None:
            return None
        qty, conf = found
        v = int(qty.value) if float(qty.value).is_integer() else qty.value
        return Result(v, [quantities.finding(qty, conf)], conf, f"{plan_name} plan: {_short(qty.quote)!r}.")
    if re.search(r"price|fee|cost|monthly|usd|amount", text, re.I):
        return Result(f.value["value"], [f], f.strength, f"{f.url}: {_short(f.quote)!r}.")
    return None


def _product_price(text: str, ctx: Context) -> Result | None:
    goods: list[Finding] = ctx.get("products", lambda: facts.products(ctx.pages))
    words = set(quantities.terms(_UNIT_WORDS.sub(" ", text)))
    best, best_cover = None, 0.0
    for g in goods:
        name_terms = set(quantities.terms(g.value["name"]))
        if not name_terms or not words:
            continue
        cover = len(words & name_terms) / len(words | name_terms)
        if cover > best_cover:
            best, best_cover = g, cover
    if best is None or best_cover < 0.6:
        return None
    return Result(best.value["value"], [best], best.strength, f"{best.url}: {_short(best.quote)!r}.")


def answer_property(name: str, sub: dict[str, Any], q: str, props: dict[str, Any], ctx: Context) -> Result:
    """One property of a json_schema answer, asked as its own sub-question (its name plus its description)."""
    label = name.replace("_", " ").replace("-", " ")
    desc = str(sub.get("description", ""))
    text = f"{label} {desc}".strip()
    sub_type = _schema_type(sub)
    all_names = " ".join(props).lower()
    funding_ctx = bool(re.search(r"round|stage|raised|investor|funding", all_names + " " + q, re.I))
    if re.search(r"found(ed|ing)?|established|inception", text, re.I) and sub_type != "list":
        if re.search(r"\bby\b|founders?\b|who", text, re.I) and not re.search(r"year|date", text, re.I):
            return answer_people("who founded the company", "list" if sub_type == "list" else "open_text", ctx)
        return answer_founded("founded year", "number" if sub_type == "number" else "open_text", ctx)
    if re.search(r"incorporat|jurisdiction|state of (registration|formation)", text, re.I):
        found = _best(ctx.get("incorporation", lambda: facts.incorporation(ctx.pages)))
        if found is None:
            return Result(None, [], 0.0, "No statement of incorporation.")
        return Result(found.value, [found], found.strength, f"{found.url} says: {_short(found.quote)!r}.")
    if funding_ctx:
        asked_stage = facts.STAGE.search(q)
        named = f" {asked_stage.group(0)}" if asked_stage else ""  # "Give me the Series B as JSON"
        if re.search(r"total|to date|cumulative", text, re.I):
            r = answer_funding("total raised to date", "currency", ctx)
            return Result(r.value["value"], r.findings, r.confidence, r.reasoning) if r.value else r
        if re.search(r"\byear\b|\bdate\b|\bwhen\b", text, re.I):
            return answer_funding("what year was the latest round" + named, "number", ctx)
        if re.search(r"investor|\blead|\bled\b", text, re.I):
            return answer_funding("which investor led the round" + named, "open_text", ctx)
        if re.search(r"stage|round|series", text, re.I) and sub_type == "open_text":
            return answer_funding("what stage round" + named, "open_text", ctx)
        if re.search(r"amount|raised|funding|size|usd", text, re.I):
            r = answer_funding("how much was raised in the latest round" + named, "currency", ctx)
            return Result(r.value["value"], r.findings, r.confidence, r.reasoning) if r.value else r
    role = _ROLE_PROPERTY.search(text)
    if role:
        r = answer_people(f"who is the {role.group(0)}", "list", ctx)
        if isinstance(r.value, list) and r.value:
            names = r.value if sub_type == "list" else r.value[0]
            return Result(names, r.findings[:1] if sub_type != "list" else r.findings, r.confidence, r.reasoning)
        return r
    if re.search(r"\b(hq|headquarter\w*|city|location|based|office|country)\b", text, re.I) and sub_type == "open_text":
        r = answer_location("headquarters city" if re.search(r"city", text, re.I) else "headquarters", "open_text", ctx)
        return r if r.findings and r.findings[0].kind == "headquarters" else Result(None, [], 0.0, r.reasoning)
    if (
        re.search(r"employee|headcount|staff|team size|team_size|people", name + " " + text, re.I)
        and sub_type == "number"
    ):
        return answer_headcount("how many employees", "number", ctx)
    tech = _tech_for(text, ctx) if sub_type == "open_text" else None
    if tech is not None:
        return tech
    if sub_type == "number" and structure.columns_named(q, ctx.entries()):
        r_cell = answer_entry(_UNIT_WORDS.sub(" ", text) + _unit_hint(text), "number", ctx, named_from=q)
        if r_cell is not None:
            return r_cell
    plan_name = _named_plan(q, ctx)
    if plan_name and sub_type == "number":
        r_plan = _plan_property(plan_name, text, sub_type, ctx)
        if r_plan is not None:
            return r_plan
    if sub_type == "number" and re.search(r"price|cost|usd|eur|gbp", text, re.I):
        r_prod = _product_price(text, ctx)
        if r_prod is not None:
            return r_prod
    if sub_type == "number":
        kind = "percentage" if re.search(r"percent|pct|rate\b|share", text, re.I) else "number"
        extra = None
        if re.search(r"\b(usd|eur|gbp|price|fee|cost|budget|threshold)\b", text, re.I) and kind == "number":
            r_money = answer_quantity(_UNIT_WORDS.sub(" ", text), "currency", ctx, extra)
            if r_money is not None and isinstance(r_money.value, dict):
                return Result(r_money.value["value"], r_money.findings, r_money.confidence, r_money.reasoning)
        label_q = _UNIT_WORDS.sub(" ", text) if not re.search(r"\bdays?\b", text, re.I) else text
        r_q = answer_quantity(label_q, kind, ctx, extra)
        if r_q is not None:
            return r_q
        return Result(None, [], 0.0, f"No figure for {label} found.")
    family = plan.classify(text)
    r = answer_family(text, sub_type, ctx, family if family != "other" else None)
    if sub_type == "open_text" and isinstance(r.value, str) and len(r.value) > 80:
        return Result(None, [], 0.0, f"Only a passage, not a value, for {label}.")
    return r


def _unit_hint(text: str) -> str:
    """Unit words of a property name kept as a hint for the kind of value ("_eur" → a price)."""
    if re.search(r"\b(usd|eur|gbp)\b|_(usd|eur|gbp)\b", text, re.I):
        return " price"
    if re.search(r"percent|pct", text, re.I):
        return " %"
    return ""


def answer_json(q: str, schema: dict[str, Any], ctx: Context) -> Result:
    props: dict[str, Any] = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    obj: dict[str, Any] = {}
    findings: list[Finding] = []
    confs: list[float] = []
    missing = []
    for name, sub in props.items():
        sub = sub if isinstance(sub, dict) else {}
        sub_type = _schema_type(sub)
        r = answer_property(name, sub, q, props, ctx)
        value = r.value if not r.inferred or ctx.mode == "lenient" else None
        if isinstance(value, dict) and "value" in value and sub_type == "number":
            value = value["value"]
        if (
            value is not None
            and sub_type == "number"
            and (not isinstance(value, (int, float)) or isinstance(value, bool))
        ):
            value = None
        if value is not None and sub_type == "open_text" and not isinstance(value, str):
            value = str(value) if isinstance(value, (int, float)) else None
        if value is not None and "enum" in sub:
            value = next((e for e in sub["enum"] if str(e).lower() == str(value).lower()), None)
        if value is not None and not r.findings and not (r.inferred and ctx.mode == "lenient"):
            value = None
        if value is None:
            if name in required:
                missing.append(name)
            continue
        if sub.get("type") == "integer" and isinstance(value, float) and value.is_integer():
            value = int(value)
        obj[name] = value
        findings += r.findings
        confs.append(r.confidence)
    if missing and ctx.mode == "strict":
        return Result(None, [], 0.0, f"Could not establish {', '.join(missing)} from {ctx.looked_at()}.")
    if not obj:
        return Result(None, [], 0.0, f"Could not establish any field from {ctx.looked_at()}.")
    try:
        jsonschema.validate(obj, schema)
    except jsonschema.ValidationError as exc:
        return Result(None, [], 0.0, f"The findings do not fit the output schema: {exc.message}.")
    conf = min(confs) if confs else 0.0
    return Result(obj, findings, conf, "Filled " + ", ".join(obj) + " from the findings.")


def _short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
