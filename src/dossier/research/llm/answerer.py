"""The `Answerer` with a language model: grounded, quote-verified answers, arbitrated with the offline reader.

1. The offline reader answers first (its draft, and its retrieval of sections).
2. The model reads the top sections by that retrieval plus the sections of the reader's evidence, numbered,
   and returns the answer type's JSON with claims (section number + verbatim quote).
3. Each claim is verified: its quote must occur in the stored snapshot of the section it names, and may not be
   text withheld as an instruction. Unverified claims are dropped; an answer left without one is no answer
   (lenient mode may keep it as an inference, which the engine caps and labels).
4. The value is typed by the offline reader's own parser ("$1.5M" is a currency of 1,500,000 USD).
5. Arbitration: where the reader has direct evidence and the model disagrees, the reader's answer stands unless
   the model's quote is verified and mentions more of the question. Both readings are in the reasoning.
6. With no verified answer, the draft carries what the model asked to read next (search queries, links), for
   the research loop.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit

import jsonschema

from dossier.research.analysis import Analysis
from dossier.research.evidence import Finding
from dossier.research.gather.crawler import SKIP_EXT
from dossier.research.gather.directed import pages_to_read
from dossier.research.index import Section, page_key, site_of
from dossier.research.lexicon import tokens
from dossier.research.llm import prompt
from dossier.research.llm.chat import ChatModel, ModelUnavailable
from dossier.research.ports import Draft
from dossier.research.read.question import Question, parse
from dossier.research.read.reader import OfflineReader
from dossier.research.read.values import values
from dossier.research.verify import verified

log = logging.getLogger("dossier.research.llm")
LINKS_SHOWN = 10
_URL_ONLY = re.compile(r"\s*\S+://\S+\s*")


def typed(answer_type: str, raw: Any, schema: dict[str, Any] | None = None) -> Any:
    """The model's answer in the answer type's shape, read by the offline reader's value parser; None if it
    has no such value."""
    if raw is None:
        return None
    if answer_type == "boolean":
        return raw if isinstance(raw, bool) else None
    if answer_type == "list":
        if not isinstance(raw, list):
            return None
        out: list[str] = []
        for item in raw:
            text = " ".join(str(item).split())
            if text and text.lower() not in {o.lower() for o in out}:
                out.append(text)
        return out or None
    if answer_type == "json_schema":
        if not isinstance(raw, dict) or not raw:
            return None
        try:
            jsonschema.validate(raw, schema or {"type": "object"})
        except jsonschema.ValidationError:
            return None
        return raw
    text = " ".join(str(raw).split())
    if not text:
        return None
    if answer_type == "url":
        return text if text.startswith(("http://", "https://")) else None
    if answer_type == "open_text":
        return text
    found = values(text)
    if answer_type == "currency":
        money = next((v for v in found if v.kind == "money"), None)
        return {"value": _clean(money.value), "currency": money.currency or "USD"} if money else None
    if answer_type == "percentage":
        pct = next((v for v in found if v.kind == "percent"), None) or next(
            (v for v in found if v.kind == "number"), None
        )
        return _clean(pct.value) if pct else None
    num = next((v for v in found if v.kind in ("number", "year", "money")), None)
    return _clean(num.value) if num else None


def _clean(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        x, y = " ".join(a.lower().split()), " ".join(b.lower().split())
        return x == y or x in y or y in x
    if isinstance(a, list) and isinstance(b, list):
        return {str(i).lower() for i in a} == {str(i).lower() for i in b}
    if isinstance(a, dict) and isinstance(b, dict) and "value" in a and "value" in b:
        return bool(abs(float(a["value"]) - float(b["value"])) <= 0.01 * abs(float(b["value"]) or 1.0))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= 0.01 * (abs(float(b)) or 1.0)
    return bool(a == b)


_STATED = ("number", "currency", "percentage", "list")  # answer types whose value a supporting quote must state


def _in_quote(value: Any, quote: str) -> float:
    """1 when the quote states the value itself (the number, or the words), else 0."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    if isinstance(value, bool):
        return 1.0
    if isinstance(value, (int, float)):
        return (
            1.0
            if any(abs(v.value - float(value)) <= 1e-6 * max(1.0, abs(float(value))) for v in values(quote))
            else 0.0
        )
    if isinstance(value, list):
        hits = sum(1 for item in value if str(item).lower() in quote.lower())
        return hits / len(value) if value else 0.0
    if isinstance(value, str):
        return 1.0 if value.lower() in quote.lower() else 0.0
    return 0.0


class LlmAnswerer:
    """Offline reader first, then the model over numbered sections; see the module docstring."""

    def __init__(self, chat: ChatModel, reader: OfflineReader | None = None, sections: int = 10) -> None:
        self.chat = chat
        self.reader = reader or OfflineReader()
        self.sections = sections

    def answer(
        self, question: str, answer_type: str, schema: dict[str, Any] | None, analysis: Analysis, mode: str
    ) -> Draft:
        offline = self.reader.answer(question, answer_type, schema, analysis, mode)
        q = parse(question, "open_text" if answer_type == "json_schema" else answer_type, analysis.domain)
        shown = prompt.show(self._sections(q, analysis, offline))
        links = self._links(question, analysis)
        reply_schema, strict = prompt.answer_schema(answer_type, schema)
        msgs = prompt.messages(question, answer_type, schema, analysis.domain, shown, links)
        try:
            reply = self.chat.ask_json(msgs, reply_schema, "answer", strict)
        except ModelUnavailable as exc:
            # The model is down, slow or rate limited: the question still gets the offline reader's answer.
            offline.reasoning = f"{offline.reasoning} (Language model not used: {exc}.)".strip()
            return offline
        if reply.data is None:
            offline.reasoning = (
                f"{offline.reasoning} (The model's reply was not valid JSON for the answer after a repair round: "
                f"{reply.error}.)"
            ).strip()
            return offline
        data = reply.data
        value = typed(answer_type, data.get("answer"), schema)
        allowed = {link for link, _ in links}
        more = {
            "search": [s for s in data.get("search", []) if _on_topic(s, q, analysis.domain, shown.withheld)][:3],
            "links": [u for u in data.get("links", []) if u in allowed][:3],
        }
        findings, dropped = self._claims(data.get("claims", []), shown, analysis, value)
        model = self._model_draft(q, answer_type, value, findings, dropped, reply.repaired)
        if answer_type == "json_schema":
            return self._record(offline, model, schema or {}, more)
        return self._arbitrate(q, answer_type, offline, model, mode, more)

    def _record(self, offline: Draft, model: Draft, schema: dict[str, Any], more: dict[str, list[str]]) -> Draft:
        """json_schema: property by property. The reader's properties stand; the model adds the ones the reader
        did not find, each only with a verified claim for it (a quote naming the property, or stating the
        value). Each property is then calibrated and kept or dropped on its own by the engine."""
        parts = dict(offline.parts)
        record = dict(offline.value) if isinstance(offline.value, dict) else {}
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        added = []
        if isinstance(model.value, dict):
            for name, value in model.value.items():
                if name in record:
                    continue
                support = [f for f in model.evidence if f.label == name or _in_quote(value, f.quote) == 1.0]
                if not support:
                    continue
                kind = _kind(props.get(name) if isinstance(props, dict) else None)
                features = {**model.features, "support": max(_in_quote(value, f.quote) for f in support)}
                parts[name] = (
                    kind,
                    Draft(value, support, features, model.score, f"The model read {name} in {support[0].url}."),
                )
                record[name] = value
                added.append(name)
        if not record:
            return Draft(None, [], {"llm": 1.0}, 0.0, f"{offline.reasoning} {model.reasoning}".strip(), more=more)
        evidence = [f for _, d in parts.values() for f in d.evidence]
        reasoning = offline.reasoning if offline.value is not None else ""
        if added:
            reasoning += f" The language model added {', '.join(added)}: {model.reasoning}"
        elif model.value is not None:
            reasoning += f" The language model added nothing verified: {model.reasoning}"
        return Draft(record, evidence, offline.features, offline.score, reasoning.strip(), parts=parts)

    # -- what the model reads ---------------------------------------------------------------------------------
    def _sections(self, q: Question, analysis: Analysis, offline: Draft) -> list[Section]:
        out: list[Section] = [h.section for h in self.reader.retrieve(q, analysis)[: self.sections]]
        # The reader's own evidence: the model sees what the reader found, so it can agree or disagree with it.
        for f in offline.evidence[:5]:
            sec = next((s for s in analysis.sections_of(f.doc) if f.quote in s.text), None)
            if sec is None:
                sec = Section(f.doc, ("evidence found in the page's markup or headers",), [f.quote])
            if all(sec is not s for s in out):
                out.append(sec)
        # Retrieval matches words; the model reads meaning. When few sections share the question's words
        # ("Who leads Acme?" and "Our chief executive is ..."), the rest of the budget goes to the site's other
        # sections, home page first.
        rest = sorted(analysis.index.sections, key=lambda s: urlsplit(s.doc.url).path not in ("", "/"))
        for sec in rest:
            if len(out) >= self.sections:
                break
            if all(sec is not s for s in out):
                out.append(sec)
        return out

    def _links(self, question: str, analysis: Analysis) -> list[tuple[str, str]]:
        """Unread pages of the link graph that the question's words point to first, then the rest (the only links
        the model may ask for): the site's own for a company question; for a person, their own sites' and their
        company's (`analysis.sites`, with the company's whole crawl in `analysis.graphs`)."""
        graphs = [analysis, *analysis.graphs]
        bases: dict[str, str] = {}  # site -> scheme://host of a page read on it
        for g in graphs:
            for d in g.pages:
                parts = urlsplit(d.url)
                bases.setdefault(site_of(d.url), f"{parts.scheme}://{parts.netloc}")
        sites = list(analysis.sites)
        if not sites:
            home = next((d for d in analysis.pages if urlsplit(d.url).path in ("", "/")), None) or (
                analysis.pages[0] if analysis.pages else None
            )
            if home is None:
                return []
            parts = urlsplit(home.url)
            sites = [site_of(home.url)]
            bases[sites[0]] = f"{parts.scheme}://{parts.netloc}"
        sites = [site for site in sites if site in bases]
        read = {key for g in graphs for key in g.by_url}
        urls: list[str] = []
        # Those the question's words point to first, then the rest of the unread links on those sites: the model
        # may see what a page is about where the words differ ("Our story" for funding).
        for g in graphs:
            for site in sites:
                for url in pages_to_read(question, g, {"base_url": bases[site]}, LINKS_SHOWN):
                    if page_key(url) not in read and url not in urls:
                        urls.append(url)
        text: dict[str, str] = {}
        for g in graphs:
            for link in g.links:
                p = urlsplit(link.url.split("#")[0])
                site = site_of(link.url)
                if site not in sites or SKIP_EXT.search(p.path):
                    continue
                key = f"{bases[site]}{p.path or '/'}"
                text.setdefault(key, link.text)
                if page_key(key) not in read and key not in urls:
                    urls.append(key)
        return [(u, text.get(u, "")) for u in urls[:LINKS_SHOWN]]

    # -- what the model said ----------------------------------------------------------------------------------
    def _claims(
        self, claims: list[dict[str, Any]], shown: prompt.Shown, analysis: Analysis, value: Any
    ) -> tuple[list[Finding], list[str]]:
        stored = {d.snapshot_id for d in analysis.docs}
        kept: list[Finding] = []
        dropped: list[str] = []
        for c in claims:
            quote = str(c.get("quote") or "").strip()
            n = c.get("section")
            if not isinstance(n, int) or not 1 <= n <= len(shown.sections) or not quote:
                dropped.append(f"a claim citing no shown section ({n})")
                continue
            if prompt.is_instruction(quote) or any(quote in w or w in quote for w in shown.withheld):
                dropped.append(f"a quote of instruction-like page text ([{n}])")
                continue
            section = shown.sections[n - 1]
            doc = section.doc
            finding = Finding("llm", value, quote, doc, 0.8, str(c.get("property") or ""))
            # What the model was shown is the page's text: a quote found only in its HTML source (a link's
            # URL, an attribute) is not something the page says.
            readable = quote in doc.text or any(quote in line for line in section.lines)
            if readable and not _URL_ONLY.fullmatch(quote) and verified([finding], stored):
                kept.append(finding)
            else:
                dropped.append(f"“{quote[:80]}” (not in section [{n}]'s stored page)")
        return kept, dropped

    def _model_draft(
        self,
        q: Question,
        answer_type: str,
        value: Any,
        findings: list[Finding],
        dropped: list[str],
        repaired: bool,
    ) -> Draft:
        notes = f" Dropped {len(dropped)} unverified claim(s): {'; '.join(dropped[:3])}." if dropped else ""
        if value is None:
            return Draft(None, [], {"llm": 1.0}, 0.0, f"The model found no answer.{notes}")
        if findings and answer_type in _STATED:
            # A number, an amount or a list item is supported only by a quote that states it: a real line of the
            # page next to a figure the model made up is a citation that does not say what is claimed.
            if isinstance(value, list):
                stated = [item for item in value if any(_in_quote(item, f.quote) for f in findings)]
                if len(stated) < len(value):
                    notes += f" Left out {len(value) - len(stated)} item(s) no verified quote states."
                value = stated or value
                if not stated:
                    findings = []
            elif not any(_in_quote(value, f.quote) for f in findings):
                notes += " No verified quote states the value."
                findings = []
        mention = max((q.mentions(set(tokens(f.quote))) for f in findings), default=0.0)
        support = max((_in_quote(value, f.quote) for f in findings), default=0.0)
        features = {
            "llm": 1.0,
            "verified": 1.0 if findings else 0.0,
            "support": support,
            "mention": mention,
            "repaired": 1.0 if repaired else 0.0,
        }
        # An uncalibrated prior; the configured model's fitted map (DOSSIER_LLM_CALIBRATION) turns it into a probability.
        score = (0.3 + 0.35 * support + 0.35 * mention) * (0.9 if repaired else 1.0) if findings else 0.0
        if not findings:
            return Draft(value, [], features, 0.0, f"The model answered {value!r} without verified support.{notes}")
        where = findings[0].url
        return Draft(
            value, findings[:10], features, score, f"The model read it in {where}: “{findings[0].quote[:160]}”.{notes}"
        )

    def _arbitrate(
        self, q: Question, answer_type: str, offline: Draft, model: Draft, mode: str, more: dict[str, list[str]]
    ) -> Draft:
        reader_direct = offline.value is not None and not offline.inferred and bool(offline.evidence)
        model_ok = model.value is not None and bool(model.evidence)
        if reader_direct and model_ok:
            if _same(model.value, offline.value):
                if isinstance(model.value, str) and len(model.value) < len(str(offline.value)):
                    # The same reading, put more exactly ("Northwind Ventures" for the sentence naming them).
                    model.features["agree"] = 1.0
                    model.reasoning += f" The offline reader agrees: {offline.reasoning}"
                    return model
                offline.reasoning += f" The language model agrees: {model.reasoning}"
                return offline
            reader_mention = max((q.mentions(set(tokens(f.quote))) for f in offline.evidence), default=0.0)
            both = f"Offline reader: {offline.value!r} ({offline.reasoning}) Model: {model.value!r} ({model.reasoning})"
            if model.features.get("mention", 0.0) > reader_mention:
                model.reasoning = f"{model.reasoning} Kept over the offline reader's answer: the model's verified "
                model.reasoning += f"quote mentions more of the question. {both}"
                return model
            offline.reasoning = f"{offline.reasoning} Kept over the model's answer, whose quote is no closer to "
            offline.reasoning += f"the question. {both}"
            return offline
        if reader_direct:
            offline.reasoning += f" The language model gave no verified answer: {model.reasoning}"
            return offline
        if model_ok:
            if offline.value is not None:
                model.reasoning += f" (The offline reader had only an inference: {offline.value!r}.)"
            return model
        if model.value is not None and mode == "lenient":
            # An answer without verified support is no answer in strict mode; lenient mode may show it as an
            # inference (capped and labelled by the engine).
            return Draft(model.value, [], model.features, 0.3, model.reasoning, inferred=True, more=more)
        if offline.value is not None:  # the reader's inference (lenient) stands, with the model's view noted
            offline.reasoning += f" {model.reasoning}"
            offline.more = more
            return offline
        reason = f"{offline.reasoning} {model.reasoning}".strip()
        return Draft(None, [], {"llm": 1.0}, 0.0, reason, more=more)


def _kind(sub: Any) -> str:
    """The answer type a schema property is calibrated as."""
    t = sub.get("type") if isinstance(sub, dict) else None
    return {"integer": "number", "number": "number", "boolean": "boolean", "array": "list"}.get(str(t), "open_text")


def _on_topic(query: str, q: Question, domain: str, withheld: list[str]) -> bool:
    """A search query the model proposes must be about the question or the company, and not words of page text
    withheld as an instruction (a page's text cannot steer the searches)."""
    if not isinstance(query, str) or not query.strip() or len(query) > 200 or prompt.is_instruction(query):
        return False
    if any(query.lower() in w.lower() for w in withheld):
        return False
    toks = set(tokens(query))
    names = [n for n in re.split(r"[-_]", domain.split(".")[0].lower()) if len(n) >= 3]
    return any(n in query.lower() for n in names) or q.mentions(toks) > 0
