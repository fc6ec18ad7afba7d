"""Typed spans: person names, places (countries and cities), organisations and technologies, found in a line
by form and by gazetteers. The reader uses them to prefer candidates of the type a question expects."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from dossier.research.analyze import fingerprints
from dossier.research.analyze.names import short_forms

COUNTRIES = frozenset(
    """Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan Bangladesh Belarus Belgium Bolivia
    Bosnia Brazil Bulgaria Cambodia Cameroon Canada Chile China Colombia Croatia Cuba Cyprus Czechia Denmark Ecuador
    Egypt Estonia Ethiopia Finland France Georgia Germany Ghana Greece Guatemala Hungary Iceland India Indonesia Iran
    Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Korea Kosovo Latvia Lebanon Lithuania Luxembourg
    Malaysia Malta Mexico Moldova Mongolia Montenegro Morocco Nepal Netherlands Nigeria Norway Pakistan Panama
    Paraguay Peru Philippines Poland Portugal Romania Russia Rwanda Serbia Singapore Slovakia Slovenia Spain
    Sweden Switzerland Taiwan Tanzania Thailand Tunisia Turkey Uganda Ukraine Uruguay Venezuela Vietnam Zambia
    Zimbabwe""".split()
) | frozenset(
    [
        "United States",
        "United Kingdom",
        "New Zealand",
        "South Africa",
        "South Korea",
        "Dominican Republic",
        "Costa Rica",
        "Czech Republic",
        "Saudi Arabia",
        "United Arab Emirates",
        "Sri Lanka",
        "Hong Kong",
        "USA",
        "UK",
        "US",
        "UAE",
        "Puerto Rico",
        "El Salvador",
        # The United Kingdom's countries: "team members in England" names a country.
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "Democratic Republic of Congo",
        "Democratic Republic of the Congo",
        "Congo",
    ]
)
CITIES = frozenset(
    """London Paris Berlin Amsterdam Munich Hamburg Cologne Frankfurt Vienna Zurich Geneva Basel Stockholm Malmö Oslo
    Copenhagen Helsinki Dublin Edinburgh Glasgow Manchester Leeds Bristol Birmingham Cambridge Oxford Brussels
    Antwerp Rotterdam Utrecht Madrid Barcelona Lisbon Porto Rome Milan Turin Warsaw Krakow Prague Budapest Bucharest
    Sofia Athens Istanbul Tallinn Riga Vilnius Kyiv Toronto Montreal Vancouver Ottawa Boston Chicago Seattle Portland
    Denver Austin Dallas Houston Atlanta Miami Philadelphia Pittsburgh Baltimore Washington Brooklyn Oakland Berkeley
    Sydney Melbourne Brisbane Perth Auckland Wellington Singapore Tokyo Osaka Kyoto Seoul Beijing Shanghai Shenzhen
    Bangalore Bengaluru Mumbai Delhi Pune Hyderabad Chennai Dubai Nairobi Lagos Cairo Johannesburg Capetown Tel Aviv
    Jerusalem Lyon Marseille Toulouse Bordeaux Nantes Lille Grenoble Strasbourg Nice Gothenburg Aarhus Bergen Burlington
    Shelburne""".split()
) | frozenset(
    [
        "San Francisco",
        "New York",
        "Los Angeles",
        "San Diego",
        "San Jose",
        "Salt Lake City",
        "Mexico City",
        "Buenos Aires",
        "São Paulo",
        "Sao Paulo",
        "Rio de Janeiro",
        "Hong Kong",
        "Tel Aviv",
        "Cape Town",
        "Kuala Lumpur",
        "Ho Chi Minh City",
        "Palo Alto",
        "Mountain View",
        "Menlo Park",
        "Santa Monica",
    ]
)

# A name word: capitalised, with an inner capital after a short prefix ("McNeil", "DeVries", "LaToya") or a
# hyphen or apostrophe ("Preston-Werner", "O'Brien").
_NAME_WORD = r"(?:[DO]['\u2019])?[A-Z](?:[a-z]{1,2}[A-Z])?[a-z\u00e0-\u00ff]+(?:[-'\u2019][A-Z]?[a-z\u00e0-\u00ff]+)?"
PERSON = re.compile(
    rf"\b({_NAME_WORD}"
    r"(?: (?:van|von|de|der|den|da|di|du|del|la|le|al|bin|el)){0,2}"
    rf"(?: [A-Z]\.)?(?: {_NAME_WORD}){{1,2}})\b"
)
_NOT_NAMES = frozenset(
    """The This That These Those Our We You They It Its Their Your All Any Each Every Some Most Many More Our
    January February March April May June July August September October November December Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Head Chief Senior Lead Director Manager Engineer Founder Co Board Team Open
    Source Cloud Enterprise Pro Free Privacy Policy Terms Security Contact About Careers Pricing Blog News Read More
    Learn Get Start Join Sign Log Book Request Demo Home What Why Where When How Who Which""".split()
)


def persons(text: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Spans shaped like a person's name: two or three capitalised words (with particles), not common words.

    `common`: words the site writes in lower case. A span that starts with one ("Legal System", "Expense Name",
    "Project Leadership") is a capitalised phrase, not a name, unless the word is a known first name ("Will").
    """
    out = []
    for m in PERSON.finditer(text):
        parts = m.group(1).split()
        # A product or role word run into the name ("GitHub Quinn Slack") is not part of it.
        while parts and (_not_name(parts[0]) or (len(parts) > 2 and parts[0] in tech_names())):
            parts.pop(0)
        while parts and _not_name(parts[-1]):
            parts.pop()
        if len(parts) < 2 or parts[0][:1].islower():
            continue
        if any(w in common and w not in short_forms() for w in parts[0].lower().split("-")):
            continue
        if sum(1 for p in parts if p.lower() in common and p.lower() not in short_forms()) >= 2:
            continue  # "Windows Task Scheduler": a last name may be a word ("Biz Stone"), two are a phrase
        name = " ".join(parts)
        if name in COUNTRIES or name in CITIES:
            continue
        if any(p in tech_names() for p in (name, parts[0])):
            continue
        out.append(name)
    return out


_TITLE_WORDS = frozenset(
    """directors director executive executives founder founders co-founder cofounder chair chairman president
    officer officers engineer engineering manager head lead chief board team staff partner partners vp ceo cto
    coo cfo advisor advisors member members trustee trustees secretary treasurer clerk assistant accountant
    analyst specialist coordinator consultant designer developer scientist researcher architect administrator
    intern recruiter editor producer representative strategist evangelist advocate counsel attorney auditor
    controller""".split()
)


def not_a_name_word(word: str) -> bool:
    """Whether a capitalised word is one that names no person (a common word, a role word)."""
    return _not_name(word)


def _not_name(word: str) -> bool:
    w = word.strip(",.").lower()
    return word in _NOT_NAMES or w in _TITLE_WORDS or w.split("-")[-1] in _TITLE_WORDS


# States and provinces: regions a company names for its offices and data centres ("US East (Virginia)").
REGIONS = frozenset(
    """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho Illinois
    Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi Missouri
    Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia Washington
    Wisconsin Wyoming Ontario Quebec Alberta Manitoba Saskatchewan Bavaria Catalonia
    Flanders Wallonia Lombardy Andalusia Brittany Normandy Tasmania Queensland""".split()
) | frozenset(
    [
        "New Hampshire",
        "New Jersey",
        "New Mexico",
        "North Carolina",
        "North Dakota",
        "Rhode Island",
        "South Carolina",
        "South Dakota",
        "West Virginia",
        "British Columbia",
        "Nova Scotia",
        "New Brunswick",
        "Northern Ireland",
        "New South Wales",
        "Western Australia",
    ]
)
# One alternation, longest names first, so "New South Wales" wins over "Wales" where both start.
_PLACES = re.compile(
    r"(?<!\w)("
    + "|".join(re.escape(n) for n in sorted(COUNTRIES | CITIES | REGIONS, key=len, reverse=True))
    + r")(?!\w)"
)


# Short forms of countries, answered by the country's name ("US" and "United States" are one place).
COUNTRY_NAMES = {
    "US": "United States", "USA": "United States", "UK": "United Kingdom", "UAE": "United Arab Emirates",
    "Czechia": "Czech Republic",
}  # fmt: skip


def place_kind(name: str) -> str | None:
    """Which kind of place the gazetteers know a name as ("country", "region", "city"); None if none."""
    name = COUNTRY_NAMES.get(name, name)
    if name in COUNTRIES:
        return "country"
    if name in REGIONS:
        return "region"
    if name in CITIES:
        return "city"
    return None


def is_legal_form(word: str) -> bool:
    """Whether a word is a company's legal form ("Inc", "LLC", "GmbH") and no name of its own."""
    return re.fullmatch(_LEGAL_FORM, word.strip(" ,")) is not None


def places(text: str) -> list[str]:
    """Countries, cities and regions a text names, in the order it names them, countries by their names."""
    found: list[str] = []
    for m in _PLACES.finditer(text):
        name = COUNTRY_NAMES.get(m.group(1), m.group(1))
        if name not in found:
            found.append(name)
    return found


TOOLS_FILE = Path(__file__).resolve().parents[1] / "data" / "tools.txt"


@cache
def tool_categories() -> dict[str, str]:
    """Named software and services by category (data/tools.txt), beyond what shows in a page's markup."""
    out = {}
    for raw in TOOLS_FILE.read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            name, _, category = raw.partition("|")
            out[name.strip()] = category.strip()
    return out


# A fingerprint category that joins two kinds of service ("hosting_cdn" is hosting or a CDN); the others name one.
_JOINED_KINDS = {"hosting_cdn": ("hosting", "cdn")}


@cache
def tech_kinds() -> dict[str, frozenset[str]]:
    """Each named technology's kinds of service, in words ("Hotjar": analytics, session replay): what a question
    naming a kind ("which analytics tools") asks of a technology."""
    out: dict[str, set[str]] = {}
    for t in fingerprints.technologies():
        for cat in t.categories:
            if cat != "other":
                out.setdefault(t.name, set()).update(k.replace("_", " ") for k in _JOINED_KINDS.get(cat, (cat,)))
    for name, cat in tool_categories().items():
        out.setdefault(name, set()).add(cat)
    return {name: frozenset(kinds) for name, kinds in out.items()}


@cache
def tech_names() -> frozenset[str]:
    return frozenset(t.name for t in fingerprints.technologies()) | frozenset(tool_categories())


@cache
def _tech_pattern() -> re.Pattern[str]:
    # One alternation, longest names first, so "Google Cloud Platform" wins over "Google Cloud" at a position.
    names = sorted((n for n in tech_names() if len(n) > 2), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.I)


@cache
def _canonical() -> dict[str, str]:
    return {n.lower(): n for n in tech_names()}


def technologies_in(text: str, kinds: frozenset[str] = frozenset()) -> list[str]:
    """The technologies a text names, in the order it names them, in the gazetteer's spelling. Case is not
    held against a name written capitalised ("Hubspot", "Github"); a lowercase word ("slack", "notion") is
    no name. `kinds`: only technologies of one of these kinds of service (all when empty)."""
    out: list[str] = []
    for m in _tech_pattern().finditer(text):
        said = m.group(1)
        name = _canonical().get(said.lower(), said)
        if said != name and not said[:1].isupper():
            continue
        if kinds and not tech_kinds().get(name, frozenset()) & kinds:
            continue
        if name not in out:
            out.append(name)
    return out


# Legal forms that end a registered company's name: "Bitcraze AB", "Finto Technologies GmbH", "Acme, Inc.".
_LEGAL_FORM = (
    r"(?:gGmbH|GmbH|UG|AG|KG|AB|ApS|A/S|AS|ASA|Oy|Oyj|BV|B\.V\.|NV|N\.V\.|SAS|SARL|SA|S\.A\.|SL|S\.L\.|SpA|S\.p\.A\.|"
    r"Srl|S\.r\.l\.|Ltd\.?|Limited|LLC|L\.L\.C\.|LLP|PLC|plc|Inc\.?|Incorporated|Corp\.?|Corporation|CIC|"
    r"Pty Ltd|K\.K\.|Co\., Ltd\.)"
)
_LEGAL = re.compile(r"(?<![\w-])((?:[A-Z0-9][\w&'\u2019.-]*,?\s+){1,5}?" + _LEGAL_FORM + r")(?![\w])")


def legal_entities(text: str) -> list[str]:
    """Spans shaped like a registered company's name: capitalised words ending in a legal form."""
    out = []
    for m in _LEGAL.finditer(text):
        name = m.group(1).strip()
        first = name.split()[0]
        if first in _NOT_NAMES_LEAD:
            name = name[len(first) :].strip()
        if len(name.split()) >= 2 and name not in out:
            out.append(name)
    return out


# Sentence words that are capitalised by position, not because they begin a company's name.
_NOT_NAMES_LEAD = frozenset("The A An By From Of And Our We Operated Owned Run Provided".split())


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.I)


# A registry's identifier: an optional letter prefix, then four or more digits with spaces or dashes (no dots,
# which version numbers have) and an optional letter ("HRB 248821B", "HRB 235335 B", "DE 123 456 789").
_IDENTIFIER = re.compile(r"(?<![\w+-])(?<!\d\.)(?:[A-Z]{1,6}[ -]?)?\d(?:[\d -]*\d)?(?: ?[A-Z])?(?![\w-]|\.\d)")


def identifiers(text: str) -> list[str]:
    """Registry numbers: with a letter prefix and four digits or more, or six digits or more (a postcode or a
    year is neither)."""
    out = []
    for m in _IDENTIFIER.finditer(text):
        if re.search(r"\+[\d ()-]*$", text[max(0, m.start() - 12) : m.start()]):
            continue  # the rest of an international phone number
        digits = sum(c.isdigit() for c in m.group(0))
        if digits >= 6 or (digits >= 4 and m.group(0)[:1].isalpha()):
            out.append(m.group(0))
    return out


# Software and content licences by their names and SPDX-style short forms: "MIT", "Apache 2.0", "BSD3",
# "BSD-3-Clause", "AGPLv3", "GNU Affero General Public License", "Business Source License 1.1", "CC BY 4.0".
_VERSION_NUMBER = r"[ -]?v?\d(?:\.\d)?(?:[ -](?:or[ -]later|only))?"
_VERSION = f"(?:{_VERSION_NUMBER})?"
_LICENCE = re.compile(
    r"(?<![\w-])(?:"
    r"(?:GNU )?(?:Affero |Lesser |Library )?General Public [Ll]icen[cs]e" + _VERSION + r"|"
    r"(?:A|L)?GPL" + _VERSION + r"|"
    r"Apache(?: Software)?(?: [Ll]icen[cs]e)?(?:,?(?: [Vv]ersion)?"
    + _VERSION_NUMBER
    + r")?(?: [Ll]icen[cs]e)?(?! [A-Z][a-z])|"
    r"BSD(?:[ -]?\d(?:[ -]Clause)?)?(?: [Ll]icen[cs]e)?|"
    r"MIT(?: [Ll]icen[cs]e)?|ISC(?: [Ll]icen[cs]e)?|"
    r"(?:Mozilla|Eclipse|European Union|Server Side) Public [Ll]icen[cs]e" + _VERSION + r"|"
    r"(?:MPL|EPL|EUPL|SSPL)" + _VERSION + r"|"
    r"Business Source [Ll]icen[cs]e" + _VERSION + r"|BUSL" + _VERSION + r"|"
    r"Elastic [Ll]icen[cs]e" + _VERSION + r"|Functional Source [Ll]icen[cs]e|"
    r"Creative Commons(?: [A-Z][\w-]*)*" + _VERSION + r"|CC[ -]BY(?:[ -](?:SA|NC|ND))*" + _VERSION + r"|CC0|"
    r"(?:The )?Unlicense|zlib [Ll]icen[cs]e|PostgreSQL [Ll]icen[cs]e|Licence Ouverte|CeCILL(?:[ -][ABC])?"
    r")(?![\w-])"
)


# Licences said by a short name alone ("MIT", "Apache-2.0"), whose trailing "license" adds nothing; "Elastic
# License" and "PostgreSQL License" need theirs.
_SHORT_LICENCE = re.compile(r"^((?:MIT|ISC|BSD|Apache)\b.*?),?\s+[Ll]icen[cs]e$")


def licences(text: str) -> list[str]:
    """Names of licences in a text, as written ("the permissive MIT license" gives "MIT")."""
    return list(dict.fromkeys(_SHORT_LICENCE.sub(r"\1", m.group(0).strip()) for m in _LICENCE.finditer(text)))


# A proper name: a run of capitalised words, joined by the particles and connectors names carry.
_PROPER_RUN = re.compile(
    r"(?<![\w-])([A-Z][\w'\u2019.&+-]*(?:\s+(?:de|van|von|der|da|di|du|la|le|&|of|for|and)?\s*[A-Z0-9][\w'\u2019.&+-]*)*)"
)


def is_proper_name(text: str, common: frozenset[str] = frozenset()) -> bool:
    """Whether a short item is the name of an organisation, product or person, not a capitalised phrase.

    The site's own lower-case vocabulary (`common`) tells them apart: "Why now", "Problem", "Enterprise
    Features" are words it writes in lower case elsewhere; "Lightspeed", "La Famiglia", "Y Combinator" are not.
    """
    ws = text.split()
    if not 1 <= len(ws) <= 5 or not ws[0][:1].isupper() or place_kind(text) is not None:
        return False
    first = ws[0].strip(",.").lower()
    if re.sub(r"['\u2019]\w*$", "", ws[0]) in _NOT_NAMES or first in _TITLE_WORDS:  # "What's next"
        return False
    if is_legal_form(text):
        return False  # "Inc" left over from "Acme, Inc."
    if re.search(r"\b(?:19|20)\d\d\b", text):
        return False  # "Series B - March 2021": a dated heading
    if first not in common:
        return True
    content = [w.strip(",.") for w in ws if w[:1].isupper()]
    # Months and other words no name is made of, and initials, say nothing for a name.
    uncommon = [w for w in content if w.lower() not in common and w not in _NOT_NAMES and len(w) > 1]
    return len(uncommon) * 2 > len(content)


def proper_names(text: str, common: frozenset[str] = frozenset()) -> list[str]:
    """Names of organisations, products or people a text mentions ("backed by Lightspeed, La Famiglia and
    Y Combinator"); a sentence's first word is left off when the site writes it in lower case elsewhere."""
    out: list[str] = []
    for m in _PROPER_RUN.finditer(text):
        parts = re.sub(r"['\u2019]s$", "", m.group(1).rstrip(".,")).split()
        at_start = _sentence_start(text, m.start())
        # A sentence capitalises its first word whatever it is; inside a sentence, capitals mark a name even
        # when its words are common ones ("the Software Freedom Conservancy").
        while parts and (
            parts[0] in _NOT_NAMES
            or parts[0].lower() in _TITLE_WORDS
            or is_legal_form(parts[0])
            or parts[0].lower() in ("of", "for", "and", "de", "la", "le")
            or (at_start and parts[0].lower() in common)
        ):
            parts.pop(0)
            at_start = False
        while parts and parts[-1].lower() in ("and", "of", "for", "&", "de", "la", "le"):
            parts.pop()
        name = " ".join(parts)
        if not name or name in out or place_kind(name) is not None:
            continue
        if not (len(parts) >= 2 and not at_start) and not is_proper_name(name, common):
            continue
        if len(parts) == 1 and (at_start or _compound_word(name)):
            # "Furthermore", "Human-friendly": a sentence's first word or a hyphenated adjective is capitalised
            # for other reasons than being a name.
            continue
        out.append(name)
    return out


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in '.!?:;\u201c"(\u2022-*'


def _compound_word(word: str) -> bool:
    return "-" in word and word.rsplit("-", 1)[1][:1].islower()


def of_type(
    kind: str, text: str, common: frozenset[str] = frozenset(), tech_kinds: frozenset[str] = frozenset()
) -> list[str]:
    """Spans of `text` of one kind; `common` are the site's lower-case words (see `persons`); `tech_kinds` the
    kinds of service a technology must be of (all when empty)."""
    if kind == "email":
        return list(dict.fromkeys(_EMAIL.findall(text)))
    if kind == "identifier":
        return identifiers(text)
    if kind == "legal":
        return legal_entities(text)
    if kind == "licence":
        return licences(text)
    if kind == "person":
        return persons(text, common)
    if kind == "place":
        return places(text)
    if kind == "technology":
        return technologies_in(text, tech_kinds)
    if kind == "name":
        return proper_names(text, common)
    return []
