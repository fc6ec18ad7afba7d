"""The offline reader: one general pipeline for every question and answer type.

retrieve sections (BM25 over heading-scoped sections) → typed candidates from their lines and from the
analyzers (technologies on the markup, job postings) → features that do not depend on particular question
words (retrieval rank, how much of the question a line and its headings mention, unit, period, named
constraints, distance to the question's words, structure) → one scoring model → the best candidate, or
nothing below the threshold. Booleans need a supporting line read with its polarity.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from dossier.research.analysis import Analysis
from dossier.research.analyze.people import (
    TITLE,
    affiliation,
    held_elsewhere,
    is_byline,
    organisation_of,
    person_or_role,
)
from dossier.research.document import Document
from dossier.research.evidence import Finding
from dossier.research.index import Section, page_key, site_of, url_words
from dossier.research.lexicon import GLUED, STOPWORDS, mentioned, related, stem, tokens, words
from dossier.research.ports import Draft
from dossier.research.read.entities import (
    is_legal_form,
    is_proper_name,
    of_type,
    place_kind,
    places,
    proper_names,
    tech_kinds,
    tech_names,
)
from dossier.research.read.model import ReaderModel
from dossier.research.read.polarity import NEGATION, intro_denies, polarity
from dossier.research.read.question import (
    DURATIONS,
    HIRING_WORDS,
    ROLE_VERBS,
    ROLE_WORDS,
    UNITS,
    WHERE_CUES,
    Question,
    entity_named_by,
    names_an_organisation,
    parse,
    place_kind_named,
)
from dossier.research.read.values import Value, values

TOP_SECTIONS = 14
PRIOR_POOL = 200  # sections re-ranked by the link prior
LINK_PRIOR = 0.2  # at most this much more for the most linked-to page (recall@5 of the answer page, dev 77.6→80.2%)
CARD_WORDS = 6  # a line this short is a card's field, read together with the next such line
CONSTRAINT_MARGIN = 0.15  # how far below the best a reading that meets the question's stated constraints may be
CLAUSE_MARGIN = 0.25  # how much more of the question another sentence's clause must say to win over the best
WHERE_LINES = 30  # lines saying where the company is that a place question reads besides the retrieved ones
WHERE_HIT = 1.0  # as retrieved as the best section: they are what a where question is after
FULLER_MARGIN = 0.1  # how far below the best list a fuller reading of the same enumeration may score
MENTION_SECTIONS = 3  # sections whose typed mentions (technologies, places, people) make a list candidate
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_LEAD = re.compile(r"^(.{1,60}?)(?:\s[-\u2013\u2014:|]\s|:\s|\s\(|,\s(?=[a-z])|$)")


@dataclass
class Hit:
    section: Section
    score: float  # BM25 over the best hit's
    rank: int


@dataclass
class Candidate:
    value: Any
    quote: str
    doc: Document
    features: dict[str, float]
    kind: str = "reader"
    score: float = 0.0
    label: str = ""
    extra: list[Finding] = field(default_factory=list)

    def finding(self) -> Finding:
        return Finding(self.kind, self.value, self.quote, self.doc, self.score, self.label)


@dataclass
class Line:
    text: str
    hit: Hit
    mention: float  # share of the question the line itself mentions
    context: float  # share its section's title and headings mention
    toks: set[str]
    heading: float = 0.0  # share its own heading mentions

    @property
    def doc(self) -> Document:
        return self.hit.section.doc

    def is_table_row(self) -> bool:
        return " | " in self.text

    def is_list_item(self) -> bool:
        return self.text in self.hit.section.list_lines


class OfflineReader:
    """The `Answerer` that needs no language model."""

    def __init__(self, model: ReaderModel | None = None) -> None:
        self.model = model or ReaderModel.load()
        self.traces: list[tuple[str, Any, dict[str, float], float]] | None = None  # set to a list to record

    def _trace(self, kind: str, value: Any, features: dict[str, float], score: float) -> None:
        """Record every scored candidate (for fitting the model on the development set)."""
        if self.traces is not None:
            self.traces.append((kind, value, dict(features), score))

    # -- the port ---------------------------------------------------------------------------------------------
    def answer(
        self, question: str, answer_type: str, schema: dict[str, Any] | None, analysis: Analysis, mode: str = "strict"
    ) -> Draft:
        if answer_type == "json_schema":
            return self._json(question, schema or {"type": "object"}, analysis)
        q = parse(question, answer_type, analysis.domain)
        return self.read(q, analysis, mode)

    def read(self, q: Question, analysis: Analysis, mode: str = "strict") -> Draft:
        hits = self.retrieve(q, analysis)
        lines = self._lines(q, hits)
        reader = {
            "boolean": self._boolean,
            "number": self._number,
            "percentage": self._percentage,
            "currency": self._currency,
            "list": self._list,
            "url": self._url,
        }.get(q.answer_type, self._text)
        draft = reader(q, lines, analysis, mode)
        if not draft.reasoning:
            draft.reasoning = f"Read {len(hits)} sections of {analysis.looked_at()}."
        return draft

    # -- retrieval --------------------------------------------------------------------------------------------
    def retrieve(self, q: Question, analysis: Analysis) -> list[Hit]:
        ranked = analysis.index.score(q.weights)[:PRIOR_POOL]
        if not ranked:
            return []
        # Of two sections that match a question alike, the one on a page the site links to from many pages
        # (its careers, pricing or about page) is the likelier answer than one on a page linked once.
        links = analysis.inlinks
        most = math.log1p(max(links.values(), default=0)) or 1.0
        ranked = sorted(
            ((sc * (1 + LINK_PRIOR * math.log1p(links[page_key(s.doc.url)]) / most), s) for sc, s in ranked),
            key=lambda r: -r[0],
        )[:TOP_SECTIONS]
        top = ranked[0][0] or 1.0
        return [Hit(s, sc / top, i) for i, (sc, s) in enumerate(ranked)]

    def _lines(self, q: Question, hits: list[Hit]) -> list[Line]:
        out = []
        for hit in hits:
            ctx = q.mentions(set(tokens(hit.section.context)))
            head = q.mentions(set(tokens(hit.section.heading)))
            for text in hit.section.lines:
                toks = set(tokens(text))
                out.append(Line(text, hit, q.mentions(toks), ctx, toks, head))
        return out

    def _base(self, line: Line) -> dict[str, float]:
        return {
            "sec": line.hit.score,
            "rank": 1.0 / (1 + line.hit.rank),
            "line": line.mention,
            "ctx": line.context,
            "head": line.heading,
            "table": 1.0 if line.is_table_row() else 0.0,
            "list": 1.0 if line.is_list_item() else 0.0,
        }

    # -- values -----------------------------------------------------------------------------------------------
    def _value_candidates(
        self, q: Question, lines: list[Line], kinds: set[str], analysis: Analysis
    ) -> list[tuple[Candidate, Value]]:
        out: list[tuple[Candidate, Value]] = []
        asks_given = q.mentions(set(_GIVEN_MONEY)) > 0  # "How much credit does each plan include?"
        for i, line in enumerate(lines):
            if line.mention == 0 and line.context == 0:
                continue
            if _story_of_another(line.doc, line.text, q):
                continue  # "Founded in 2007, SoundCloud is …" on SoundCloud's customer story
            if is_byline(line.text):
                continue  # "2023-11-20 — Hugo Casademont, Founding Engineer": when the post was written, by whom
            if not _on_topic(q, line):
                continue  # "no method of transmission is 100% secure" says nothing of uptime
            # A card's short line is read on into the one under it ("$35" / "per user per month"): once a line.
            card_text = _card_text(lines, i)
            found = _card_values(line.text, card_text)
            spans = [u.span for u in found]
            for v in found:
                if v.kind not in kinds or v.value in q.stated:
                    continue  # a number the question writes ("the Crazyflie 2.1") is what it gives, not asks
                if v.below and q.aggregate is None and q.unit in _COUNTED:
                    continue  # "companies with fewer than 10 employees" sets a limit; it counts no one
                if v.kind == "money" and not asks_given and _money_given(v):
                    continue  # "your $1 monthly credit", "$5 in free credits", "$100 off": given, not charged
                if not _on_topic(q, line, _sentence_of(line.text, v.span[0])):
                    continue  # "no method of transmission is 100% secure. We cannot guarantee …": another sentence's
                f = self._base(line)
                f["near"] = _nearness(q, card_text, v)
                f["unit"] = _unit_match(q, v, line)
                f["unit0"] = 1.0 if q.unit is not None and f["unit"] == 0 else 0.0
                f["yearlike"] = 1.0 if v.kind == "number" and 1950 <= v.value <= 2049 and v.value.is_integer() else 0.0
                f["period"] = _period_match(q, v)
                f["per"] = 1.0 if q.per_unit and stem(q.per_unit) in v.after else 0.0
                f["name"] = _names_said(q, line)
                if q.names and line.is_table_row():
                    f["name"] = _column_names(q, line, v, f["name"])
                f["year"] = _year_match(q, line)
                f["plus"] = 1.0 if v.plus else 0.0
                f["clause"] = _clause_fit(q, line.text, v, spans)
                quote = _sentence_of(line.text, v.span[0])
                card = f"{lines[i - 1].text}\n{line.text}" if i > 0 and lines[i - 1].hit is line.hit else ""
                if len(quote.split()) <= 2 and card and len(card.split()) <= 2 * CARD_WORDS and card in line.doc.text:
                    quote = card  # "$35" alone says little: cite it with the card's name ("Pro")
                out.append((Candidate(v.value, quote, line.doc, f), v))
        return out

    def _pick(self, q: Question, kind: str, cands: list[tuple[Candidate, Value]]) -> tuple[Candidate, Value] | None:
        if not cands:
            return None
        support: dict[float, int] = defaultdict(int)
        for c, _ in cands:
            support[round(c.value, 6)] += 1
        for c, _ in cands:
            c.features["agree"] = math.log(support[round(c.value, 6)])
            c.score = self.model.score(kind, c.features)
            self._trace(kind, c.value, c.features, c.score)
        cands.sort(key=lambda cv: -cv[0].score)
        best = cands[0]
        # What the question states outright (per host, per month, in 2024, of the Pro plan) decides between
        # readings that score about the same: "$7 per host per month" over "$3,500 per month".
        constraints = [
            feature
            for feature, asked in (("per", q.per_unit), ("period", q.period), ("year", q.years), ("name", q.names))
            if asked
        ]
        close = [cv for cv in cands if cv[0].score >= best[0].score - CONSTRAINT_MARGIN]
        for feature in constraints:
            close = [cv for cv in close if cv[0].features.get(feature, 0.0) > 0] or close
        if close[0] is not best:
            close[0][0].score = max(close[0][0].score, best[0].score * 0.95)
            best = close[0]

        # Values of one sentence that score about the same are told apart by their clauses: "Team plans can access
        # the last 7 days, while Business plans can access the last 90 days".
        # Across sentences only a clearly closer clause does ("an allowance of $200 each month for full-time
        # employees" over "$100 (part-time) per month"): a card's "7% of revenue" says its topic in its headings.
        # (A cheapest or largest one is read among the prices of the best reading's page, below: that page
        # stays the best's.)
        def fit(cv: tuple[Candidate, Value]) -> float:
            if cv[0].quote == best[0].quote and cv[0].doc is best[0].doc:
                return cv[0].features.get("clause", 0.0)
            if q.aggregate in ("min", "max"):
                return -math.inf
            return cv[0].features.get("clause", 0.0) - CLAUSE_MARGIN

        top = max(close, key=fit)
        if fit(top) > best[0].features.get("clause", 0.0):
            top[0].score = max(top[0].score, best[0].score)
            best = top
        if q.aggregate == "first" and q.unit == "year":
            # When it began: the earliest of the years that read about as well ("the very start of GitLab on
            # October 8, 2011" over "starting February 13th, 2025").
            chosen = min(close, key=lambda cv: cv[0].value)
            chosen[0].score = max(chosen[0].score, best[0].score * 0.95)
            return chosen
        if q.aggregate in ("min", "max", "total"):
            # The cheapest of the prices the best reading stands among (one pricing page), not of every amount
            # the site names somewhere. A total is the largest of the amounts it adds up ("raised $80M in May,
            # bringing our total funding to $116M"; a tax table's "5%" and its total rate "14.975%").
            pool = [
                cv
                for cv in cands
                if cv[0].score >= best[0].score - self.model.aggregate_margin and cv[0].doc is best[0].doc
            ]
            if q.answer_type == "currency" and q.period:
                pool = [cv for cv in pool if cv[1].period in (q.period, None)] or pool
            for feature in constraints:  # the largest of Quebec's rates, not of every province's
                if feature != "period":
                    pool = [cv for cv in pool if cv[0].features.get(feature, 0.0) > 0] or pool
            if q.nonzero:
                pool = [cv for cv in pool if cv[0].value > 0] or pool
            pick = min if q.aggregate == "min" else max
            chosen = pick(pool, key=lambda cv: cv[0].value)
            chosen[0].score = max(chosen[0].score, best[0].score * 0.95)
            return chosen
        return best

    def _number(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        # A number asked in money or percent ("salary_usd", "uptime_pct") is read from amounts or percentages.
        kinds = {"year": {"number", "year"}, "money": {"number", "money"}, "percent": {"number", "percent"}}.get(
            q.unit or "", {"number"}
        )
        if q.unit == "year":
            # When a company began is told on its home and about pages ("Since 2008, our aim has been …"), in
            # words a question's ("start operating") rarely retrieves.
            lines = lines + _story_lines(q, analysis)
        cands = self._value_candidates(q, lines, kinds, analysis)
        if q.unit == "year":
            # "In what year": a calendar year, never the "3" of "for around 3 years".
            cands = [(c, v) for c, v in cands if float(c.value).is_integer() and 1800 <= c.value <= 2100]
        cands += self._count_candidates(q, lines, analysis)
        # Years ("when was it founded") and quantities are scored by models of their own.
        model = "year" if q.unit == "year" else "number"
        best = self._pick(q, model, cands)
        return self._draft(q, best[0] if best else None, model, lambda c: _clean_number(c.value))

    def _count_candidates(self, q: Question, lines: list[Line], analysis: Analysis) -> list[tuple[Candidate, Value]]:
        """ "How many X": the items of a list or postings that are X, counted."""
        if q.unit not in ("count", "people", "office", "country", "customer", "language"):
            return []
        out: list[tuple[Candidate, Value]] = []
        jobs = self._matching_jobs(q, analysis)
        if jobs and q.counts_postings:
            f = {"sec": 1.0, "rank": 1.0, "line": 1.0, "ctx": 1.0, "unit": 1.0, "count": 1.0, "near": 1.0}
            c = Candidate(float(len(jobs)), jobs[0].quote, jobs[0].doc, f, extra=jobs)
            out.append((c, Value(float(len(jobs)), "number", (0, 0), str(len(jobs)))))
        for group in _list_groups(lines):
            heading = set(tokens(" ".join(group.section.headings)))
            # The list under a heading that names what is counted ("Offices"), or that names what the question
            # is about ("Project Leadership Committee" for "How many members sit on its leadership committee?").
            named = q.unit_noun and (q.unit_noun in heading or related(q.unit_noun) & heading)
            if named or (group.kind == "list" and q.mentions(heading) >= 0.5):
                # A heading that names what the question counts ("Project Founders:" over two names) is the line
                # that says what the list counts: it stands where a sentence's words around a number stand. (Not
                # for a headcount: a page's "Team" list is some of the people, not how many work there; nor for a
                # minimum, which a sentence states.)
                says = bool(named) and q.unit == "count" and q.aggregate is None and len(group.items) >= 2
                f = {
                    "sec": group.hit.score,
                    "rank": 1 / (1 + group.hit.rank),
                    "line": q.mentions(heading) if says else 0.0,
                    "ctx": q.mentions(set(tokens(group.section.context))),
                    "unit": 1.0,
                    "count": 1.0,
                    "near": 1.0 if says else 0.0,
                }
                n = float(len(group.items))
                c = Candidate(n, group.quote, group.doc, f)
                out.append((c, Value(n, "number", (0, 0), str(int(n)))))
        return out

    def _percentage(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        best = self._pick(q, "percentage", self._value_candidates(q, lines, {"percent"}, analysis))
        return self._draft(q, best[0] if best else None, "percentage", lambda c: _clean_number(c.value))

    def _currency(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        best = self._pick(q, "currency", self._value_candidates(q, lines, {"money"}, analysis))
        if best is None:
            return self._draft(q, None, "currency", lambda c: c.value)
        cand, v = best
        return self._draft(q, cand, "currency", lambda c: {"value": _clean_number(c.value), "currency": v.currency})

    # -- booleans ---------------------------------------------------------------------------------------------
    def _boolean(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        idf = analysis.index.idf
        focus = q.focus or q.terms
        weight = {t: idf.get(t, 3.0) for t in focus}
        total = sum(weight.values()) or 1.0
        # A name counts only whole: "ISO dates" is not "ISO 27001", the "2" of "4.2 MB" not "SOC 2".
        whole = {t: g for g in ([stem(w) for w in words(n)] for n in q.names) if len(g) > 1 for t in g if t in weight}
        # ...or in the short form the gazetteer also knows it by, of the same kind: "Azure" for "Microsoft Azure".
        short = {t: s for n in q.names for s in [_short_form(n)] if s for t in map(stem, words(n)) if t in whole}
        # ...and a standard's name and number written together: "SOC 2", "SOC2", "ISO/IEC 27001", not a "SoC"
        # with a "2.4GHz" further on.
        together = {t: _written_together(n) for n in q.names if _numbered(n) for t in map(stem, words(n))}
        # ...and an acronym by the words it stands for, whichever of them the page uses ("DPA", "Data Processing
        # Addendum").
        acronyms = {stem(n): n for n in q.names if _ACRONYM.fullmatch(n)}
        best: Candidate | None = None
        for line in lines + self._fact_lines(q, analysis):
            got, pos = 0.0, None
            for t in focus:
                if t in whole and not all(mentioned(x, line.toks) for x in whole[t]):
                    if not (t in short and all(mentioned(x, line.toks) for x in short[t])):
                        continue
                    if t not in short[t]:
                        got += weight[t]  # "Microsoft" of "Microsoft Azure", said by its "Azure"
                        continue
                if t in together and not together[t].search(line.text):
                    continue
                if t in q.compounds and _only_in_other_compounds(line.text, t, q.compounds[t]):
                    continue  # "for-profit" is not said by "non-profit"
                if mentioned(t, line.toks):
                    got += weight[t]
                    pos = _position(line.text, t) if pos is None else pos
                    if pos is None:
                        pos = 0  # spelled out: the line as a whole
                elif t in acronyms and (at := _spelled_out(acronyms[t], line.text)) is not None:
                    got += weight[t]  # "DPA" said as "Data Processing Addendum"
                    pos = at if pos is None else pos
                elif related(t) & line.toks:
                    got += 0.5 * weight[t]
            cover = got / total
            if cover < 0.5 or pos is None:
                continue
            if _story_of_another(line.doc, line.text, q):
                continue  # "we weren't hiring engineers fast enough" on a customer story is the customer's
            if line.is_table_row() and line.text == _header_row(line):
                continue  # "| Hobby tier | Pro tier | Team tier" names the columns; it says nothing of a feature
            cell = _plan_cell(q.plans, line) if line.is_table_row() else None
            if cell is not None:
                # A comparison table's row for the feature, read in the asked plan's column: "SSO enforcement | No |
                # No | Yes" under "| Hobby | Pro | Team" says no of Pro, whatever the row says of the others.
                pol, why = cell
            elif q.plans and not _says_plan(q.plans, line, _sentence_of(line.text, pos)):
                continue  # "on the Team plan": a line that says it of no plan, or of another, does not answer
            else:
                pol, why = polarity(line.text, pos)
            # "Without offices?" is answered yes by a sentence that denies offices: read the sentence where it
            # speaks of what the question negates, and compare the two.
            denied = next((t for t in q.denied if mentioned(t, line.toks)), None)
            if denied is not None:
                at = _position(line.text, denied)
                pol, why = polarity(line.text, at if at is not None else pos)
                if pol != 0:
                    pol, why = -pol, f"{why}, as the question asks" if pol < 0 else f"{why}, unlike the question"
            if pol != 0 and line.is_list_item():
                intro = _intro(line)
                if intro and intro_denies(intro):
                    pol, why = -pol, f"listed under “{intro[:80]}”"
            if pol < 0 and _denied_of_another(q, line.text, pos, analysis.common_words):
                continue
            quote = _sentence_of(line.text, pos)
            if pol == 0 and cell is None and not isinstance(line, _FactLine):
                # A FAQ's question asserts nothing; the line after it answers it: "Can I select a region for my
                # data?" / "Not yet, but it's in our roadmap."
                reply = _reply_to(line)
                if reply is not None:
                    pol, answer = reply
                    why = f"answered “{answer[:60]}” to its question"
                    pair = f"{line.text}\n{answer}"
                    quote = pair if pair in line.doc.text else answer
            if pol == 0:
                continue
            f = self._base(line)
            f["cover"] = cover
            f["name"] = _names_match(q, line)
            f["negative"] = 1.0 if pol < 0 else 0.0
            if isinstance(line, _FactLine):
                f["fact"] = 1.0
                f["board"] = 1.0 if line.finding.doc.kind == "jobboard" else 0.0
                fact = line.finding
                cand = Candidate(pol > 0, fact.quote, fact.doc, f, label=f"{why} ({fact.kind}: {fact.value})")
            else:
                cand = Candidate(pol > 0, quote, line.doc, f, label=why)
            cand.score = self.model.score("boolean", f)
            self._trace("boolean", cand.value, f, cand.score)
            if best is None or cand.score > best.score:
                best = cand
        if best is None or best.score < self.model.threshold("boolean"):
            if mode == "lenient":
                return Draft(
                    False,
                    [],
                    {"inferred": 1.0},
                    0.3,
                    f"No page states it; inferred no from its absence ({analysis.looked_at()}).",
                    inferred=True,
                )
            return Draft(None, [], {}, 0.0, f"Not stated: no sentence in {analysis.looked_at()} says so.")
        return Draft(
            best.value,
            [best.finding()],
            best.features,
            best.score,
            f"{'Yes' if best.value else 'No'}: {best.label} on {best.doc.url}.",
        )

    def _fact_lines(self, q: Question, analysis: Analysis) -> list[Line]:
        """Facts the analyzers found outside page prose, as lines a boolean can rest on."""
        out: list[Line] = []
        if not analysis.docs:
            return out
        hit = Hit(Section(analysis.pages[0] if analysis.pages else analysis.docs[0], (), []), 0.6, 3)

        def fact(text: str, f: Finding) -> _FactLine:
            toks = set(tokens(text))
            return _FactLine(Line(text, hit, q.mentions(toks), 0.0, toks), f)

        for f in analysis.jobs:
            title = f.value["title"] if isinstance(f.value, dict) else str(f.value)
            out.append(fact(f"open role hiring job: {title}", f))
        for f in analysis.technologies:
            out.append(fact(f"uses technology {f.value} ({f.label.replace('_', ' ')})", f))
        if not set(q.terms) & HIRING_WORDS:
            # "Does it have a data protection officer?": someone the site names with that title. (Not whether it
            # is hiring one: a team page's engineers are no open role.)
            for f in analysis.people:
                if isinstance(f.value, dict) and f.value.get("title"):
                    out.append(fact(f"has a {f.value['title']}: {f.value['name']}", f))
        return out

    def _matching_people(self, q: Question, analysis: Analysis) -> list[Finding]:
        """People the site names with the position the question asks about, at the company itself rather than
        "CTO of" someone else. The first position word is the head ("board" in "board of directors", "head" in
        "head of sales"): a "Board Member" sits on the board of directors."""
        wanted = q.titles
        if q.entity != "person" or not wanted:
            return []
        out = []
        # An author's byline that gives their role ("Ruben Fiszel, Founder at Windmill") states it like a card.
        titled_authors = [f for f in analysis.bylines if f.value["title"]]
        # "GitLab co-founder Sid Sijbrandij", "our co-founder, Dmitriy": prose naming the company's own people.
        own_mentions = [
            f
            for f in analysis.titled_mentions
            if str(f.value["of"]).lower() in ("our", "its") or (set(tokens(str(f.value["of"]))) or {""}) <= q.own
        ]
        for f in [*analysis.people, *titled_authors, *own_mentions]:
            title = str(f.value["title"])
            if (
                mentioned(wanted[0], set(tokens(title)))
                and not held_elsewhere(title, q.own)
                and not _title_held_elsewhere(q, title)
            ):
                out.append(f)
        return out

    def _matching_jobs(self, q: Question, analysis: Analysis) -> list[Finding]:
        wanted = q.role_terms
        out = []
        for f in analysis.jobs:
            v = f.value if isinstance(f.value, dict) else {"title": str(f.value)}
            toks = set(tokens(" ".join(str(x) for x in v.values() if x)))
            if all(mentioned(t, toks) or related(t) & toks for t in wanted):
                out.append(f)
        return out

    # -- lists ------------------------------------------------------------------------------------------------
    def _list(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        best: _Reading | None = None
        seen: list[_Reading] = []
        # What the site calls things of the asked kind ("the Launch plan", "Community and Enterprise support
        # plans"): the items of a list that are such names are of the asked type.
        site_names = self._named_as(q, analysis)
        kind_pattern = _kind_pattern(q)
        for group in _list_groups(lines) + _heading_groups(q, lines, analysis):
            if q.organisations:
                group.items = _affiliations(group, analysis) or group.items
                firms = [organisation_of(it) for it in group.items]
                if any(firms):
                    # "led by Glenn Solomon of GGV Capital, Guillermo Rauch of Vercel, and GitHub founder Tom
                    # Preston-Werner": people named by their firms; the firms answer, the people do not.
                    group.items = _dedupe(
                        [f or it for f, it in zip(firms, group.items, strict=True) if f or not person_or_role(it)]
                    )
                elif any(person_or_role(it, names=False) for it in group.items):
                    # "Which venture firms are on its board?": the board's cards name people, their titles and
                    # the firms; the firms are the answer. (Only where roles show a list of people: a customer
                    # list's "Marlow Whitcombe" is a law firm, however personal it sounds.)
                    group.items = [it for it in group.items if not person_or_role(it)]
                if not group.items:
                    continue
            anchors = {t for _, t in group.doc.links}
            f = {
                "sec": group.hit.score,
                "rank": 1 / (1 + group.hit.rank),
                "ctx": q.mentions(set(tokens(group.section.context))),
                "head": q.mentions(set(tokens(group.heading if group.heading is not None else group.section.heading))),
                "line": group.intro_mention(q),
                "items": min(1.0, len(group.items) / 5),
                "inside": q.mentions(set(tokens(" ".join(group.items)))),
                "names": sum(1 for it in group.items if _name_like(it)) / len(group.items),
                "links": sum(1 for it in group.items if it in anchors) / len(group.items),
                "series": 1.0 if group.kind == "series" else 0.0,
                "column": 1.0 if group.kind == "column" else 0.0,
                "cards": 1.0 if group.kind == "lines" else 0.0,
                "headings": 1.0 if group.kind == "headings" else 0.0,
            }
            if group.kind == "series" and kind_pattern is not None:
                # "one free Developer plan and three paid plans: Team, Business, and Enterprise": the sentence
                # names one more of the kind before its series.
                have = {_bare(it, q) for it in group.items}
                more = [n for n in _names_before(kind_pattern, group.quote) if _bare(n, q) not in have]
                if more:
                    group.items = _dedupe([*more, *group.items])
            typed = _typed_items(q, group, analysis.common_words)
            f["typed"] = min(1.0, len(typed) / max(len(group.items), 1)) if q.entity else 0.0
            if site_names:
                in_site = sum(1 for it in group.items if _bare(it, q) in site_names)
                f["typed"] = max(f["typed"], in_site / len(group.items))
            # Keep the items of the asked type when they are the group's substance (people among their titles).
            # (Not names in general: which of a list's capitalised items are names is too loose a call to cut by.)
            if q.entity != "name" and len(typed) >= 2 and (group.kind == "lines" or len(typed) * 2 >= len(group.items)):
                # The gazetteer does not know every product: a technology list's other items that are names
                # ("Rippling" among "Okta, OneLogin") stay; its phrases ("Custom SAML2 Integration") go.
                if q.entity == "technology" and group.kind in ("list", "headings"):
                    known = {t.lower() for t in typed}
                    typed = [
                        it
                        for it in group.items
                        if any(k in it.lower() for k in known) or is_proper_name(it, analysis.common_words)
                    ]
                group.items = typed
            score = self.model.score("list", f)
            self._trace("list", group.items, f, score)
            finding = Finding("reader", group.items, group.quote, group.doc, score)
            seen.append((score, group.items, [finding], group.doc.url, f))
            if best is None or score > best[0]:
                best = seen[-1]
        # Things of the asked type named anywhere in a top section, in prose or in list items alike: "Error
        # tracking (e.g., Sentry)" / "Downtime reported to Opsgenie". Not names in general: prose is full of them.
        for hit_lines in _by_section(lines)[:MENTION_SECTIONS] if q.entity not in (None, "name") else []:
            named = [(ln, _typed_line(q, ln.text, analysis.common_words)) for ln in hit_lines]
            named = [(ln, found) for ln, found in named if found]
            items = _dedupe([n for _, found in named for n in found])
            if len(items) < 2:
                continue
            hit = named[0][0].hit
            f = {
                "sec": hit.score,
                "rank": 1 / (1 + hit.rank),
                "ctx": named[0][0].context,
                "head": named[0][0].heading,
                "line": max(ln.mention for ln, _ in named),
                "items": min(1.0, len(items) / 5),
                "names": 1.0,
                "typed": 1.0,
                "mentions": 1.0,
            }
            score = self.model.score("list", f)
            self._trace("list", items, f, score)
            findings = [Finding("reader", found, ln.text, ln.doc, score) for ln, found in named]
            seen.append((score, items, findings, hit.section.doc.url, f))
            if best is None or score > best[0]:
                best = seen[-1]
        for name, items, findings, context in self._fact_groups(q, analysis):
            mention = q.mentions(set(tokens(context)))
            if mention == 0:
                continue
            f = {
                "sec": 0.5 * mention,
                "rank": 0.5,
                "ctx": mention,
                "line": mention,
                "items": min(1.0, len(items) / 5),
                "names": 1.0,
                # People named with their titles and job postings are records the site lists; markup fingerprints
                # are facts of another reliability: each has its own weight.
                "people" if name.startswith(("people", "job")) else "fact": 1.0,
                "typed": 1.0
                if (q.entity == "technology" and name.startswith("technologies"))
                or (q.entity == "person" and name.startswith("people"))
                else 0.0,
            }
            score = self.model.score("list", f)
            self._trace("list", items, f, score)
            seen.append((score, items, findings, name, f))
            if best is None or score > best[0]:
                best = seen[-1]
        if best is not None and q.entity is not None:
            best = _fuller_reading(best, seen)
        if best is None or best[0] < self.model.threshold("list"):
            return Draft(None, [], {}, 0.0, f"Not stated: no list in {analysis.looked_at()} answers it.")
        score, items, findings, where, feats = best
        return Draft(items[:25], findings[:25], feats, score, f"Items of the best matching list ({where}).")

    def _named_as(self, q: Question, analysis: Analysis) -> frozenset[str]:
        """The names the site gives things of the asked kind by writing them before its noun: "What plans do
        they offer?" — "the Launch plan", "the Scale plan", "Community, Standard and Enterprise support plans".
        Names written so at least twice across the site, lower-cased."""
        pattern = _kind_pattern(q)
        if pattern is None:
            return frozenset()
        noun = stem(q.asked[-1])
        counts: dict[str, int] = defaultdict(int)
        for doc in analysis.pages:
            for line in doc.text.splitlines():
                if noun in line.lower():
                    for name in _names_before(pattern, line):
                        counts[name.lower()] += 1
        return frozenset(n for n, c in counts.items() if c >= 2 and not set(tokens(n)) <= q.own)

    def _fact_groups(self, q: Question, analysis: Analysis) -> list[tuple[str, list[str], list[Finding], str]]:
        out = []
        techs = analysis.technologies
        if techs:
            cats: dict[str, list[Finding]] = defaultdict(list)
            for f in techs:
                cats[f.label].append(f)
            for cat, fs in cats.items():
                context = f"{cat.replace('_', ' ')} technology on the website"
                out.append((f"technologies ({cat})", [str(f.value) for f in fs], fs, context))
            context = "technologies on the website: " + " ".join(cats)
            out.append(("technologies", [str(f.value) for f in techs], techs, context.replace("_", " ")))
        holders = self._matching_people(q, analysis)
        if holders:
            names = _dedupe([str(f.value["name"]) for f in holders])
            held = " ".join(str(f.value["title"]) for f in holders)
            # A founder is who founded it: the verb a question asks by is what the title says.
            held_stems = set(tokens(held))
            verbs = " ".join(verb for verb, title in ROLE_VERBS.items() if title in held_stems)
            out.append((f"people ({', '.join(q.titles)})", names, holders, f"people team {held} {verbs}"))
        jobs = self._matching_jobs(q, analysis)
        if jobs:
            titles = [f.value["title"] if isinstance(f.value, dict) else str(f.value) for f in jobs]
            out.append(("job postings", titles, jobs, "open roles jobs positions hiring careers openings"))
        return out

    # -- urls -------------------------------------------------------------------------------------------------
    def _url(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        best: Candidate | None = None
        site = analysis.domain.removeprefix("www.")

        def consider(value: str, quote: str, doc: Document, f: dict[str, float]) -> None:
            nonlocal best
            cand = Candidate(value, quote, doc, f)
            cand.score = self.model.score("url", f)
            self._trace("url", value, f, cand.score)
            # Equal scores: the shorter address is the section's own page (/careers/ over /careers/design/).
            if best is None or (cand.score, -len(str(cand.value))) > (best.score, -len(str(best.value))):
                best = cand

        for doc in analysis.pages:
            about = " ".join([doc.title, url_words(doc.url)])
            quote = doc.title if doc.title and doc.title in doc.body else ""
            if not quote and doc.title:
                # "Pricing & Billing" is "Pricing &amp; Billing" in the markup: cite the page's first heading,
                # which its text holds verbatim.
                quote = next((h for h in analysis.headings(doc)[:1] if h and h in doc.text), "")
            if not quote:
                continue
            # A page is about what its title and address say, not a heading on it: the homepage's "Pricing"
            # teaser is not the pricing page.
            f = {
                "line": q.mentions(_with_kin(q, set(tokens(about)))),
                "internal": 1.0,
                "page": 1.0,
                "fetched": 1.0,
                "depth": min(1.0, urlsplit(doc.url).path.strip("/").count("/") / 3),
                "names": _names_in(q, about),
            }
            consider(doc.url, quote, doc, f)
        for link in analysis.links:
            if not link.url.startswith(("http://", "https://")) or not link.text or link.text not in link.doc.text:
                continue
            host = site_of(link.url)
            if host.endswith(site) and analysis.by_url.get(page_key(link.url)):
                continue  # a fetched page of the site is a candidate of its own
            about = " ".join([link.text, url_words(link.url), host])
            f = {
                "line": q.mentions(_with_kin(q, set(tokens(about)))),
                "internal": 1.0 if host.endswith(site) else 0.0,
                "depth": min(1.0, urlsplit(link.url).path.strip("/").count("/") / 3),
                "names": _names_in(q, about),
            }
            consider(link.url, link.text, link.doc, f)
        if best is None or best.score < self.model.threshold("url"):
            return Draft(None, [], {}, 0.0, f"Not stated: no page or link in {analysis.looked_at()} fits.")
        return Draft(best.value, [best.finding()], best.features, best.score, f"“{best.quote}” ({best.doc.url}).")

    # -- open text --------------------------------------------------------------------------------------------
    def _text(self, q: Question, lines: list[Line], analysis: Analysis, mode: str) -> Draft:
        best: Candidate | None = None
        passages: list[Candidate] = []  # the passages read, for what they agree on
        if q.subject == "company":
            # What the company is or does: its homepage and about page say so, in whatever words.
            lines = lines + self._self_lines(q, analysis)
        where = self._where_lines(q, analysis) if q.entity == "place" else self._stated_lines(q, analysis)
        # "Where is Acme based?" asks nothing but where the company is: what it says of itself answers it, not a
        # passage that happens to share the words ("pricing based on the market rate in Berlin").
        lines = where if where and q.only_where else lines + where
        stated_where = {id(ln) for ln in where}
        for i, line in enumerate(lines):
            # A line of a section about the question that gives the kind of thing asked for (an address, a
            # registered name) answers it without repeating the question's words.
            typed = q.entity in _SPAN_KINDS and line.context > 0 and bool(of_type(q.entity, line.text))
            typed = typed or id(line) in stated_where
            typed = typed or bool(_labelled(line) and line.heading > 0)
            if line.mention == 0 and not (q.subject == "company" and _home(line.doc)) and not typed:
                continue
            for text, window in self._passages(lines, i):
                if _title_held_elsewhere(q, text):
                    continue
                spans = of_type(q.entity, text) if q.entity in _SPAN_KINDS else []
                if q.entity in _SPAN_KINDS and not spans:
                    continue  # an address, a registered name, an identifier: the passage must give one
                if q.entity == "person" and q.titles and not _others(q, of_type("person", text, analysis.common_words)):
                    continue  # who holds a position: a passage that names nobody ("Like a CTO, you'll …")
                if _story_of_another(line.doc, text, q):
                    continue  # a customer story's facts are the customer's
                if q.entity == "place" and not _names_place(q, text):
                    continue  # where: a passage that names no place ("State only the name of the city.")
                toks = set(tokens(text))
                f = self._base(line)
                f["line"] = q.mentions(toks)
                if _own_legal_name(q, spans) or (id(line) in stated_where and q.place_kind and _names_place(q, text)):
                    # Said in none of the question's words, yet all it asks: a registered name that carries the
                    # company's own name ("Bitcraze AB"), or where the company says it is, naming a place of the
                    # kind asked ("We are based in Malmö, Sweden" for "its registered country").
                    f["line"] = 1.0
                f["short"] = 1.0 if len(text.split()) < 4 else 0.0
                f["name"] = _names_match(q, line)
                f["window"] = 1.0 if window else 0.0
                f["entity"] = _has_entity(q, text, analysis.common_words)
                f["new"] = _new_words(q, text)
                f["home"] = _home(line.doc)
                f["self"] = f["home"] if q.subject == "company" else 0.0
                # Where the company says it is: an analyzer's finding, whatever words the question used.
                f["fact"] = 1.0 if id(line) in stated_where else 0.0
                cand = Candidate(text, text, line.doc, f)
                cand.score = self.model.score("open_text", f)
                self._trace("open_text", text, f, cand.score)
                passages.append(cand)
                if best is None or cand.score > best.score:
                    best = cand
        for fact in self._fact_lines(q, analysis):
            if fact.mention == 0 or not isinstance(fact, _FactLine) or fact.finding.kind != "technology":
                continue
            if q.entity in _SPAN_KINDS:
                continue
            f = {
                "line": fact.mention,
                "fact": 1.0,
                "entity": _has_entity(q, fact.text, analysis.common_words),
                "new": _new_words(q, fact.text),
            }
            found = fact.finding
            if isinstance(found.value, dict):  # a job posting
                text = str(found.value.get("title") or "")
            else:
                text = f"{found.value} ({found.label.replace('_', ' ')})" if found.label else str(found.value)
            cand = Candidate(text, found.quote, found.doc, f, kind=found.kind)
            cand.score = self.model.score("open_text", f)
            self._trace("open_text", text, f, cand.score)
            if best is None or cand.score > best.score:
                best = cand
        for found in self._matching_people(q, analysis):
            name, title = str(found.value["name"]), str(found.value["title"])
            toks = set(tokens(title))
            # "Who founded it?" asks for a title the question words as a verb: the title held says it.
            held = sum(1 for t in q.titles if mentioned(t, toks)) / len(q.titles)
            f = {"line": max(q.mentions(toks), held), "people": 1.0, "entity": 1.0, "new": _new_words(q, name)}
            cand = Candidate(name, found.quote, found.doc, f, kind=found.kind)
            cand.score = self.model.score("open_text", f)
            self._trace("open_text", f"{name} ({title})", f, cand.score)
            if best is None or cand.score > best.score:
                best = cand
        for doc in analysis.pages:
            desc = doc.meta.get("description", "")
            if q.entity in _SPAN_KINDS and not of_type(q.entity, desc):
                continue
            if desc and desc in doc.body:
                toks = set(tokens(desc))
                f = {
                    "line": q.mentions(toks),
                    "meta": 1.0,
                    "home": _home(doc),
                    "new": _new_words(q, desc),
                    "entity": _has_entity(q, desc, analysis.common_words),
                    "self": _home(doc) if q.subject == "company" else 0.0,
                }
                cand = Candidate(desc, desc, doc, f)
                cand.score = self.model.score("open_text", f)
                self._trace("open_text", desc, f, cand.score)
                passages.append(cand)
                if best is None or cand.score > best.score:
                    best = cand
        if best is not None and best in passages and q.entity in _AGREED_KINDS:
            best = _most_agreed(q, passages, best, analysis.common_words)
        if best is None or best.score < self.model.threshold("open_text"):
            return Draft(None, [], {}, 0.0, f"Not stated: nothing in {analysis.looked_at()} answers it.")
        section = next((ln.hit.section for ln in lines if best.quote in ln.text and ln.doc is best.doc), None)
        heading = f" ({' > '.join(section.headings)})" if section and section.headings else ""
        # "Where is it based?" is answered by the place, "Who is the CEO?" by the name; the passage is the evidence.
        value = _answer_span(q, str(best.value), analysis.common_words) or best.value
        return Draft(value, [best.finding()], best.features, best.score, f"From {best.doc.url}{heading}.")

    def _where_lines(self, q: Question, analysis: Analysis) -> list[Line]:
        """Lines anywhere on the site that say where the company itself is, whatever the question's words: "We
        are based in Berlin", "Acme B.V. is established at … in Amsterdam", an imprint's or privacy notice's
        postal address ("10115 Berlin")."""
        out: list[Line] = []
        for doc in analysis.pages:
            legal = bool(_ADDRESS_PAGE.search(urlsplit(doc.url).path))
            for sec in analysis.sections_of(doc):
                # Most lines hold neither a word of place nor a postal code: a cheap look first, then sentences.
                hinted = [ln for ln in sec.lines if _WHERE_HINT.search(ln) or _POSTAL_CODE.search(ln)]
                for text in (s for ln in hinted for s in _sentences(ln)):
                    if len(text) > 400:
                        continue
                    toks = set(tokens(text))
                    postal = bool(_POSTAL_CODE.search(text))
                    if not (_says_where(q, text) or (postal and (legal or toks & q.own or _ADDRESS_LABEL.match(text)))):
                        continue
                    if not any(q.place_kind is None or place_kind(p) == q.place_kind for p in places(text)):
                        continue  # a place the gazetteers know: an address line's capitals are mostly streets
                    hit = Hit(sec, WHERE_HIT, len(out))
                    out.append(Line(text, hit, q.mentions(toks), 0.0, toks, 0.0))
                    if len(out) >= WHERE_LINES:
                        return out
        return out

    def _stated_lines(self, q: Question, analysis: Analysis) -> list[Line]:
        """Lines anywhere on the site that give the company's own registered name, register number or contact
        address, whatever the question's words: "Bitcraze AB" on the contact page, "Sentry is a registered
        trademark of Functional Software, Inc." in the homepage's footer. A registered name that carries the
        company's name counts wherever it stands; otherwise the line must name the company on a page that
        states such things (imprint, terms, privacy, contact, the homepage)."""
        if q.entity not in _SPAN_KINDS:
            return []
        out: list[Line] = []
        for doc in analysis.pages:
            legal = bool(_ADDRESS_PAGE.search(urlsplit(doc.url).path)) or _home(doc) == 1.0
            for sec in analysis.sections_of(doc):
                for text in sec.lines:
                    if len(text) > 400:
                        continue
                    found = of_type(q.entity, text)
                    if not found:
                        continue
                    toks = set(tokens(text))
                    own = _own_legal_name(q, found)
                    if not (own or (legal and toks & q.own)):
                        continue
                    out.append(Line(text, Hit(sec, WHERE_HIT, len(out)), q.mentions(toks), 0.0, toks, 0.0))
                    if len(out) >= WHERE_LINES:
                        return out
        return out

    def _self_lines(self, q: Question, analysis: Analysis) -> list[Line]:
        out = []
        for doc in analysis.pages:
            if not _home(doc):
                continue
            for k, sec in enumerate(analysis.sections_of(doc)[:4]):
                hit = Hit(sec, 0.5, TOP_SECTIONS + k)
                for text in sec.lines:
                    toks = set(tokens(text))
                    out.append(Line(text, hit, q.mentions(toks), 0.0, toks, 0.0))
        return out

    def _passages(self, lines: list[Line], i: int) -> list[tuple[str, bool]]:
        """A line's sentences, and the line joined with a short neighbour (a label and its value, a name and
        its title) when the page has them together."""
        line = lines[i]
        out = [(s, False) for s in _sentences(line.text)]
        labelled = _labelled(line)
        if labelled:
            out.append((labelled, True))
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and lines[j].hit is line.hit:
                a, b = (lines[j], line) if j < i else (line, lines[j])
                if min(len(a.text.split()), len(b.text.split())) <= 8:
                    joined = f"{a.text}\n{b.text}"
                    if len(joined.split()) <= 40 and joined in line.doc.text:
                        out.append((joined, True))
        return out

    # -- json_schema ------------------------------------------------------------------------------------------
    def _json(self, question: str, schema: dict[str, Any], analysis: Analysis) -> Draft:
        raw = schema.get("properties")
        props: dict[str, Any] = raw if isinstance(raw, dict) else {}
        parts: dict[str, tuple[str, Draft]] = {}
        entities: dict[str, str | None] = {}
        for name, sub in props.items():
            sub = sub if isinstance(sub, dict) else {}
            kind = _schema_answer_type(sub)
            asked = _property_question(question, name, sub, props)
            q = parse(asked, kind, analysis.domain)
            if kind == "number" and q.unit == "money":
                # A number named in a currency ("pro_usd_per_month") is a price: read and scored as one.
                kind = "currency"
                q = parse(asked, kind, analysis.domain)
            # What the property names decides what kind of thing it is: "company" of "Who founded it, and what is
            # the company's name?" is a name though the sentence asks "who".
            said = _property_words(name)
            named = entity_named_by(said)
            if named is None and q.entity == "person" and names_an_organisation(asked):
                # "Who is its CEO, and which company did it spin out of?": `spun_out_of` is the company's clause.
                named = "name"
            q.entity = named or q.entity
            if q.entity == "place":
                q.place_kind = place_kind_named(said) or q.place_kind
            # The property's own words tell its value from its siblings' ("secretary" beside "president").
            mine = {stem(w) for w in said}
            for t in q.terms:
                if t in mine:
                    q.weights[t] = q.weights.get(t, 1.0) * 3.0
            draft = self.read(q, analysis)
            if draft.value is None:
                continue
            entities[name] = q.entity
            value = draft.value
            if kind == "open_text" and sub.get("type") == "string":
                # The reading may already be the name itself ("GitLab" of "Meltano spins out of GitLab."), which
                # holds no other name to take.
                text = str(value)
                value = _span(text, q, analysis.common_words)
                if value is None and _name_like(text) and not any(e.quote == text for e in draft.evidence):
                    value = text  # the name its passage was read down to
                if value is None:
                    continue
            if kind == "currency" and isinstance(value, dict):
                value = value["value"]
            parts[name] = (kind, Draft(value, draft.evidence, draft.features, draft.score, draft.reasoning))
        # Properties that ask for different kinds of thing (a person, a company) are not the same name: "founder"
        # and "company" are not both "Tim Abbott". (A CEO who is also the founder is one person, asked twice.)
        # The value stays with the property that read it best.
        texts = {n: str(d.value) for n, (_, d) in parts.items() if isinstance(d.value, str)}
        for name, value in texts.items():
            rivals = [m for m, v in texts.items() if m != name and m in parts and v.lower() == value.lower()]
            rivals = [m for m in rivals if entities.get(m) != entities.get(name)]
            if any(_keeps_over(m, name, value, parts, entities, analysis.common_words) for m in rivals):
                del parts[name]
        out = {n: d.value for n, (_, d) in parts.items()}
        evidence = [e for _, d in parts.values() for e in d.evidence]
        if not out:
            return Draft(
                None, [], {}, 0.0, f"Not stated: no property of the schema is answered in {analysis.looked_at()}."
            )
        try:
            jsonschema.validate(out, {**schema, "required": [k for k in schema.get("required", []) if k in out]})
        except jsonschema.ValidationError as exc:
            return Draft(None, [], {}, 0.0, f"The values found do not fit the schema: {exc.message}")
        score = sum(d.score for _, d in parts.values()) / len(parts) * (len(parts) / max(1, len(props)))
        return Draft(
            out, evidence, {"score": score}, score, f"Filled {len(out)} of {len(props)} properties.", parts=parts
        )

    # -- shared -----------------------------------------------------------------------------------------------
    def _draft(self, q: Question, cand: Candidate | None, kind: str, value: Any) -> Draft:
        if cand is None or cand.score < self.model.threshold(kind):
            why = "no value" if cand is None else f"the best value ({cand.value}) scored too low"
            return Draft(None, [], {}, 0.0, f"Not stated: {why} for this question.")
        findings = cand.extra or [cand.finding()]
        return Draft(
            value(cand), findings[:10], cand.features, cand.score, f"From {cand.doc.url}: “{cand.quote[:160]}”."
        )


class _FactLine(Line):
    def __init__(self, line: Line, finding: Finding) -> None:
        super().__init__(line.text, line.hit, line.mention, line.context, line.toks, line.heading)
        self.finding = finding

    @property
    def doc(self) -> Document:
        return self.finding.doc


@dataclass
class _Group:
    items: list[str]
    quote: str
    hit: Hit
    intro: str
    kind: str = "list"  # list | column | series
    heading: str | None = None  # the heading the items stand under, when not their section's (sibling headings)

    @property
    def section(self) -> Section:
        return self.hit.section

    @property
    def doc(self) -> Document:
        return self.hit.section.doc

    def intro_mention(self, q: Question) -> float:
        return q.mentions(set(tokens(self.intro)))


_Reading = tuple[float, list[str], list[Finding], str, dict[str, float]]  # score, items, findings, where, features


def _fuller_reading(best: _Reading, readings: list[_Reading]) -> _Reading:
    """Of two readings of one enumeration, the fuller: one that holds every item of the best ("George, Sultan" of
    "Matt, George, Sultan and Rachel"), is as typed and scores nearly as well is the list, the best a part of it.
    (Not a site's whole stack of facts: that is no fuller list of one kind of tool.)"""
    have = {it.lower() for it in best[1]}
    fuller = [
        r
        for r in readings
        if r[0] >= best[0] - FULLER_MARGIN
        and len(r[1]) > len(best[1])
        and have <= {it.lower() for it in r[1]}
        and r[4].get("typed", 0.0) >= best[4].get("typed", 0.0)
        and not r[4].get("fact")
    ]
    return max(fuller, key=lambda r: r[0]) if fuller else best


def _list_groups(lines: list[Line]) -> list[_Group]:
    """Enumerations in the retrieved sections: runs of list items, table columns, comma series."""
    out: list[_Group] = []
    by_section: dict[int, list[Line]] = defaultdict(list)
    for ln in lines:
        by_section[id(ln.hit.section)].append(ln)
    for sec_lines in by_section.values():
        hit = sec_lines[0].hit
        run: list[str] = []
        intro = ""
        previous = ""
        maybe: list[Line | None] = [*sec_lines, None]
        for item in maybe:
            if item is not None and item.is_list_item() and not item.is_table_row():
                if not run:
                    intro = previous
                run.append(item.text)
            else:
                if len(run) >= 2:
                    items = _dedupe([_lead(t) for t in run])
                    if items:
                        out.append(_Group(items, "\n".join(run), hit, intro))
                run = []
            if item is not None:
                previous = item.text
        rows = [ln.text for ln in sec_lines if ln.is_table_row()]
        if len(rows) >= 2:
            cells = [r.split(" | ") for r in rows]
            width = max(len(c) for c in cells)
            header = cells[0]
            for j in range(width):
                col = [c[j] for c in cells[1:] if j < len(c) and c[j]]
                items = _dedupe([_lead(x) for x in col])
                if len(items) >= 2:
                    label = header[j] if j < len(header) else ""
                    out.append(_Group(items, "\n".join(rows), hit, label, "column"))
        for line in sec_lines:
            for sentence in _sentences(line.text):
                series = _series(sentence)
                if len(series) >= 2:
                    out.append(_Group(series, sentence, hit, sentence, "series"))
        # Cards: a run of short lines (a name, a title, a name, a title...), as team and board pages lay out.
        run_lines: list[Line] = []
        for item2 in [*sec_lines, None]:
            if item2 is not None and len(item2.text.split()) <= 7 and not item2.text.endswith((".", "?", ":")):
                run_lines.append(item2)
                continue
            if len(run_lines) >= 3:
                texts = [ln.text for ln in run_lines]
                quote = "\n".join(texts)
                if quote in run_lines[0].doc.text:
                    out.append(_Group(_dedupe(texts), quote, hit, "", "lines"))
            run_lines = []
    return out


def _own_legal_name(q: Question, spans: list[str]) -> bool:
    """Whether a legal-name question's typed spans include a registered name that carries the company's own name
    ("Bitcraze AB")."""
    return q.entity == "legal" and any(set(tokens(s)) & q.own for s in spans)


def _affiliations(group: _Group, analysis: Analysis) -> list[str]:
    """For a question about organisations, a list of people quoted or carded with their organisation ("Rick
    Timmis, VP Engineering - Xiatech") read as those organisations: the customers a reviews section quotes,
    the firms a board's members come from. Empty unless most of the items are people the page so attributes."""
    held: dict[str, str] = {}
    for found in analysis.people:
        if found.doc is group.doc and isinstance(found.value, dict):
            org = affiliation(str(found.value.get("name", "")), str(found.value.get("title", "")))
            if org:
                held.setdefault(str(found.value["name"]), org)
    orgs = [held[it] for it in group.items if it in held]
    if len(orgs) < 2 or len(orgs) * 2 < len(group.items):
        return []
    return _dedupe(orgs)


def _heading_groups(q: Question, lines: list[Line], analysis: Analysis) -> list[_Group]:
    """Sibling headings on a retrieved page (a customers page with one heading per customer)."""
    out: list[_Group] = []
    seen: set[str] = set()
    for line in lines:
        doc = line.doc
        if doc.snapshot_id in seen:
            continue
        seen.add(doc.snapshot_id)
        children: dict[tuple[str, ...], list[str]] = defaultdict(list)
        for sec in analysis.sections_of(doc):
            if sec.headings:
                children[sec.headings[:-1]].append(sec.heading)
        for parent, heads in children.items():
            # A heading that reads as a sentence ("Like what we stand for? Join us.") ends a run of names: the
            # headings after it are of another kind.
            runs: list[list[str]] = [[]]
            for h in map(_unmarked, heads):
                if _name_like(h, HEADING_WORDS):
                    runs[-1].append(h)
                elif runs[-1]:
                    runs.append([])
            intro = " ".join([doc.title, url_words(doc.url), *parent])
            for run in runs:
                names = _dedupe(run)
                if len(names) >= 3:
                    # Sibling headings stand under their parent: "Collaboration" under "Values" is a value; the
                    # headings under "Collaboration" are its parts, whatever page they are on.
                    parent_heading = parent[-1] if parent else doc.title
                    out.append(_Group(names, names[0], line.hit, intro, "headings", parent_heading))
    return out


def _by_section(lines: list[Line]) -> list[list[Line]]:
    """The retrieved lines grouped by their section, best-ranked section first."""
    groups: dict[int, list[Line]] = {}
    for ln in lines:
        groups.setdefault(id(ln.hit.section), []).append(ln)
    return sorted(groups.values(), key=lambda g: g[0].hit.rank)


def _typed_line(q: Question, text: str, common: frozenset[str]) -> list[str]:
    named = _others(q, of_type(q.entity, text, common, q.tech_kinds)) if q.entity else []
    if q.entity == "place":
        # A country is no answer to "which cities" ("Leeds, London, United Kingdom"), nor a city to "which
        # countries"; a place the gazetteers do not know the kind of may be either. ("Regions" are also a cloud's
        # places, "US East (Ohio)", so they take any kind.)
        if q.place_kind in ("city", "country"):
            named = [n for n in named if place_kind(n) in (None, q.place_kind)]
        # One place per row, its most specific: "California, USA" is a Californian place, "US East (Ohio)" an
        # Ohioan one, not also American ones.
        return sorted(named, key=lambda n: _SPECIFIC[place_kind(n)])[:1]
    return named


_SPECIFIC = {"city": 0, "region": 1, None: 2, "country": 3}


def _typed_items(q: Question, group: _Group, common: frozenset[str]) -> list[str]:
    """The items of a group that are things of the type the question asks for (people, places, technologies)."""
    if not q.entity:
        return []
    if q.entity == "name":
        # An item is a name as a whole ("Lightspeed", "La Famiglia"); a line's first word is no sentence's.
        return [it for it in group.items if is_proper_name(it, common)]
    found: list[str] = []
    short: list[str] = []
    # A list's items are read in their whole lines (an item's lead may drop its place); a series', a table
    # column's and sibling headings' items are their own texts (a table's other columns are other things).
    for text in group.quote.split("\n") if group.kind in ("list", "lines") else group.items:
        if q.entity == "technology" and _short_technology(q, _lead(text)):
            # "Go" is a word in prose but a language as an item among languages ("TypeScript, Python, Go").
            short.append(_lead(text))
            found.append(_lead(text))
            continue
        # One place per row: "California, USA" is a Californian region, not also an American one.
        found += _typed_line(q, text, common)
    if len(found) - len(short) < 2:
        found = [f for f in found if f not in short]
    return _dedupe(found)


def _short_technology(q: Question, item: str) -> bool:
    """A gazetteer name too short to find in running text ("Go"), written as a whole item, of the asked kind."""
    return len(item) <= 2 and item in tech_names() and (not q.tech_kinds or bool(tech_kinds()[item] & q.tech_kinds))


# "and" in the languages of the sites read (a German imprint's "Max Muster und Erika Muster").
_AND = r"(?:and|or|&|und|oder|et|ou|y|och|og)"
_SPLIT_SERIES = re.compile(rf",\s*(?:{_AND}\s+)?|\s+{_AND}\s+")
# "Users: Pigment, frontify, Alphawatch": a short label, then the items it labels.
_SERIES_LABEL = re.compile(r"^\s*[^:,.]{1,40}?:\s+(?=\S)")


def _series(sentence: str) -> list[str]:
    """Names enumerated in prose: "backed by Index Ventures, Battery Ventures and NEA", "using X and Y"."""
    body = sentence.rstrip(" .;")
    label = _SERIES_LABEL.match(body)
    if label and len(label.group().split()) <= 4 and "," in body[label.end() :]:
        body = body[label.end() :]
    else:
        label = None
    parts = [_SERIES_MARKS.sub("", p).strip(" .;:()") for p in _SPLIT_SERIES.split(body)]
    if len(parts) < 2:
        return []
    best: list[str] = []
    run: list[str] = []
    for k, part in enumerate(parts):
        candidate = part
        lead_in = ""
        if run and re.fullmatch(r"[a-z][\w.-]{2,}", part) and (label is not None or re.search(r"\d", part)):
            # Under a label every part is an item, a brand written in lower case ("frontify") among them; a lower
            # case word with a digit in it ("n8n", "k3s") is a brand anywhere in a series.
            run.append(part)
            continue
        if k == 0 or not run or not _series_item(candidate):
            # A name that follows words of the sentence ("led by Index Ventures", "with participation from GV")
            # is its capitalised tail; a label's word ("Geschäftsführer: Maximilian Deichmann") is not part of it.
            words_ = candidate.split()
            tail: list[str] = []
            for w in reversed(words_):
                if w.endswith(":"):
                    break
                if w[:1].isupper() or w[:1].isdigit() or (tail and w.lower() in ("of", "de", "the", "for", "and")):
                    tail.insert(0, w)
                else:
                    break
            while tail and tail[0].islower():
                tail.pop(0)  # "the likes of Retool": the name starts at its own capital
            lead_in = " ".join(words_[: len(words_) - len(tail)])
            candidate = " ".join(tail)
        candidate = re.sub(r"^(?:(?:the|a|an|and|or)\s+)+", "", candidate)
        if run and lead_in and not _joins_series(lead_in):
            # "Juan Linietsky, who works at Google": a clause about the last item, not another item of its series;
            # otherwise a new clause may start the next one ("Today, we raised funding led by Glenn Solomon of
            # GGV, Guillermo …").
            if len(run) > len(best):
                best = run
            run = []
            if lead_in.split()[0].lower() in _RELATIVE_WORDS:
                candidate = ""
        if candidate and _series_item(candidate):
            run.append(candidate)
        else:
            if len(run) > len(best):
                best = run
            run = []
    if len(run) > len(best):
        best = run
    return _dedupe(best) if len(best) >= 2 else []


# Marks an item can carry before its name in prose ("🤝 Collaboration, 📈 Results for Customers").
_SERIES_MARKS = re.compile(r"^[^\w\s'\"\u2018\u201c(]+\s*|[\u200b-\u200d\ufe0f]")
# The words that bring in a further item of a series: "..., with participation from GV", "..., including Acme".
_SERIES_JOINERS = frozenset({"from", "by", "including", "includes", "like", "with", "plus", "as", "and", "also"})


# Words that start a clause about the item before them: "Juan Linietsky, who works at Google".
_RELATIVE_WORDS = frozenset({"who", "whom", "whose", "which", "where", "that", "when"})


def _joins_series(lead_in: str) -> bool:
    """Whether the words before a series part's name bring in one more item ("with participation from")."""
    ws = lead_in.split()
    if all(w.lower() in ("the", "a", "an") for w in ws):
        return True  # "..., the Dominican Republic and Germany"
    return len(ws) <= 4 and all(w.islower() for w in ws) and ws[-1] in _SERIES_JOINERS


def _series_item(text: str) -> bool:
    """A name as a series enumerates it: capitalised, or a number that starts a capitalised name ("1984
    Ventures")."""
    if _name_like(text):
        return True
    ws = text.split()
    return 2 <= len(ws) <= 5 and ws[0][:1].isdigit() and any(w[:1].isupper() for w in ws[1:])


# Pages where a company tells its own story: /about/, /about-us/who-we-are/, /company/history/, /our-story/.
_STORY_SEGMENT = re.compile(r"^(about|about-us|who-we-are|our-story|story|history|our-history)$", re.I)
STORY_SECTIONS = 4  # the opening sections of such a page, where it says when it began


def _story_lines(q: Question, analysis: Analysis) -> list[Line]:
    """The opening lines of the pages where the company tells its story, read besides the retrieved ones."""
    out: list[Line] = []
    for doc in analysis.pages:
        segments = [p for p in urlsplit(doc.url).path.split("/") if p]
        if not any(_STORY_SEGMENT.match(p) for p in segments):
            continue
        for k, sec in enumerate(analysis.sections_of(doc)[:STORY_SECTIONS]):
            hit = Hit(sec, 0.5, TOP_SECTIONS + k)
            ctx = q.mentions(set(tokens(sec.context)))
            for text in sec.lines:
                toks = set(tokens(text))
                out.append(Line(text, hit, q.mentions(toks), ctx, toks, q.mentions(set(tokens(sec.heading)))))
    return out


_ABOUT_PATH = re.compile(r"^/(about|about-us|company|who-we-are|our-story|mission)/?$", re.I)


LABEL_WORDS = 6  # a heading this short over a section's first line labels it ("Project Manager:")


def _labelled(line: Line) -> str | None:
    """A section's first line read with the short heading that labels it ("Project Manager:" over "Rémi
    Verschelde"), as the page writes them together."""
    sec = line.hit.section
    head = sec.heading.strip()
    if not head or not sec.lines or sec.lines[0] != line.text or len(head.split()) > LABEL_WORDS:
        return None
    joined = f"{head}\n{line.text}"
    return joined if len(joined.split()) <= 40 and joined in line.doc.text else None


def _intro(line: Line) -> str | None:
    """The line that introduces the list a list item belongs to: the nearest line above it that is no item."""
    sec = line.hit.section
    try:
        i = sec.lines.index(line.text)
    except ValueError:
        return None
    for prev in reversed(sec.lines[:i]):
        if prev not in sec.list_lines:
            return prev
    return None


_SPAN_KINDS = ("email", "legal", "identifier", "licence")


def _nearest_typed(q: Question, text: str) -> str | None:
    """The address, registered name or identifier in a text nearest after the question's words ("Commercial
    register: HRB 123456" rather than the postcode on the line before)."""
    found = of_type(q.entity, text, tech_kinds=q.tech_kinds) if q.entity else []
    if len(found) < 2:
        return next(iter(found), None)
    anchor = next((p for p in (_position(text, t) for t in q.terms) if p is not None), 0)
    spans = [(text.find(f), f) for f in found]
    after = [(i, f) for i, f in spans if i >= anchor]
    return min(after or spans, key=lambda it: abs(it[0] - anchor))[1]


# Kinds of thing the passages of a site agree on when they name one answer again and again ("written in Rust" on
# the homepage, the blog and the docs), while a passage that names another ("a client for Python") stands alone.
_AGREED_KINDS = ("technology",)
AGREE_MARGIN = CONSTRAINT_MARGIN


def _most_agreed(q: Question, passages: list[Candidate], best: Candidate, common: frozenset[str]) -> Candidate:
    """Among the passages that score about as well as the best, the one naming the thing of the asked kind that
    most of the read passages name (each passage counted once, however many pages repeat it)."""
    named: dict[tuple[str, str], tuple[Candidate, set[str]]] = {}
    for c in passages:
        key = (c.doc.url, str(c.value))
        if key not in named:
            named[key] = (
                c,
                {e.lower() for e in _others(q, of_type(q.entity or "", str(c.value), common, q.tech_kinds))},
            )
    support: dict[str, int] = defaultdict(int)
    for _, es in named.values():
        for e in es:
            support[e] += 1

    def backing(es: set[str]) -> int:
        return max((support[e] for e in es), default=0)

    mine = backing(
        next((es for c, es in named.values() if c is best), set())
        or {e.lower() for e in _others(q, of_type(q.entity or "", str(best.value), common, q.tech_kinds))}
    )
    close = [(c, es) for c, es in named.values() if es and c.score >= best.score - AGREE_MARGIN]
    if not close:
        return best
    pick, es = max(close, key=lambda ce: (backing(ce[1]), ce[0].score))
    if backing(es) <= mine:
        return best
    pick.score = max(pick.score, best.score * 0.95)
    return pick


KIN_PREFIX = 5  # first letters two forms of one word share at least ("donatio" / "donate")
KIN_SHARE = 0.8  # and the part of the shorter stem they share ("complia" / "complet" share too little)


def _with_kin(q: Question, toks: set[str]) -> set[str]:
    """A page's title and address name it in a word or two, often in another form than the question's ("Donate"
    for "donation page"): the question's terms that are another form of one of them (`_kin`) count as said."""
    long = [t for t in toks if len(t) >= KIN_PREFIX]
    return toks | {t for t in q.terms if len(t) >= KIN_PREFIX and any(_kin(t, u) for u in long)}


def _kin(a: str, b: str) -> bool:
    """Two stems of one word: they share its first letters and nearly all of the shorter one ("donate" and
    "donatio"), not just a prefix that starts many words ("complia" and "complet": compliance and completion)."""
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return shared >= KIN_PREFIX and shared >= KIN_SHARE * min(len(a), len(b))


def _title_held_elsewhere(q: Question, text: str) -> bool:
    """Whether every place a passage names the position asked about holds it at another organisation
    ("Janet Smith, CEO, Company X" in a testimonial is nobody's answer to "Who is Acme's CEO?")."""
    if q.entity != "person" or not q.titles:
        return False
    seen = False
    for t in q.titles:
        for m in re.finditer(r"[^\W_]+", text):
            if stem(m.group(0)) != t:
                continue
            seen = True
            line_start = text.rfind("\n", 0, m.start()) + 1
            line = text[line_start:].split("\n", 1)[0]
            held = held_elsewhere(text[m.start() :].split("\n", 1)[0][:80], q.own)
            # "Neon Co-Founder, Heikki Linnakangas", "(dxw founder), William Heath (…)": a person's name after the
            # comma is the holder's or the next person's, not an employer's.
            after = re.match(r"[^\W_]+\)?,\s+(.{0,60})", text[m.start() :].split("\n", 1)[0])
            held = held and not (after and any(after.group(1).startswith(p) for p in of_type("person", after.group(1))))
            held = held or _org_before(text[line_start : m.start()], q.own)
            # "Jason Warner (CTO GitHub)": an aside that puts an organisation right after the title.
            aside = re.match(r"[^\W_]+\s+([A-Z][\w.&-]*)\)", text[m.start() :])
            held = held or bool(aside and _org_before(f"; {aside.group(1)} ", q.own))
            # In a headline only the one word right before the title can be its organisation ("Twitter Founders").
            last = text[line_start : m.start()].split()[-1:]
            held = held or (_title_cased(line) and bool(last) and _org_before(f"; {last[0]} ", q.own))
            if not held and not _attributed_elsewhere(line, m.group(0), q.own):
                return False
    return seen


# Another organisation's name right before a title, after the start of the line, punctuation or a lower-case word
# ("Sourcegraph CTO", "joined as GitHub's former CTO"); not a holder's name ("Luke Hoban, CTO"; "Jane Smith CTO").
_ORG_BEFORE = re.compile(
    r"(?:^|[^\w\s]|\b[a-z][\w-]*)\s*([A-Z][\w.&-]*)(?:['\u2019]s)?\s+(?:(?:former|acting|interim|founding|then)\s+)?$"
)


def _title_cased(line: str) -> bool:
    """A headline that capitalises every longer word ("Elon Musk Drives Even Some Twitter Founders to Mastodon"):
    its capitals say nothing of where a name begins."""
    ws = [w for w in re.findall(r"[^\W\d_]+", line) if len(w) >= 4]
    return len(ws) >= 4 and all(w[:1].isupper() for w in ws)


def _org_before(before: str, own: frozenset[str]) -> bool:
    m = _ORG_BEFORE.search(before)
    if not m:
        return False
    org = m.group(1)
    return not TITLE.search(org) and org not in _NOT_ORGS and not set(tokens(org)) & own


# (Nor a word that makes a title more particular: "Managing Director", "General Manager", "Project Manager".)
_NOT_ORGS = frozenset(
    """The Our Its Their Former Acting Interim New Founding Current Then Co Managing General Senior Deputy Technical
    Operating Financial Executive Associate Assistant Principal Project Product Program Engineering Community
    Marketing Sales Operations Finance Design People""".split()
)


def _attributed_elsewhere(line: str, title_word: str, own: frozenset[str]) -> bool:
    """A quote's attribution that names another organisation between the name and the title: "—Janet Smith,
    Company X, CEO"."""
    parts = [p.strip(" -\u2013\u2014") for p in line.split(",")]
    if len(parts) < 3 or len(line) > 120:
        return False
    for part in parts[1:]:
        if title_word in part or not part[:1].isupper() or TITLE.search(part):
            continue
        if set(tokens(part)) & own or places(part):
            return False
        return True
    return False


# Customers' stories and quotes: /customers/, /customers/soundcloud/, /case-studies/menta/ (not /customer-data/).
_CUSTOMER_STORY = re.compile(
    r"/(?:case-stud(?:y|ies)|customers?|customer-stor(?:y|ies)|success-stor(?:y|ies)|testimonials?)(?:/|$)", re.I
)


def _story_of_another(doc: Document, text: str, q: Question) -> bool:
    """A customer story tells the customer's facts and quotes its people: "— Ernesto Mendoza, CTO" or "Founded
    in 2007, SoundCloud is …" on a case study are not the company's, unless the passage names the company."""
    return bool(_CUSTOMER_STORY.search(urlsplit(doc.url).path)) and not set(tokens(text)) & q.own


def _home(doc: Document) -> float:
    """1 on the homepage, 0.5 on an about page: where a company says what it is and does."""
    path = urlsplit(doc.url).path or "/"
    return 1.0 if path.strip("/") == "" else 0.5 if _ABOUT_PATH.match(path) else 0.0


def _has_entity(q: Question, text: str, common: frozenset[str]) -> float:
    if not q.entity:
        return 0.0
    if q.entity in _SPAN_KINDS:  # the company's own address or registered name is the answer, not another's
        return 1.0 if of_type(q.entity, text) else 0.0
    if q.entity == "person" and "\n" not in text and any(stem(w.lower()) in ROLE_WORDS for w in words(text)):
        # A sentence that names the position asked about has its holder only where a name stands against it.
        return 1.0 if _answer_span(q, text, common) else 0.0
    names = {n.lower() for n in q.names}
    return (
        1.0 if any(e.lower() not in names for e in _others(q, of_type(q.entity, text, common, q.tech_kinds))) else 0.0
    )


def _others(q: Question, spans: list[str]) -> list[str]:
    """Typed spans that are not the company itself: "Osio Labs" is shaped like a person's name, and a sentence
    naming the company is no evidence of who holds a position there."""
    out = []
    for e in spans:
        joined = "".join(words(e)).lower()
        if set(tokens(e)) & q.own or joined in q.own or stem(joined) in q.own:
            continue
        out.append(e)
    return out


def _new_words(q: Question, text: str) -> float:
    """Share of a passage's content words that the question does not already say: an answer adds something."""
    toks = tokens(text)
    if not toks:
        return 0.0
    said = set(q.terms) | set(q.own)
    return sum(1 for t in toks if t not in said) / len(toks)


HEADING_WORDS = 6  # a heading names a thing in a few more words than a list item ("Play to Win, as a Team")


def _name_like(text: str, most: int = 5) -> bool:
    ws = text.split()
    return 1 <= len(ws) <= most and text[:1].isupper() and not text.endswith((".", ":", "?"))


def _unmarked(text: str) -> str:
    """An item without the emoji, bullets and symbols it is decorated with ("🔴 Empathy", "→ Docs")."""
    i = 0
    while i < len(text) and (
        unicodedata.category(text[i])[0] in "SZC"
        or unicodedata.category(text[i]) == "Mn"
        or text[i] in "\u2022\u00b7-*\u2013\u2014"
    ):
        i += 1
    return text[i:]


def _lead(text: str) -> str:
    m = _LEAD.match(_unmarked(text.strip()))
    lead = (m.group(1) if m else text).strip(" .;,*")
    return lead if len(lead.split()) <= 8 else ""


def _dedupe(items: list[str]) -> list[str]:
    seen, out = set(), []
    for it in items:
        k = it.lower()
        if it and k not in seen:
            seen.add(k)
            out.append(it)
    return out


def _numbered(name: str) -> bool:
    ws = words(name)
    return len(ws) > 1 and any(w.isdigit() for w in ws) and any(w.isalpha() for w in ws)


_ACRONYM = re.compile(r"[A-Z]{2,5}")
_SPELLING_WORD = re.compile(r"[^\W\d_]+")
# Words an acronym's letters never stand for.
_NOT_INITIALS = frozenset("a an and or the of to in for by with".split())


def _spelled_out(acronym: str, text: str) -> int | None:
    """Where `text` writes out the words an acronym stands for ("Data Processing Addendum" for "DPA", "single
    sign-on" for "SSO"): as many words in a row as it has letters, each starting with its letter."""
    found = list(_SPELLING_WORD.finditer(text))
    n = len(acronym)
    for k in range(len(found) - n + 1):
        run = found[k : k + n]
        if "".join(m.group(0)[0] for m in run).upper() != acronym:
            continue
        if any(m.group(0).lower() in _NOT_INITIALS for m in run):
            continue
        if any(text[a.end() : b.start()].strip(" -") for a, b in itertools.pairwise(run)):
            continue  # the words must stand together ("Data Processing Addendum", not "Data. Processing")
        # Capitalised, or words of substance ("business associate agreement", "sign-on"), not any three words
        # whose letters happen to fit ("will be automatically added").
        if all(m.group(0)[0].isupper() or len(m.group(0)) >= 4 or text[m.start() - 1 : m.start()] == "-" for m in run):
            return run[0].start()
    return None


def _written_together(name: str) -> re.Pattern[str]:
    """A name of several words as a page writes it whole: its words in order, run together or apart, with at most
    one word between ("ISO/IEC 27001"); an acronym in capitals as the question does ("SOC", not "SoC")."""
    parts = []
    for w in words(name):
        parts.append(re.escape(w) if w.isupper() and len(w) > 1 else f"(?i:{re.escape(w)})")
    return re.compile(r"(?<![\w])" + r"[\s/-]*(?:\w+[\s/-]+)?".join(parts) + r"(?![\w])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENT.split(text) if s.strip()]


def _sentence_of(text: str, pos: int) -> str:
    start = 0
    for s in _SENT.split(text):
        i = text.find(s, start)
        if i <= pos < i + len(s):
            return s
        start = i + len(s)
    return text


def _position(text: str, term: str) -> int | None:
    for m in re.finditer(r"[^\W_]+", text):
        if stem(m.group(0)) == term:
            return m.start()
        # "ISO27001" is "ISO 27001" run together, as the tokens read it: the term is found where its part is.
        glued = GLUED.fullmatch(m.group(0))
        if glued and term in (stem(glued.group(1)), glued.group(2)):
            return m.start() if stem(glued.group(1)) == term else m.start() + glued.end(1)
    return None


def _nearness(q: Question, text: str, v: Value) -> float:
    best = 0.0
    for m in re.finditer(r"[^\W_]+", text):
        s = stem(m.group(0))
        if s in q.compounds and not _compound_at(text, m, q.compounds[s]):
            continue  # the "time" of "part-time" is not the question's "full-time"
        # For a year, a related word counts half, as in `Question.mentions`: dated text is full of "since",
        # "began" and "launched", and "since 2019" is near "since", not "founded".
        weight = 1.0 if s in q.terms else (0.5 if q.unit == "year" else 1.0) if related(s) & set(q.terms) else 0.0
        if weight:
            d = abs(m.start() - v.span[0]) if m.start() < v.span[0] else abs(m.start() - v.span[1])
            best = max(best, weight / (1.0 + d / 20.0))
    return best


_HYPHEN_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


def _only_in_other_compounds(text: str, term: str, parts: tuple[str, ...]) -> bool:
    """Whether a text says a term of the question's hyphenated word only inside other hyphenated words."""
    other = False
    for m in _HYPHEN_WORD.finditer(text):
        stems = tuple(stem(w) for w in m.group(0).split("-"))
        if term not in stems:
            continue
        if len(stems) == 1 or any(stems[i : i + len(parts)] == parts for i in range(len(stems))):
            return False  # said plainly, or the question's word inside a longer one ("not-for-profit")
        other = True
    return other


def _compound_at(text: str, m: re.Match[str], parts: tuple[str, ...]) -> bool:
    """Whether the hyphenated word around a match is the question's compound."""
    start = m.start()
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
        start -= 1
    end = m.end()
    while end < len(text) and (text[end].isalnum() or text[end] == "-"):
        end += 1
    return tuple(stem(p) for p in text[start:end].split("-") if p) == parts


def _card_text(lines: list[Line], i: int) -> str:
    """A line as a card reads it: a short line ("$35") with the short line under it ("per user per month"), whose
    words are the price's as much as its period is."""
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < len(lines) and lines[i + 1].hit is line.hit else None
    if nxt is None or len(line.text.split()) > CARD_WORDS or len(nxt.text.split()) > CARD_WORDS:
        return line.text
    return f"{line.text} {nxt.text}"


def _card_values(text: str, card_text: str) -> list[Value]:
    """The values of a line, read in its card's text: the period under "$35" ("per user per month") is the price's.
    Only the line's own values, at their places in it."""
    if card_text == text:
        return values(text)
    return [v for v in values(card_text) if v.span[1] <= len(text)]


# Money a company gives rather than charges: a credit, a discount, a voucher. It prices nothing.
_GIVEN_MONEY = frozenset(stem(w) for w in "credit credits discount discounts off voucher coupon rebate".split())
_MONEY_FILLER = frozenset(stem(w) for w in "in of free monthly yearly annual usage account".split())


def _money_given(v: Value) -> bool:
    """Whether an amount is written as a credit or discount: "$1 monthly credit", "$5 in free credits"."""
    for w in v.after[:3]:
        if w in _GIVEN_MONEY:
            return True
        if w not in _MONEY_FILLER:
            return False
    return False


_COUNTED = frozenset({"people", "customer", "office", "country", "language", "count"})
_DURATION_STEMS = frozenset(s for d in DURATIONS for s in UNITS.get(d, {d}))


def _unit_match(q: Question, v: Value, line: Line) -> float:
    """+1 when the words next to the value are the unit the question asks for, -1 when they are another unit."""
    if q.unit is None:
        return 0.0
    near = set(v.after[:2]) | set(v.before[-2:])
    if v.duration:
        near.add(v.duration)
    if q.unit == "year":
        return 1.0 if v.kind == "year" else -1.0
    if q.unit == "money" and q.answer_type == "number":
        # A number asked in money ("How much did they raise?") is an amount: one written with its currency, or
        # with the scale amounts are written in ("our 7.5M seed funding"); a percentage or a year is not.
        if v.kind == "money" or (v.kind == "number" and v.scale >= 1e3):
            return 1.0
        return -1.0 if v.kind in ("percent", "year") else 0.0
    if q.unit in DURATIONS:
        # Words next to a value are stems ("minutes" → "minut", "minute" → "minute"): the unit is compared as its
        # group of stems. A duration is written after its number; "on day 15" numbers a day, it lasts none.
        forms = UNITS.get(q.unit, frozenset({q.unit}))
        after = set(v.after[:2])
        if v.duration in forms or after & forms:
            return 1.0
        return -1.0 if (v.duration or after & _DURATION_STEMS) else 0.0
    group = UNITS.get(q.unit)
    if group is not None:
        own = group | ({q.unit_noun} if q.unit_noun else set())
        # The noun written after a number is what it counts, the last of its two words when both are units
        # ("10 business days" counts days); one before it only when nothing after says otherwise ("converting to
        # a paid customer one day" counts a day, not customers).
        if _modifies_another(line.text, v, own):
            return -1.0  # "2 employee trustees" counts trustees
        other_org = _OF_ANOTHER.match(line.text, v.span[1])
        if other_org and not set(tokens(other_org.group(1))) & q.own and not other_org.group(1).isupper():
            return -1.0  # "two employees at Zephyr" are another company's
        units_after = [w for w in v.after[:2] if w in own or any(w in other for other in UNITS.values())]
        last = {units_after[-1]} if units_after else ({v.duration} if v.duration else set())
        # A word before a comma belongs to the clause before ("elected by staff, 2 independent trustees").
        before = set() if re.search(r"[,;:.]\s*$", line.text[: v.span[0]]) else set(v.before[-2:])
        for side in (last, before):
            if side & own:
                return 1.0
            if any(key != q.unit and side & other for key, other in UNITS.items()):
                return -1.0
        return 0.0
    if q.unit == "count" and q.unit_noun:
        if q.unit_noun in near or related(q.unit_noun) & near:
            return 1.0
        return -0.5 if any(near & g for g in UNITS.values()) else 0.0
    return 0.0


_OF_ANOTHER = re.compile(r"\s+[A-Za-z]+\s+(?:at|of|from)\s+([A-Z][\w.&-]*)")
_TWO_WORDS = re.compile(r"\s+([A-Za-z]+)\s+([A-Za-z]+)")


def _modifies_another(text: str, v: Value, own: frozenset[str] | set[str]) -> bool:
    """Whether the unit word after a count of several is singular and stands before a plural noun of another
    kind, so the count is of that noun: "2 employee trustees", "3 customer advisory boards"."""
    m = _TWO_WORDS.match(text, v.span[1])
    if m is None or v.value <= 1:
        return False
    unit, noun = m.group(1), m.group(2)
    return (
        stem(unit) in own
        and not unit.lower().endswith("s")
        and noun.lower().endswith("s")
        and stem(noun) not in own
        and noun.lower() not in STOPWORDS
    )


def _period_match(q: Question, v: Value) -> float:
    if v.kind != "money" or q.period is None or v.period is None:
        return 0.0
    if v.period == q.period:
        return 1.0
    return -0.5 if v.period.startswith(q.period) else -1.0


def _names_match(q: Question, line: Line) -> float:
    if not q.names:
        return 0.0
    hay = (line.text + " " + line.hit.section.context).lower()
    found = sum(1 for n in q.names if n.lower() in hay)
    return found / len(q.names)


_CLAUSE_BREAK = re.compile(r"[,;.!?]\s+|\s+(?:while|whereas|but|and|or|vs\.?|versus)\s+", re.I)


def _clause_fit(q: Question, text: str, v: Value, spans: list[tuple[int, int]]) -> float:
    """How much of the question the part of its sentence a value holds says, the plans and things it names
    counting twice as much as all its words. The sentence's clauses (cut at commas, "while", "and", ...) belong to
    the value they hold, and those that hold none to the value before them and after them: "100% of health
    insurance coverage cost for employees" and "50% of dependents" are two parts; "so we have 20% of working hours,
    usually Friday, to work on projects" one; "750 compute hours (3000 active hours)/month for the Scale plan" one
    part of both its values."""
    sentence_start = 0
    for m in _SENT.finditer(text):
        if m.end() <= v.span[0]:
            sentence_start = m.end()
    sentence_end = next((m.start() for m in _SENT.finditer(text) if m.start() >= v.span[1]), len(text))
    cuts = [sentence_start]
    for m in _CLAUSE_BREAK.finditer(text, sentence_start, sentence_end):
        cuts.append(m.end())
    cuts.append(sentence_end)
    pieces = list(itertools.pairwise(cuts))
    others = [sp for sp in spans if sp != v.span and sentence_start <= sp[0] and sp[1] <= sentence_end]

    def holds_other(piece: tuple[int, int]) -> bool:
        return any(piece[0] <= a < piece[1] for a, _ in others)

    at = next((k for k, (a, b) in enumerate(pieces) if a <= v.span[0] < b), 0)
    first = last = at
    while first > 0 and not holds_other(pieces[first - 1]):
        first -= 1
    while last < len(pieces) - 1 and not holds_other(pieces[last + 1]):
        last += 1
    start, end = pieces[first][0], pieces[last][1]
    clause = text[start:end]
    names = list(dict.fromkeys([*q.names, *q.plans]))
    named = [n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", clause, re.I)]
    return q.mentions(set(tokens(clause))) + (2.0 * len(named) / len(names) if names else 0.0)


def _column_header(line: Line, pos: int) -> tuple[list[str], int] | None:
    """The header row of the table a row stands in, as cells, and the column of the cell ending at `pos`. A row with
    fewer cells than its header (a label wrapped onto the line before) lines up with it from the right."""
    header = _header_row(line)
    if header is None or header == line.text:
        return None
    cells = header.split(" | ")
    col = line.text[:pos].count(" | ") + max(0, len(cells) - (line.text.count(" | ") + 1))
    return (cells, col) if col < len(cells) else None


def _column_names(q: Question, line: Line, v: Value, found: float) -> float:
    """The names a table cell is read with: a header naming the question's plan or tier over one column says the
    other columns' values are another's ("Parameter | Standard | Enterprise": 99.5% is Standard's)."""
    head = _column_header(line, v.span[1])
    if head is None:
        return found
    cells, col = head
    named = [i for i, cell in enumerate(cells) if any(n.lower() in cell.lower() for n in q.names)]
    if not named or named == [0]:
        return found  # no header names it, or only the row labels' column does
    return 1.0 if col in named else 0.0


def _names_said(q: Question, line: Line) -> float:
    """Share of the question's names a line or its headings say as words: "US" is not the "us" of "bonus"."""
    if not q.names:
        return 0.0
    hay = line.text + " " + line.hit.section.context
    return sum(1 for n in q.names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", hay, re.I)) / len(q.names)


def _names_in(q: Question, text: str) -> float:
    if not q.names:
        return 0.0
    return sum(1 for n in q.names if n.lower() in text.lower()) / len(q.names)


def _year_match(q: Question, line: Line) -> float:
    if not q.years:
        return 0.0
    hay = line.text + " " + line.hit.section.context
    return 1.0 if any(str(y) in hay for y in q.years) else -1.0


def _clean_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 4)


def _property_words(name: str) -> list[str]:
    """ "hobby_usd_per_month" → hobby, usd, per, month; "legalName" → legal, name."""
    return [w for w in re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]", " ", name).split() if w]


# A word as a question writes it, a dotted name ("beta.gouv.fr", "Matrix.org") kept whole, or a punctuation mark.
_QUESTION_TOKEN = re.compile(r"[\w'\u2019$€£%-]+(?:\.[\w'\u2019-]+)*|[^\w\s]")


def _property_question(question: str, name: str, sub: dict[str, Any], props: dict[str, Any]) -> str:
    """The part of a record's question that asks for one property: the question without the words only the
    other properties have ("Who is its founder and who is its COO?" asks `founder` without "COO"), with the
    property's own words and description added where the question does not say them."""
    mine = {stem(w) for w in _property_words(name)}
    theirs = {stem(w) for other in props if other != name for w in _property_words(other)} - mine
    kept = [
        m.group(0)
        for m in _QUESTION_TOKEN.finditer(question)
        if stem(m.group(0).lower().removesuffix("'s").removesuffix("\u2019s")) not in theirs
    ]
    said = {stem(w) for w in words(question)}
    extra = [w for w in _property_words(name) if stem(w) not in said]
    description = sub.get("description")
    return " ".join([*kept, *extra, *([str(description)] if description else [])])


def _keeps_over(
    other: str,
    name: str,
    value: str,
    parts: dict[str, tuple[str, Draft]],
    entities: dict[str, str | None],
    common: frozenset[str],
) -> bool:
    """Whether property `other` keeps a value it shares with property `name`: the person's property when the
    value is a person's name, else the one that read it best."""
    if "person" in (entities.get(other), entities.get(name)):
        is_person = bool(of_type("person", value, common))
        return (entities.get(other) == "person") == is_person
    return parts[other][1].score > parts[name][1].score


def _schema_answer_type(sub: dict[str, Any]) -> str:
    t = sub.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "string")
    return {"integer": "number", "number": "number", "boolean": "boolean", "array": "list"}.get(str(t), "open_text")


_PROPER = re.compile(r"\b([A-Z][\w'\u2019.-]*(?:\s+(?:de|van|von|der|da|di|la|le|&|of)?\s*[A-Z][\w'\u2019.-]*)*)")


def _span(sentence: str, q: Question, common: frozenset[str]) -> str | None:
    """The named thing in a sentence that answers a property: a label's value, or the proper name nearest the
    property's words that is not one of them."""
    if q.entity in _SPAN_KINDS:
        # An address or a registered name is the company's own: its name in it is no reason to pass it over.
        return _nearest_typed(q, sentence)
    m = re.match(r"^\s*([^:|]{2,40})\s*[:|]\s*(.+)$", sentence)
    if m and set(tokens(m.group(1))) & set(q.terms):
        return m.group(2).strip(" .")
    if q.entity:
        typed = [
            e
            for e in _others(q, of_type(q.entity, sentence, common, q.tech_kinds))
            if not set(tokens(e)) & set(q.terms)
        ]
        if typed:
            anchor = next((p for p in (_position(sentence, t) for t in q.terms) if p is not None), 0)
            return min(typed, key=lambda e: abs(sentence.find(e) - anchor))
        return None
    spans = []
    for pm in _PROPER.finditer(sentence):
        text = pm.group(1).strip(" .")
        toks = set(tokens(text))
        if not toks or toks <= set(q.terms) | set(q.own) or (pm.start() == 0 and len(text.split()) == 1):
            continue
        spans.append((pm.start(), text))
    if not spans:
        return None
    anchor = next((p for p in (_position(sentence, t) for t in q.terms) if p is not None), 0)
    # What the property's words introduce comes after them ("under the ticker symbol "GTLB"", not the "October"
    # of the date before them).
    after = [sp for sp in spans if sp[0] > anchor]
    return min(after or spans, key=lambda s: abs(s[0] - anchor))[1]


_ADJACENT = re.compile(r"[\s,:(\u2013\u2014-]*")  # only spaces and punctuation between a name and a title
_WHOSE = frozenset({"our", "its", "their", "the", "his", "her", "as"})
_BEING = frozenset({"is", "was", "are", "remains", "serves", "who", "as"})


def _against(q: Question, gap: str) -> bool:
    """Whether a name and a title stand against each other across this gap: punctuation and spaces ("Zach
    Latta, founder"), with at most one word that says whose title it is ("Tony Holdstock-Brown, our CEO",
    "Harry Metcalfe (dxw founder)", "Acme's CEO Jo Bloggs")."""
    if _ADJACENT.fullmatch(gap):
        return True
    said = [w.lower() for w in words(gap)]
    rest = gap
    for w in words(gap):
        rest = rest.replace(w, " ", 1)
    if not _ADJACENT.fullmatch(rest):
        return False
    while said and said[0] in _BEING:
        said = said[1:]  # "Bob van Luijt is our CEO", "Jo Bloggs, who serves as CEO"
    if not said:
        return True
    word = said[0]
    return len(said) == 1 and (word in _WHOSE or word.endswith(("'s", "\u2019s")) or bool(set(tokens(word)) & q.own))


_PLACE_RUN = re.compile(
    r"[A-Z][\w.\u00c0-\u024f'-]+(?: [A-Z][\w.\u00c0-\u024f'-]+)*(?:, [A-Z][\w.\u00c0-\u024f'-]+(?: [A-Z][\w.\u00c0-\u024f'-]+)*)*"
)


def _fits_place(q: Question, span: str) -> bool:
    """Whether a capitalised run can be the place asked for: not a legal form or a technology ("LLC", "Rust"),
    and of the kind asked when the gazetteers know it ("Netherlands" is no answer to "which city")."""
    head = span.split(",")[0].strip()
    if is_legal_form(head) or head in tech_names():
        return False
    kind = place_kind(head)
    if q.place_kind is None or kind == q.place_kind:
        return True
    return kind is None and q.place_kind == "city"  # cities are too many to list: an unknown name may be one


def _answer_span(q: Question, passage: str, common: frozenset[str]) -> str | None:
    """The place or person a one-sentence passage names for a where/who question, nearest after its words; the
    address, registered name or identifier a passage gives when one is asked for."""
    if q.entity in _SPAN_KINDS:
        return _nearest_typed(q, passage)
    if q.entity not in ("place", "person", "name") or len(passage.split()) > 40:
        return None
    if "\n" in passage:
        # A label and its value joined ("Dan Holm, Chair" over "Eva Berg (Treasurer)"): read the line that
        # carries the question's words.
        # The line with the question's own words, else one with a word related to them ("CEO (Mike McNeil)"
        # over "Head of Business Operations (Joanne Stableford)").
        rows = passage.split("\n")
        carrying = [ln for ln in rows if set(tokens(ln)) & set(q.terms)]
        if not carrying:
            wanted_ = set().union(*(related(t) for t in q.terms)) if q.terms else set()
            carrying = [ln for ln in rows if set(tokens(ln)) & wanted_]
        # "Sourcegraph CTO" over "Jon Vale, CTO, Osprey Works": the line whose position is held at home.
        carrying = [ln for ln in carrying if not _title_held_elsewhere(q, ln)] or carrying
        if len(carrying) != 1:
            return None
        got = _answer_span(q, carrying[0], common)
        k = rows.index(carrying[0])
        if got is None and carrying[0].rstrip().endswith(":") and k + 1 < len(rows) and q.entity in ("person", "name"):
            # "Project Manager:" over "Rémi Verschelde (akien-mga)": the label's value is the row after it.
            named = _others(q, of_type(q.entity, rows[k + 1], common, q.tech_kinds))
            got = named[0] if named else None
        return got
    said = set(q.terms) | set(q.own)
    if q.entity in ("person", "name"):
        # As the passage spells it ("Hubspot" where the gazetteer says "HubSpot").
        at = [
            (passage.lower().find(p.lower()), p) for p in _others(q, of_type(q.entity, passage, common, q.tech_kinds))
        ]
        spans = [(i, passage[i : i + len(p)]) for i, p in at]
    else:
        spans = []
        for m in _PLACE_RUN.finditer(passage):
            if m.start() == 0:
                continue
            run = m.group(0).rstrip(".")
            spans.append((m.start(), run))
            if q.place_kind is None:
                continue
            # "Malmö, Sweden": the country asked for is the run's later part.
            offset = 0
            for part in run.split(", ")[1:]:
                offset = run.index(part, offset + 1)
                spans.append((m.start() + offset, part))
        spans = [(i, t) for i, t in spans if _fits_place(q, t)]
        # A place the gazetteers know as the kind asked over a capitalised run that may be one ("FLOSS").
        known = [(i, t) for i, t in spans if place_kind(t.split(",")[0].strip()) is not None]
        spans = known or spans
    stated = [p for p in places(passage) if q.place_kind in (None, place_kind(p))] if q.entity == "place" else []
    spans = [(i, t) for i, t in spans if i >= 0 and not set(tokens(t)) & said]
    if not spans:
        return None
    wanted = set(q.terms).union(*(related(t) for t in q.terms)) if q.terms else set()
    wanted |= {ROLE_VERBS[t] for t in q.terms if t in ROLE_VERBS}  # "Who founded it?": "X (dxw founder)"
    anchor = next((m.start() for m in re.finditer(r"[^\W_]+", passage) if set(tokens(m.group(0))) & wanted), None)
    if anchor is None:
        # An address line says where without the question's words ("10 Queen Street Place London"): the place
        # the gazetteers know there, when it is one.
        return stated[0] if len(stated) == 1 else None
    if q.entity == "person":
        # The name written against the position, before it or after it ("Christina Asquith, COO, and Zach
        # Latta, founder"; "Founder Zach Latta and COO Christina Asquith"), holds it.
        word = re.match(r"[^\W_]+", passage[anchor:])
        end = anchor + (len(word.group(0)) if word else 0)
        against = [
            (i, t) for i, t in spans if _against(q, passage[i + len(t) : anchor] if i < anchor else passage[end:i])
        ]
        if against:
            return min(against, key=lambda it: abs(it[0] - anchor))[1]
        if word and stem(word.group(0).lower()) in ROLE_WORDS:
            # A title no name stands against is not held by whoever else the sentence names: "Mastodon's
            # 29-year-old CEO wants … an anti-Elon Musk approach" does not make Elon Musk its CEO.
            return None
    after = [(i, t) for i, t in spans if i > anchor]
    pool = after or spans
    return min(pool, key=lambda it: abs(it[0] - anchor))[1]


# The cue words as written (prefixes of every form their stems match), for a look at a line before it is split
# and stemmed.
_WHERE_HINT = re.compile(
    r"\b(?:base|headquarter|hq|offic|locat|regist|seat|incorporat|establish|address|situat|adress|anschrift)",
    re.I,
)
_SELF_WORDS = frozenset({"we", "our", "us", "we're", "we\u2019re"})
_WORD_AT = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")


def _says_where(q: Question, text: str) -> bool:
    """ "We are based in Berlin", "our office in downtown Seattle", "Acme B.V. is established at … in Amsterdam":
    the company itself (we, our, its name) a few words before a word of place ("based", "office") that is
    followed by "in" or "at"; not "based on the market rate in San Francisco" or "at the GitHub HQ"."""
    said = [m.group(0) for m in _WORD_AT.finditer(text)]
    ws = [w.lower() for w in said]
    own = [i for i, w in enumerate(ws) if w in _SELF_WORDS or stem(w) in q.own]
    for i, w in enumerate(ws[:-1]):
        if said[i][:1].isupper():
            continue  # part of a name: "the Information Commissioner's Office in the United Kingdom"
        if stem(w) not in WHERE_CUES or not any(0 < i - j <= 12 for j in own):
            continue
        # "based in", "office is still in"; not "based on the market rate in".
        for k in range(i + 1, min(i + 4, len(ws))):
            if ws[k] in ("in", "at"):
                return True
            if ws[k] in ("on", "upon", "for", "to"):
                break
    return False


# Pages that carry the company's own postal address.
_ADDRESS_PAGE = re.compile(r"imprint|impressum|legal|privacy|contact|terms|about|mentions|company", re.I)
# A line that labels what follows as the (postal) address, in the languages sites are written in.
_ADDRESS_LABEL = re.compile(
    r"\s*(?:postal\s+|mailing\s+|our\s+)?(?:address|adresse|anschrift|direcci[oó]n|indirizzo|endere[cç]o|adres)"
    r"(?:\s+postale)?\s*:",
    re.I,
)
# A postal code as written next to a city: "10115 Berlin", "Seattle, WA 98101", "London EC4R 1AG".
_POSTAL_CODE = re.compile(r"\b\d{4,5}\s+[A-Z]|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b|\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b")


def _names_place(q: Question, text: str) -> bool:
    """Whether a passage names a place of the kind asked (a capitalised run the gazetteers do not know may be
    a city)."""
    if any(q.place_kind is None or place_kind(p) == q.place_kind for p in places(text)):
        return True
    return any(_fits_place(q, m.group(0)) for m in _PLACE_RUN.finditer(text) if m.start() > 0)


# Capitalised words that begin a phrase without naming anything ("The plan", "Each plan", "Your plan").
_NOT_KIND_NAMES = STOPWORDS | frozenset("every new old either one two three paid".split())


def _kind_pattern(q: Question) -> re.Pattern[str] | None:
    """How the site would name a thing of the asked kind ("plans" → "the Launch plan"), when the question asks
    for several things of a kind it names by a plural noun."""
    if q.entity not in (None, "name") or not q.asked or not q.asked[-1].lower().endswith("s"):
        return None
    return _named_pattern(stem(q.asked[-1]), [w.lower() for w in q.asked[:-1]])


def _named_pattern(noun: str, mods: list[str]) -> re.Pattern[str]:
    """One to three capitalised words, or a series of them, before the noun asked about (with its modifiers)."""
    name = r"[A-Z][\w+.-]*(?: [A-Z][\w+.-]*){0,2}"
    series = rf"{name}(?:, {name})*,? (?:and|or|&) {name}"
    between = "".join(rf"\s+{re.escape(m)}" for m in mods)
    return re.compile(rf"(?<![\w-])({series}|{name}){between}\s+{re.escape(noun)}\w*\b")


def _names_before(pattern: re.Pattern[str], sentence: str) -> list[str]:
    out = []
    for m in pattern.finditer(sentence):
        for part in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+", m.group(1)):
            ws = part.split()
            while ws and ws[0].lower() in _NOT_KIND_NAMES:
                ws.pop(0)
            if ws and ws[0][:1].isupper():
                out.append(" ".join(ws))
    return out


def _bare(item: str, q: Question) -> str:
    """A list item without the asked noun it carries ("Business plan" is the Business of "which plans")."""
    ws = item.split()
    noun = stem(q.asked[-1]) if q.asked else ""
    while len(ws) > 1 and (stem(ws[-1]) == noun or ws[-1].lower() in [w.lower() for w in q.asked[:-1]]):
        ws.pop()
    return " ".join(ws).lower()


def _on_topic(q: Question, line: Line, sentence: str | None = None) -> bool:
    """Whether a line (or one sentence of it), its heading or its page's headings name something the question is
    about besides the kind of answer and the company: a percentage on a page about nothing asked is no uptime
    guarantee."""
    if not q.topic:
        return True
    own = line.toks if sentence is None else set(tokens(sentence))
    near = own | set(tokens(line.hit.section.context)) | set(tokens(line.hit.section.heading))
    return any(t in near or related(t) & near for t in q.topic)


def _denied_of_another(q: Question, text: str, pos: int, common: frozenset[str]) -> bool:
    """Whether a denial speaks of other named things, not the company: "Airplane and Superblocks have comparable
    features, but they are not open-source" answers nothing about whether Windmill is. The sentence up to its
    negation names others (not the company, not what the question names) and neither "we" nor the company."""
    sentence = _sentence_of(text, pos)
    neg = NEGATION.search(sentence)
    if not neg:
        return False
    before = sentence[: neg.start()]
    if {w.lower() for w in words(before)} & _SELF_WORDS or set(tokens(before)) & q.own:
        return False
    asked = set(q.terms) | {stem(w) for n in q.names for w in words(n)}
    others = [n for n in proper_names(before, common) if not set(tokens(n)) & (asked | q.own)]
    return bool(others)


_YES_REPLY = re.compile(r"^\W*(?:yes|yep|yeah|absolutely|of course|sure|definitely|certainly|indeed)\b", re.I)
_NO_REPLY = re.compile(
    # "No." or "No, …" replies; "No credit card required" is no reply to "Is there a free trial?".
    r"^\W*(?:no(?=\s*[,.!;:\u2014-]|\s*$)|nope|not (?:yet|currently|at (?:the moment|this time|present))|"
    r"unfortunately,? (?:not|no|we)|"
    r"sorry|we (?:do not|don't|don\u2019t|cannot|can't|can\u2019t))\b",
    re.I,
)


def _reply_to(line: Line) -> tuple[int, str] | None:
    """(polarity, the reply) of the line that answers a FAQ's question line, when it opens with a yes or a no."""
    if not line.text.rstrip().endswith("?"):
        return None
    rows = line.hit.section.lines
    try:
        at = rows.index(line.text)
    except ValueError:
        return None
    if at + 1 >= len(rows):
        return None
    answer = rows[at + 1]
    if _NO_REPLY.match(answer):
        return -1, answer
    if _YES_REPLY.match(answer):
        return 1, answer
    return None


def _header_row(line: Line) -> str | None:
    """The header row of the table a row stands in: its section's first table row."""
    return next((ln for ln in line.hit.section.lines if " | " in ln), None)


_CELL_YES = frozenset("yes y ✓ ✔ ✔️ ✅ included available unlimited true supported".split())
# (The multiplication sign and the en dash by their code points: both are read as a no in a table cell.)
_CELL_NO = frozenset([*"no n ✗ ✘ x ❌ — - n/a none false unavailable".split(), "\u00d7", "\u2013"])
_CELL_SPLIT = re.compile(r"\s*\|\s*")


def _plan_cell(plans: list[str], line: Line) -> tuple[int, str] | None:
    """(polarity, why) of a table row's cell in the column whose header names an asked plan, when the cell is a
    yes or a no (a tick, a dash, "Included", "No", a limit written as a number); None otherwise. Rows and their
    header line up from the right (a header's empty corner cell may be missing)."""
    header = _header_row(line)
    if not plans or header is None or header == line.text:
        return None
    heads = _CELL_SPLIT.split(header.strip())
    cells = _CELL_SPLIT.split(line.text.strip())
    for j, head in enumerate(heads):
        plan = next((p for p in plans if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", head, re.I)), None)
        k = j + len(cells) - len(heads)
        if plan is None or k <= 0 or k >= len(cells):
            continue
        said = cells[k].strip().lower().rstrip(".")
        if said in _CELL_YES or (re.search(r"\d", said) and not re.search(r"\b(no|not)\b", said)):
            return 1, f"the {plan} column of its row says “{cells[k]}”"
        if said in _CELL_NO or said.startswith(("not ", "no ")):
            return -1, f"the {plan} column of its row says “{cells[k] or 'nothing'}”"
        return None
    return None


@cache
def _short_form(name: str) -> tuple[str, ...] | None:
    """The stems of a name's shorter form that the technology gazetteer knows as a name of the same kind: the
    last words of "Microsoft Azure" ("Azure"); None for a name without one."""
    kinds = tech_kinds()
    full = _tech_spelling().get(name.lower())
    if full is None:
        return None
    parts = full.split()
    for k in range(1, len(parts)):
        tail = " ".join(parts[k:])
        if tail in kinds and kinds[tail] & kinds.get(full, frozenset()) and len(tail) > 3:
            return tuple(stem(w) for w in words(tail))
    return None


@cache
def _tech_spelling() -> dict[str, str]:
    """The gazetteer's names by their lower case."""
    return {n.lower(): n for n in tech_names()}


def _says_plan(plans: list[str], line: Line, sentence: str) -> bool:
    """Whether the sentence, its headings or its table's header row name one of the plans asked about."""
    section = line.hit.section
    header = (_header_row(line) or "") if line.is_table_row() else ""
    hay = " ".join([sentence, section.context, section.heading, header]).lower()
    return any(re.search(rf"(?<!\w){re.escape(p.lower())}(?!\w)", hay) for p in plans)
