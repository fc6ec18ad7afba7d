"""Typed spans: person names, places (countries and cities), organisations and technologies, found in a line
by form and by gazetteers. The reader uses them to prefer candidates of the type a question expects."""

from __future__ import annotations

import re
from functools import cache

from dossier.research.analyze import fingerprints

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
    Shelburne Vermont""".split()
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

PERSON = re.compile(
    r"\b([A-Z][a-z\u00e0-\u00ff]+(?:[-'\u2019][A-Z]?[a-z\u00e0-\u00ff]+)?"
    r"(?: (?:van|von|de|der|den|da|di|du|del|la|le|al|bin|el)){0,2}"
    r"(?: [A-Z]\.)?(?: [A-Z][a-z\u00e0-\u00ff]+(?:[-'\u2019][A-Z]?[a-z\u00e0-\u00ff]+)?){1,2})\b"
)
_NOT_NAMES = frozenset(
    """The This That These Those Our We You They It Its Their Your All Any Each Every Some Most Many More Our
    January February March April May June July August September October November December Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday Head Chief Senior Lead Director Manager Engineer Founder Co Board Team Open
    Source Cloud Enterprise Pro Free Privacy Policy Terms Security Contact About Careers Pricing Blog News Read More
    Learn Get Start Join Sign Log Book Request Demo Home""".split()
)


def persons(text: str) -> list[str]:
    """Spans shaped like a person's name: two or three capitalised words (with particles), not common words."""
    out = []
    for m in PERSON.finditer(text):
        parts = m.group(1).split()
        while parts and _not_name(parts[0]):
            parts.pop(0)
        while parts and _not_name(parts[-1]):
            parts.pop()
        if len(parts) < 2 or parts[0][:1].islower():
            continue
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
    coo cfo advisor advisors member members trustee trustees secretary treasurer""".split()
)


def _not_name(word: str) -> bool:
    w = word.strip(",.").lower()
    return word in _NOT_NAMES or w in _TITLE_WORDS or w.split("-")[-1] in _TITLE_WORDS


def places(text: str) -> list[str]:
    found: list[str] = []
    for name in sorted(COUNTRIES | CITIES, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) and not any(name in f for f in found):
            found.append(name)
    return found


@cache
def tech_names() -> frozenset[str]:
    return frozenset(t.name for t in fingerprints.technologies())


def technologies_in(text: str) -> list[str]:
    out = []
    for name in tech_names():
        if len(name) > 2 and re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text):
            out.append(name)
    return out


def of_type(kind: str, text: str) -> list[str]:
    if kind == "person":
        return persons(text)
    if kind == "place":
        return places(text)
    if kind == "technology":
        return technologies_in(text)
    return []
