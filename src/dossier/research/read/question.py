"""What a question asks for, read from its form: the answer type's unit, constraints and focus terms.

This module holds the only question-word vocabulary of the reader: units ("how many employees" wants a
count of people, "how many weeks" a duration), constraints (a year, a named plan, a period such as
"per month") and aggregates ("cheapest", "latest"). Nothing here picks an analyzer or an answer; it says
what a fitting value looks like, and the reader scores every candidate against that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from dossier.research.lexicon import QUESTION_WORDS, STOPWORDS, related, stem, tokens, words
from dossier.research.read.entities import tech_kinds
from dossier.research.read.values import values

# Unit groups: what the noun after a number may be for a question's unit to match.
UNITS: dict[str, frozenset[str]] = {
    key: frozenset(stem(w) for w in vals.split())
    for key, vals in {
        "people": "employees employee people staff persons person team teammates members member humans folks "
        "engineers developers workers fte ftes colleagues headcount individuals",
        "day": "day days",
        "week": "week weeks",
        "month": "month months",
        "year": "year years",
        "hour": "hour hours",
        "minute": "minute minutes",
        "country": "countries country nations",
        "customer": "customers customer clients client companies organisations organizations businesses users",
        "office": "offices office locations hubs",
        "language": "languages language",
    }.items()
}
DURATIONS = frozenset({"day", "week", "month", "year", "hour", "minute"})

AGGREGATES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"\b(cheapest|lowest|least expensive|minimum|smallest|entry[- ]level|starting|start at|fewest)\b", re.I
        ),
        "min",
    ),
    # ("Up to what percentage does it match?" echoes the page's "matching up to 4%": it asks for that cap, not for
    # the largest percentage on the page, so "up to" is no aggregate.)
    (re.compile(r"\b(most expensive|highest|maximum|max|largest|biggest|top tier)\b", re.I), "max"),
    (re.compile(r"\b(latest|most recent|last|newest|recent)\b", re.I), "latest"),
    (re.compile(r"\b(first|earliest|original)\b", re.I), "first"),
    (re.compile(r"\b(total|in total|to date|altogether|combined|overall|cumulative)\b", re.I), "total"),
]
PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(per|a|each|every|/)\s?(month|mo)\b|\bmonthly\b", re.I), "month"),
    (re.compile(r"\b(per|a|each|every|/)\s?(year|yr|annum)\b|\b(yearly|annual|annually)\b", re.I), "year"),
]
# "per seat", "per host", "per tracker": what a price is counted by (a period is not a unit of this kind).
PER_UNIT = re.compile(
    r"\bper (?!(?:month|year|annum|week|day|hour|minute|second|mo|yr|cent|capita|se)\b)([a-z]{2,})\b", re.I
)
_HOW_MANY = re.compile(
    r"\b(?:how many|number of|count of|how much|what is the (?:size|number) of)\s+((?:[\w-]+\s+){0,3}[\w-]+)", re.I
)
_HOW_LONG = re.compile(r"\bhow long\b|\bhow many (days|weeks|months|years|hours)\b|\bduration\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# A question about when something began: "founded", "start operating", "incorporated", "established".
_BEGINNING = re.compile(
    r"\b(found(?:ed|ing)?|start(?:ed)?|establish(?:ed)?|incorporat\w*|creat(?:ed)?|began|begin)\b", re.I
)
_QUOTED = re.compile(r"[\"“']([^\"”']{2,60})[\"”']")
_CAPITALISED = re.compile(r"(?<![.?!]\s)(?<!^)\b([A-Z][\w+.&-]*(?:\s+[A-Z0-9][\w+.&-]*)*)")


@dataclass
class Question:
    text: str
    answer_type: str
    terms: list[str]  # stemmed content terms
    weights: dict[str, float] = field(default_factory=dict)  # retrieval weights, related terms included
    unit: str | None = None  # a UNITS key, "percent", "money", "year", or None
    unit_noun: str | None = None  # stem of the noun counted ("role" in "how many open roles")
    period: str | None = None  # "month" | "year" for money
    per_unit: str | None = None  # "user", "seat", ... for money
    years: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # named things the answer must be about (plan, product, place)
    aggregate: str | None = None
    focus: list[str] = field(default_factory=list)  # terms a supporting sentence must contain (booleans)
    own: frozenset[str] = frozenset()
    # Hyphenated words the question uses, part stem -> the whole word's stems: "full-time" is not "part-time".
    compounds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    denied: list[str] = field(default_factory=list)  # terms the question itself negates ("without offices")
    # The kind of thing the answer names: "person" | "place" | "technology" | "name" (of an organisation, a
    # product or a person) | "email" | "legal" | "identifier".
    entity: str | None = None
    subject: str | None = None  # "company" when the question asks what the company itself is or does
    nonzero: bool = False  # "paid plan", "cheapest paid": a zero amount is not an answer
    organisations: bool = False  # the answer names organisations only ("which venture firms"), no people
    place_kind: str | None = None  # "city" | "country" | "region": which kind of place a place question asks
    # Kinds of service a technology question names ("which analytics tools", "programming languages"): the
    # technology gazetteer's kinds whose first word its asked phrase uses. Empty: any technology.
    tech_kinds: frozenset[str] = frozenset()
    # The words of the phrase a which/what question asks about ("support plans" of "What support plans does it
    # offer?"), as written.
    asked: list[str] = field(default_factory=list)
    # The plans the question is about ("on the Team plan", "Langfuse's Pro tier"), without the company's name.
    plans: list[str] = field(default_factory=list)
    # Its terms that say what it is about, besides the kind of answer ("percentage") and the company.
    topic: list[str] = field(default_factory=list)
    only_where: bool = False  # it asks nothing but where the company is ("Where is Acme based?")
    # The numbers the question writes itself ("Crazyflie 2.1", "401(k)", "in 2024"): what it gives, not what it asks.
    stated: frozenset[float] = frozenset()

    @property
    def role_terms(self) -> list[str]:
        """The question's words that say which role it asks about (not that it asks about roles)."""
        return [t for t in self.terms if t not in HIRING_WORDS]

    @property
    def titles(self) -> list[str]:
        """The question's words that name a position people hold ("co-founders", "CEO", "board members")."""
        return [ROLE_VERBS.get(t, t) for t in self.terms if t in ROLE_WORDS or t in ROLE_VERBS]

    @property
    def counts_postings(self) -> bool:
        """ "How many open roles": a count of job postings."""
        return self.unit == "count" and self.unit_noun in HIRING_WORDS

    def mentions(self, stems: set[str]) -> float:
        """Share of the question's weighted terms that `stems` contains (related terms count half)."""
        if not self.weights:
            return 0.0
        total = sum(w for t, w in self.weights.items() if t in self.terms)
        got = 0.0
        for t in self.terms:
            # "Who founded it?" is answered by "Harry Metcalfe (founder)": the title counts as the verb does.
            if t in stems or (self.entity == "person" and ROLE_VERBS.get(t) in stems):
                got += self.weights.get(t, 1.0)
            elif related(t) & stems:
                got += 0.5 * self.weights.get(t, 1.0)
        return got / total if total else 0.0


# Second-level labels under a country code that belong to the registry, not the name: beta.gouv.fr, acme.co.uk.
_REGISTRY_LABELS = frozenset("co com org net ac gov gouv edu or ne go".split())


def name_labels(domain: str) -> list[str]:
    """The labels of a domain that spell the organisation's name: "acme" of docs.acme.com, "beta" and "gouv"
    of beta.gouv.fr."""
    parts = domain.lower().removeprefix("www.").split(".")
    if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _REGISTRY_LABELS:
        return [parts[-3], parts[-2]]
    return [parts[-2] if len(parts) >= 2 else parts[0]]


def own_name_stems(domain: str) -> frozenset[str]:
    """Stems of the company's own name, read from its domain: asked about everywhere, so no evidence of anything."""
    out: set[str] = set()
    for label in name_labels(domain):
        out.add(stem(label))
        out.update(stem(p) for p in re.split(r"[-_]", label) if len(p) > 2)
    return frozenset(out)


def own_words_in(text: str, domain: str) -> frozenset[str]:
    """Stems of the words a question spells the company's name with: "Hack Club" or "Osio Labs" for a domain
    that runs them together, "Zig" for ziglang.org, "Mastodon" for joinmastodon.org."""
    label = re.sub(r"[-_]", "", name_labels(domain)[0])
    ws = [re.sub(r"['\u2019]s$", "", w) for w in words(text)]
    out: set[str] = set()
    for i, w in enumerate(ws):
        if not w[:1].isupper() or len(w) < 3:
            continue
        joined = ""
        for j in range(i, min(i + 4, len(ws))):
            joined += ws[j].lower()
            if joined not in label or not ws[j][:1].isupper():
                break
            if label.startswith(joined) or label.endswith(joined) or len(joined) >= 5:
                out.update(stem(x) for x in ws[i : j + 1])
                # "Matrix.org Foundation", "Zig Software Foundation": the words that make the name an
                # organisation's belong to it too, or "Foundation" becomes what the question is about.
                k = j + 1
                while k < len(ws) and (ws[k] in _TLDS or (ws[k][:1].isupper() and ws[k].lower() in ORG_WORDS)):
                    out.add(stem(ws[k]))
                    k += 1
    return frozenset(out)


_TLDS = frozenset("org com io net dev app ai co tech cloud".split())
# A domain ending written lowercase after a name ("Matrix.org"), and words that follow a name to make it an
# organisation's ("Software Foundation", "Labs", "Inc").
ORG_WORDS = frozenset(
    """foundation software labs lab inc ltd llc gmbh ag ab group company corp corporation technologies
    systems project collective institute association society network hq""".split()
)


_YEAR_STEM = stem("year")


def _dotted_name_in(text: str, domain: str) -> frozenset[str]:
    """Every label of the company's domain when the question writes it as its name ("beta.gouv.fr's services",
    "the Matrix.org Foundation"): its "fr" or "org" is part of the name, not a word the answer must say."""
    labels = domain.lower().removeprefix("www.").split(".")
    lower = text.lower()
    # The name as written may drop a subdomain the site is served under ("Matrix.org" for docs.matrix.org).
    for start in range(len(labels) - 1):
        written = ".".join(labels[start:])
        if re.search(rf"(?<![\w.]){re.escape(written)}(?![\w-]|\.\w)", lower):
            return frozenset(stem(label) for label in labels[start:])
    return frozenset()


def parse(text: str, answer_type: str, domain: str = "") -> Question:
    own = (
        (own_name_stems(domain) | own_words_in(text, domain) | _dotted_name_in(text, domain)) if domain else frozenset()
    )
    names = _names(text, own)
    # The number of a named standard or product is what tells "SOC 2" from "SOC 1", "ISO 27001" from "ISO dates".
    named_digits = {w for n in names for w in words(n) if w.isdigit()}
    terms: list[str] = []
    for w in words(text):
        lw = w.lower()
        if lw in STOPWORDS or lw in QUESTION_WORDS or lw in _DENIAL_CUES or lw in _FRAME_WORDS:
            continue
        if len(lw) < 2 and lw not in named_digits:
            continue
        s = stem(w)
        if s in own or s in terms or (s.isdigit() and not _YEAR.fullmatch(s) and s not in named_digits):
            continue
        terms.append(s)
    q = Question(text=text, answer_type=answer_type, terms=terms, own=own)
    for compound in re.findall(r"\b\w+(?:-\w+)+\b", text):
        parts = tuple(stem(p) for p in compound.split("-"))
        for p in parts:
            q.compounds.setdefault(p, parts)
    q.years = [int(y) for y in _YEAR.findall(text)]
    q.stated = frozenset(v.value for v in values(text))
    q.names = names
    q.denied = _denied(text, terms)
    for pattern, agg in AGGREGATES:
        if pattern.search(text):
            q.aggregate = agg
            break
    for pattern, period in PERIODS:
        if pattern.search(text):
            q.period = period
            break
    m = PER_UNIT.search(text)
    q.per_unit = m.group(1).lower() if m else None
    q.unit, q.unit_noun = _unit(text, answer_type)
    if q.unit == "year" and q.aggregate is None and _BEGINNING.search(text):
        q.aggregate = "first"  # a company is founded once: every later year it names is after its beginning
    if q.unit == "year":
        # "In what year was it founded?": "year" names the answer's unit; a sentence about some other year is
        # no closer to the answer for saying "year".
        terms[:] = [t for t in terms if t != _YEAR_STEM] or terms
    phrase = _asked_phrase(text)
    q.asked = words(phrase)
    q.entity = _entity(text, terms, q.asked)
    after_which = _ASKED_NOUN.search(text)
    asked_nouns = {q.asked[-1].lower()} if q.asked else set()
    asked_nouns |= {w.lower() for w in (after_which.groups() if after_which else ()) if w}
    q.organisations = q.entity == "name" and bool(asked_nouns & ORGANISATION_NOUNS)
    if q.entity == "place":
        asked = {w.lower() for w in words(text)}
        # "(city, state or country)" asks for any kind of place.
        kinds = [kind for kind, nouns in PLACE_KINDS if asked & nouns]
        q.place_kind = kinds[0] if len(kinds) == 1 else None
    if q.entity in (None, "technology"):
        # "Which operating systems…": a kind of service the gazetteer knows makes it a technology question.
        q.tech_kinds = _tech_kinds(phrase)
        if q.tech_kinds:
            q.entity = "technology"
    q.plans = _plans(text, own)
    product = _product_words(text, own)
    q.topic = [t for t in terms if t not in ANSWER_WORDS and t not in product] or [
        t for t in terms if t not in ANSWER_WORDS
    ]
    q.only_where = q.entity == "place" and set(terms) <= PLACE_WORDS | WHERE_CUES
    q.nonzero = answer_type == "currency" or bool(re.search(r"\bpaid\b", text, re.I))
    if not terms or set(terms) <= DESCRIBE_WORDS:
        q.subject = "company"
    q.weights = {t: 1.0 for t in terms}
    for t in terms:
        for r in sorted(related(t)):  # a set: its order would change float sums run to run
            q.weights.setdefault(r, 0.35)
    # Named things (a standard, a product, a plan) carry the question: a sentence must name them.
    named = {stem(w) for n in q.names for w in words(n)}
    # ...except a plan's name, which says where, not what: "audit logs on the Pro plan" is about audit logs (a
    # line must say it of the Pro plan, in its words or its table's header: the reader checks that apart).
    carried = [t for t in terms if t in named] or terms[:]
    for t in carried:
        q.weights[t] = q.weights.get(t, 1.0) * 1.5
    plan = {stem(w.lower()) for p in q.plans for w in words(p)} | PLAN_NOUNS
    q.focus = (
        ([t for t in carried if t not in plan] or [t for t in terms if t not in plan]) if q.plans else carried
    ) or terms[:]
    if q.entity == "person" and answer_type == "open_text":
        # "Who founded it?" is answered by "Harry Metcalfe (founder)": the title is looked for beside the verb.
        # (A list of founders is read from the people the site names by that title.)
        for t in terms:
            if t in ROLE_VERBS:
                q.weights.setdefault(ROLE_VERBS[t], 1.0)
    return q


# Words that frame what a question asks without naming it: "one of its co-founders", "the company behind it".
_FRAME_WORDS = frozenset("one behind".split())


# Words that say a question is about open positions in general, not which role ("open engineering roles").
HIRING_WORDS = frozenset(
    stem(w)
    for w in "open roles role jobs job positions position openings opening hiring hire vacancies vacancy "
    "current currently listed postings posting careers".split()
)
DESCRIBE_WORDS = frozenset(
    stem(w)
    for w in "product products service services platform solution solutions sell sells make makes offer "
    "offers business mission main core primary describe description overview what".split()
)
ROLE_WORDS = frozenset(
    stem(w)
    for w in """ceo cto cfo coo cmo cpo cro ciso founder founders cofounder co-founder cofounders director directors
    president chair chairman chairwoman chairperson head lead leads leader leaders owner owners vp chief manager
    executive executives board trustees partner partners investor investors advisor advisors member members
    maintainer maintainers author trustee secretary treasurer officer officers""".split()
)
# "Who founded it?" asks for the holder of a title the question words as a verb.
ROLE_VERBS = {
    stem(verb): stem(title)
    for verb, title in [
        ("founded", "founder"),
        ("cofounded", "founder"),
        ("co-founded", "founder"),
        ("owns", "owner"),
        ("chairs", "chair"),
    ]
}
PLACE_WORDS = frozenset(
    stem(w)
    for w in "city cities country countries where located location based headquarters headquartered hq "
    "office offices region regions state".split()
)
# Words that say where something is, in a question or on a page ("based in", "our office in", "registered at").
WHERE_CUES = frozenset(
    stem(w)
    for w in "based headquartered headquarters hq office offices located registered seat incorporated established "
    "address situated".split()
)
# Words that name the kind of answer, not what it is about ("what percentage", "what total amount").
ANSWER_WORDS = frozenset(stem(w) for w in "percent percentage number amount total".split())
PLAN_NOUNS = frozenset(stem(w) for w in "plan plans tier tiers edition editions subscription subscriptions".split())
_PLAN_NOUN = re.compile(r"\b([A-Z][\w+]*(?: [A-Z][\w+-]*)?)[ -](?:plan|tier|edition|subscription)s?\b")


def _product_words(text: str, own: frozenset[str]) -> frozenset[str]:
    """Stems of the capitalised words right after the company's name ("Cloud" of "Pulumi Cloud"): they name which
    of its products, and say no more of what the question is about than the company's name does."""
    ws = words(text)
    out: set[str] = set()
    for i in range(1, len(ws)):
        if stem(ws[i - 1]) in own and ws[i][:1].isupper() and not ws[i].isupper():
            out.add(stem(ws[i]))
    return frozenset(out)


def _plans(text: str, own: frozenset[str]) -> list[str]:
    out = []
    for m in _PLAN_NOUN.finditer(text):
        ws = [w for w in m.group(1).split() if not set(tokens(w)) & own]
        if ws:
            out.append(" ".join(ws))
    return out


def entity_named_by(words_: list[str]) -> str | None:
    """The kind of thing a record's property names by its words ("company": a name; "founder": a person)."""
    said = [w.lower() for w in words_]
    stems = {stem(w) for w in said}
    # "legal_entity", "registered_name"; "register_number", "vat_id"; "contact_email": what the answer's form is.
    if stems & LEGAL_WORDS and stems & LEGAL_NOUNS:
        return "legal"
    if stems & IDENTIFIER_WORDS and stems & IDENTIFIER_NOUNS:
        return "identifier"
    if stems & {"email", "e-mail"} and (len(stems) == 1 or stems & {"contact", "address"}):
        return "email"  # "contact_email"; an "email_provider" is a tool
    if any(w in NAME_NOUNS for w in said):
        return "name"
    if any(stem(w) in ROLE_WORDS for w in said):
        return "person"
    if place_kind_named(said):
        return "place"  # "office_city", "incorporation_state", "country"
    return None


def names_an_organisation(text: str) -> bool:
    """Whether a question asks "which company", "from which firm": a named organisation, whatever other clause
    of it asks "who"."""
    return any(m.group(1).lower() in NAME_NOUNS for m in _ASKED_NOUN.finditer(text))


def place_kind_named(words_: list[str]) -> str | None:
    """The kind of place words name ("city" of "office_city")."""
    said = {w.lower() for w in words_}
    return next((kind for kind, nouns in PLACE_KINDS if said & nouns), None)


PLACE_KINDS = (
    ("city", frozenset({"city", "cities", "town", "towns"})),
    ("country", frozenset({"country", "countries", "nation", "nations"})),
    ("region", frozenset({"state", "states", "province", "provinces", "region", "regions", "county"})),
)
# "legal entity", "registered company name": the answer is a company's name with its legal form.
LEGAL_WORDS = frozenset(stem(w) for w in "legal entity registered incorporated".split())
LEGAL_NOUNS = frozenset(stem(w) for w in "name entity company business".split())
# "Commercial register number", "VAT ID", "tax identification number": a registry's identifier.
IDENTIFIER_WORDS = frozenset(
    stem(w) for w in "register registration registry commercial vat tax ein siren siret duns trade".split()
)
IDENTIFIER_NOUNS = frozenset(stem(w) for w in "number id identifier identification code no".split())
TECH_WORDS = frozenset(
    stem(w)
    for w in "technology technologies tool tools software stack framework frameworks language languages "
    "database databases platform crm cms analytics provider hosting cloud library libraries".split()
)


# Plural nouns whose members are named organisations, products or people: "Which investors…", "Which companies
# are named as customers…". (Plural only: "the company" is the question's subject, not what it asks for.)
ORG_NOUNS = frozenset(
    """companies organisations organizations institutions customers clients investors backers donors sponsors
    funders partners brands vendors resellers distributors competitors alternatives products""".split()
)


# Nouns whose members are organisations only, never people: "Which venture firms…" (investors, donors and
# partners may be people too).
ORGANISATION_NOUNS = frozenset(
    """firm firms company companies organisation organisations organization organizations institution institutions
    fund funds foundation foundations brand brands vendor vendors agency agencies publisher publishers charity
    charities accelerator accelerators incubator incubators""".split()
)


# "Which firm led the round?", "Under which licence…": the noun a which/what question asks about, when its
# members are named things.
NAME_NOUNS = frozenset(
    """firm firms organisation organization company institution customer client brand vendor licence license
    foundation charity fund accelerator incubator agency publisher product""".split()
)


LICENCE_WORDS = frozenset("licence license licences licenses licensed licenced licensing".split())


def _entity(text: str, terms: list[str], asked: list[str]) -> str | None:
    """What kind of thing the answer names, from the question's form ("who", a role, "which city")."""
    head = set(terms)
    # An e-mail address is asked for ("contact email", "email address", "What is their email?"), not who runs
    # a company's e-mail ("Who provides their corporate email?").
    if head & {"email", "e-mail", "mail"} and (
        re.search(r"\baddress", text, re.I) or "contact" in head or re.match(r"\s*what\s+(is|are)\b", text, re.I)
    ):
        return "email"
    if re.match(r"\s*who\b", text, re.I):
        return "person"
    if head & LICENCE_WORDS:
        return "licence"  # "Under which licence is it released?": a licence's name (MIT, Apache 2.0, AGPLv3)
    # "Is it remote or office-based?" asks which, not where: a yes/no form names places only as options.
    yes_no = re.match(r"\s*(?:is|are|was|were|does|do|did|can|has|have)\b", text, re.I)
    if re.match(r"\s*where\b", text, re.I) or (head & PLACE_WORDS and not yes_no):
        return "place"
    if {w.lower() for w in words(text)} & ORG_NOUNS:
        return "name"
    if asked and asked[-1].lower() in NAME_NOUNS:
        return "name"  # "Which venture firms are represented on its board?": firms, whatever the board holds
    if head & ROLE_WORDS:
        return "person"
    if head & IDENTIFIER_WORDS and head & IDENTIFIER_NOUNS:
        return "identifier"
    if head & LEGAL_WORDS and {stem(w.lower()) for w in words(text)} & LEGAL_NOUNS:
        return "legal"
    after_which = _ASKED_NOUN.search(text)
    if after_which and {w.lower() for w in after_which.groups() if w} & NAME_NOUNS:
        return "name"  # "Which company acquired it?": the noun right after "which", where no phrase ends clearly
    if head & TECH_WORDS:
        return "technology"
    return None


# Short forms of a kind of service's name a question may use instead ("SSO", "OS").
KIND_SHORT_FORMS = {"sso": "single sign-on", "os": "operating system", "oses": "operating system"}
# Words for several kinds at once: "tracking tools" are the ones that follow a visitor (analytics, tag managers,
# session replay, ad pixels, customer data platforms); "error-tracking" is another compound.
KIND_GROUPS = {
    "tracking": ("analytics", "tag manager", "session replay", "advertising", "customer data platform"),
}
_LONE_WORD = r"(?<![\w-]){}(?![\w-])"


_ASKED_PHRASE = re.compile(
    r"\b(?:which|what)\s+((?:(?!(?:does|do|did|is|are|was|were|can|could|has|have|had|will|would|"
    r"should|of|for|to|in|on|at|by|from|with|that|they|it|the|a|an|its|their|this|these|those)\b)[\w-]+[\s,]*){1,6})",
    re.I,
)
# Nouns a phrase naming a kind of service ends in ("analytics tools", "sign-on methods", "payment provider").
TOOL_HEADS = frozenset(
    stem(w)
    for w in "tool tools provider providers platform platforms system systems method methods service "
    "services software vendor vendors solution solutions product products app apps".split()
)


_ASKED_NOUN = re.compile(r"\b(?:which|what)\s+([\w-]+)(?:\s+([\w-]+))?", re.I)


def _asked_phrase(text: str) -> str:
    """The phrase a which/what question asks about ("venture capital firms" of "Which venture capital firms…")."""
    m = _ASKED_PHRASE.search(text)
    return m.group(1) if m else ""


@cache
def _kind_words() -> dict[str, list[str]]:
    """Every kind of service the technology gazetteer knows, with its stemmed words."""
    return {k: tokens(k) for ks in tech_kinds().values() for k in ks}


def _tech_kinds(phrase: str) -> frozenset[str]:
    """The kinds of service the question's asked phrase names: "which single sign-on methods does it support"
    asks for sign-on methods, not support tools."""
    if not phrase:
        return frozenset()
    said = set(tokens(phrase))
    head = [stem(w) for w in words(phrase)[-1:]]
    said |= {t for w in words(phrase) if w.lower() in KIND_SHORT_FORMS for t in tokens(KIND_SHORT_FORMS[w.lower()])}
    kinds = _kind_words()
    grouped = {k for word, ks in KIND_GROUPS.items() if re.search(_LONE_WORD.format(word), phrase, re.I) for k in ks}
    # A kind's first word is the one that tells it apart ("chat support", "error tracking", "sales data"): a
    # question saying "live-chat tools" or "sales tools" names it.
    named = {k for k, ws in kinds.items() if ws[:1] and ws[0] in said}
    # The phrase must be about the kind ("support coverage" is coverage, not a support tool).
    if not head or not (head[0] in TOOL_HEADS or any(head[0] in kinds[k] for k in named)):
        return frozenset()
    return frozenset(named | (grouped & kinds.keys()))


# A negation that governs the words right after it: "without offices", "no credit card", "not certified".
# "… or not" asks both ways and negates nothing.
_DENIAL_CUES = frozenset({"without", "non"})  # what they say is read as `denied`; they are no topic words
_DENIAL = re.compile(r"\b(?:without|no|not|never|non)\b(?!\s*\?)((?:\s+[\w-]+){1,3})", re.I)


def _denied(text: str, terms: list[str]) -> list[str]:
    """The question's terms it asks to be absent ("a fully remote company without offices")."""
    out: list[str] = []
    for m in _DENIAL.finditer(text):
        if re.search(r"\bor\s*$", text[: m.start()], re.I):
            continue
        for w in words(m.group(1)):
            s = stem(w)
            if s in terms and s not in out:
                out.append(s)
    return out


def _names(text: str, own: frozenset[str]) -> list[str]:
    out = [m.group(1) for m in _QUOTED.finditer(text)]
    body = text[1:] if text else text  # the first word is capitalised by grammar, not because it is a name
    for m in _CAPITALISED.finditer(body):
        name = m.group(1).strip(".")
        ws = [w for w in words(name) if w.lower() not in STOPWORDS and w.lower() not in QUESTION_WORDS]
        while ws and stem(ws[0]) in own:
            ws.pop(0)
        if ws:
            out.append(" ".join(ws))
    # Acronyms and standards written with digits: "SOC 2", "ISO 27001", "HIPAA".
    out += re.findall(r"\b([A-Z]{2,}(?:[ -]?\d+)?)\b", text)
    seen: list[str] = []
    for n in out:
        if n not in seen:
            seen.append(n)
    return seen


_PLURAL = re.compile(r"[^s]s$", re.I)
_PLURALS = frozenset("people staff personnel children men women".split())


def _is_plural(word: str) -> bool:
    return bool(_PLURAL.search(word)) or word.lower() in _PLURALS


def _unit(text: str, answer_type: str) -> tuple[str | None, str | None]:
    if answer_type == "percentage":
        return "percent", None
    if answer_type == "currency":
        return "money", None
    lower = text.lower()
    m = _HOW_LONG.search(lower)
    if m and m.group(1):
        return stem(m.group(1)), stem(m.group(1))
    m = _HOW_MANY.search(text)
    if m:
        phrase: list[str] = []
        kept: list[str] = []
        for w in words(m.group(1)):
            if w.lower() in STOPWORDS or w.lower() in QUESTION_WORDS:
                break
            if w[:1].isupper() and any(_is_plural(k) for k in kept):
                break  # "number of days off PostHog expects": a name after the counted noun starts its clause
            phrase.append(stem(w))
            kept.append(w)
        if phrase:
            # "open engineering roles" counts roles; "members sit on the board" counts members, not "sit": the
            # last plural of the phrase when it has one.
            plural = [p for p, w in zip(phrase, kept, strict=True) if _is_plural(w)]
            head = plural[-1] if plural else phrase[-1]
            for key, group in UNITS.items():
                if head in group:
                    return key, head
            return "count", head
    if re.search(
        r"\b(what|which) year\b|\bwhen (was|were|did)\b|\byear\b.*\b(found|start|establish|launch|incorporat)"
        r"|\b(found\w*|start\w*|establish\w*|launch\w*|incorporat\w*)\b.*\byear\b",
        lower,
    ):
        return "year", None
    if re.search(r"\bpercent|percentage|\bshare of\b|%", lower):
        return "percent", None
    if re.search(
        r"\b(price|prices|cost|costs|fee|salary|revenue|raise|raised|raising|funding|budget|stipend|allowance|usd|eur|gbp|dollars?"
        r"|euros?|pounds)\b|[$€£]",
        lower,
    ):
        return "money", None
    if answer_type == "number":
        # The first duration the question names is the one counted: "compute hours per month" counts hours.
        said = [(m.start(), key) for key in DURATIONS for m in [re.search(rf"\b{key}s?\b", lower)] if m]
        if said:
            key = min(said)[1]
            return key, key
    return None, None
