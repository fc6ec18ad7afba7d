"""SQL for contact research and the people index, scoped to one organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    cast,
    column,
    delete,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    union,
    update,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from dossier.contacts import taxonomy
from dossier.contacts.models import (
    SEARCH_BITS_BLOCK,
    SEARCH_DOC_TSVECTOR,
    CompanyProfile,
    ContactResearch,
    Person,
    PersonProfile,
    PersonRole,
    PersonRoleCounter,
    PersonSearchBits,
    PersonSearchDoc,
    PersonSearchPosting,
    PersonSearchScope,
    PersonSearchWord,
    PersonSource,
    PersonTerm,
)
from dossier.contacts.records import Company, PersonRecord, Role, Source
from dossier.kit.ids import new_uuid
from dossier.kit.validation import person_profile_key, profile_key

_COLUMNS = tuple(c for c in ContactResearch.__table__.columns if c.name not in ("organization_id", "webhook_url"))


def get_research(conn: Connection, organization_id: str, research_id: str) -> dict[str, Any] | None:
    row = (
        (
            conn.execute(
                select(*_COLUMNS).where(
                    ContactResearch.id == research_id, ContactResearch.organization_id == organization_id
                )
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def latest_by_external_id(
    conn: Connection, organization_id: str, external_id: str, external_source: str
) -> dict[str, Any] | None:
    row = (
        (
            conn.execute(
                select(*_COLUMNS)
                .where(
                    ContactResearch.organization_id == organization_id,
                    ContactResearch.external_source == external_source,
                    ContactResearch.external_id == external_id,
                )
                .order_by(ContactResearch.created_at.desc(), ContactResearch.id.desc())
                .limit(1)
            )
        )
        .mappings()
        .first()
    )
    return dict(row) if row else None


def insert_research(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(insert(ContactResearch).values(**row))


# --- the people index ----------------------------------------------------------------------------------------


def _t(model: Any) -> Table:
    table: Table = model.__table__
    return table


_CHUNK = 400  # rows per IN (...) list: well under SQLite's bound-parameter limit


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _fill(old: dict[str, Any], new: dict[str, Any], overwrite: bool) -> dict[str, Any]:
    """The columns of `new` that change `old`: all non-empty ones (imports), or only where `old` is empty (crawls)."""
    return {k: v for k, v in new.items() if v not in (None, "") and old.get(k) != v and (overwrite or not old.get(k))}


def upsert_companies(conn: Connection, organization_id: str, companies: list[Company], now: datetime) -> dict[str, str]:
    """Company profile ids by Company.key, created where missing; a profile's blanks are filled."""
    wanted: dict[str, Company] = {}
    for c in companies:  # several rows may name one company, each stating a different part of it
        seen = wanted.setdefault(c.key, Company(c.domain, c.name, c.linkedin_slug, c.profiles))
        seen.name, seen.linkedin_slug = seen.name or c.name, seen.linkedin_slug or c.linkedin_slug
        seen.profiles = seen.profiles or c.profiles
    domains = [c.domain for c in wanted.values() if c.domain]
    names = [taxonomy.fold(c.name or "") for c in wanted.values() if not c.domain]
    existing: dict[str, dict[str, Any]] = {}
    t = _t(CompanyProfile)
    for part in _chunks(domains):
        for row in conn.execute(
            select(t).where(t.c.organization_id == organization_id, t.c.domain.in_(part))
        ).mappings():
            existing[f"d:{row['domain']}"] = dict(row)
    for part in _chunks(names):
        for row in conn.execute(
            select(t).where(t.c.organization_id == organization_id, t.c.domain.is_(None), t.c.name_key.in_(part))
        ).mappings():
            existing.setdefault(f"n:{row['name_key']}", dict(row))
    ids: dict[str, str] = {}
    inserts: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    for key, c in wanted.items():
        values = {
            "domain": c.domain,
            "name": c.name,
            "name_key": taxonomy.fold(c.name) if c.name else None,
            "linkedin_slug": c.linkedin_slug,
            "profiles": c.profiles or None,
        }
        old = existing.get(key)
        if old is None:
            new_id = new_uuid()
            inserts.append({"id": new_id, "organization_id": organization_id, "created_at": now, "updated_at": now,
                            **values})  # fmt: skip
            ids[key] = new_id
            continue
        ids[key] = old["id"]
        changes = _fill(old, values, overwrite=False)
        if c.linkedin_slug and old.get("linkedin_slug") != c.linkedin_slug:
            changes["linkedin_slug"] = c.linkedin_slug  # the site's own link is the better evidence
        if changes:
            updates[old["id"]] = {**changes, "updated_at": now}
    if inserts:
        conn.execute(insert(t), inserts)
    _update_many(conn, t, updates)
    return ids


def mark_company_indexed(conn: Connection, company_id: str, crawl_id: str) -> None:
    t = _t(CompanyProfile)
    conn.execute(update(t).where(t.c.id == company_id).values(indexed_crawl_id=crawl_id))


def company_by_domain(conn: Connection, organization_id: str, domain: str) -> dict[str, Any] | None:
    t = _t(CompanyProfile)
    row = conn.execute(select(t).where(t.c.organization_id == organization_id, t.c.domain == domain)).mappings().first()
    return dict(row) if row else None


def _person_values(r: PersonRecord) -> dict[str, Any]:
    return {
        "first_name": r.first_name,
        "last_name": r.last_name,
        "full_name": r.full_name,
        "email": r.email.lower() if r.email else None,
        "location": r.location,
        "country_code": r.country_code,
        "linkedin_url": r.linkedin_url,
        "linkedin_key": profile_key(r.linkedin_url) if r.linkedin_url else None,
        "github_url": r.github_url,
        "x_url": r.x_url,
        "bio": r.bio,
    }


_PHRASE_WORDS = 8  # longest run of title words indexed as one posting; a longer searched title is matched by its words


def _phrase_term(words: list[str]) -> str | None:
    """The posting of a run of title words, or None when such a run is not indexed (too many words or too long)."""
    term = "t:" + " ".join(words)
    return term if len(words) <= _PHRASE_WORDS and len(term) <= 64 else None


def _terms(role: Role, bio: str | None, title_key: str | None) -> set[str]:
    """Index words of a role: `t:` every run of consecutive words of its title key (each single word included),
    `k:` its title's, team's and bio's words. A run is what a title search looks for: "software engineer" is
    held by " senior software engineer " exactly when that title key contains it, so a title search reads one
    posting list instead of testing every role that holds its words."""
    key = title_key or ""
    words = key.split()
    if key and not key.endswith(" "):  # cut at its column's length: the last word is partial and never matches
        words = words[:-1]
    runs = set()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + _PHRASE_WORDS) + 1):
            term = _phrase_term(words[i:j])
            if term is None:
                break
            runs.add(term)
    keywords = {f"k:{w}" for w in taxonomy.title_words(role.title or "")}
    for text in (role.team, bio):
        for w in taxonomy.fold(text or "").split()[:400]:
            keywords.add(f"k:{w}")
    return runs | {w for w in keywords if len(w) <= 64}


def _role_terms(role: dict[str, Any], bio: str | None) -> set[str]:
    return _terms(Role(role["relation"], role.get("title"), role.get("team")), bio, role.get("title_key"))


def _posting_rows(org: str, role_id: str, role: dict[str, Any], terms: set[str]) -> list[dict[str, Any]]:
    """A role's postings, each with the role's searchable columns (role: the role's row as it stands)."""
    shared = {
        "organization_id": org, "role_id": role_id, "sort_key": role["sort_key"], "relation": role["relation"],
        "company_id": role["company_id"], "country_code": role.get("country_code"), "seniority": role.get("seniority"),
        "department": role.get("department"),
    }  # fmt: skip
    return [{**shared, "term": term} for term in sorted(terms)]


def _token(term: str) -> str:
    """A posting term or a searched column's value as one full-text token (see models.PersonSearchDoc)."""
    return term.encode().hex()


def _scopes(conn: Connection, org: str, relations: set[str]) -> dict[str, int]:
    """The scope numbers of the organisation's relations, created where missing (see models.PersonSearchScope)."""
    t = _t(PersonSearchScope)
    if not relations:
        return {}
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    rows = [{"organization_id": org, "relation": r} for r in sorted(relations)]
    conn.execute(upsert(t).on_conflict_do_nothing(index_elements=["organization_id", "relation"]), rows)
    found = conn.execute(select(t.c.relation, t.c.id).where(t.c.organization_id == org, t.c.relation.in_(relations)))
    return {row.relation: row.id for row in found}


def _doc(scope: int, role: dict[str, Any], terms: set[str]) -> str:
    """The role's full-text document: its postings' terms within its scope, and its searched columns."""
    tokens = [f"{scope}:{term}" for term in terms] + _column_terms(role)
    return " ".join(sorted(_token(t) for t in tokens))


@dataclass
class UpsertCounts:
    created: int = 0
    updated: int = 0


def upsert_people(conn: Connection, organization_id: str, records: list[PersonRecord], now: datetime) -> UpsertCounts:
    """Record people, their roles, index words and sources. A record is the same person as one already known
    when its LinkedIn profile or email matches, or when the same name already holds a role at the same company,
    or a name given with an initial is unambiguous there (see _initial_match); imports overwrite what they
    state, crawls only fill blanks."""
    counts = UpsertCounts()
    _one_writer(conn, organization_id)
    # The scope numbers of the records' relations, got or created once for the whole import (never removed while
    # the organisation exists, so they hold for every chunk); a chunk adds any other relation its people's
    # stored roles hold.
    scopes = _scopes(conn, organization_id, {role.relation for r in records for role in r.roles})
    for part in _chunks(records):
        _upsert_chunk(conn, organization_id, part, now, counts, scopes)
    return counts


_PEOPLE_INDEX_LOCK = 0x646F7373  # PostgreSQL advisory lock class of an organisation's people index ("doss")


def _one_writer(conn: Connection, org: str) -> None:
    """PostgreSQL: wait until no other transaction writes this organisation's people index, and hold it until
    this one ends (a transaction-level advisory lock, so poolers in transaction mode keep it right).

    Two imports (or an import and a crawl's people) of one organisation at once read the same people and
    companies as missing and both inserted them: the second failed on the company's unique key once the first
    committed (a 500), or added the same new person twice. They also meet the same role counters, words and
    newest bit blocks in their own orders, chunk after chunk, which can deadlock. One lock, taken first, puts
    them in one order: the second reads what the first wrote. They could not run side by side for long anyway:
    both rewrite the newest bit block of every common word. SQLite has one writer at a time already."""
    if conn.dialect.name == "postgresql":
        lock = sql_text("SELECT pg_advisory_xact_lock(:kind, hashtext(:org))")
        conn.execute(lock.bindparams(kind=_PEOPLE_INDEX_LOCK, org=org))


def _upsert_chunk(
    conn: Connection, org: str, records: list[PersonRecord], now: datetime, counts: UpsertCounts, scopes: dict[str, int]
) -> None:
    """One chunk in a few set-based statements: the existing people, roles and sources are read with IN lists,
    the new and changed rows are worked out in memory and written with one multi-row statement per table
    (SQLAlchemy's insertmanyvalues on PostgreSQL, executemany on SQLite)."""
    companies = upsert_companies(conn, org, [r.company for r in records], now)
    people_t = _t(Person)
    values = [_person_values(r) for r in records]
    by_linkedin: dict[str, dict[str, Any]] = {}
    by_email: dict[str, dict[str, Any]] = {}
    by_name: dict[tuple[str, str, str], dict[str, Any]] = {}
    keys = [v["linkedin_key"] for v in values if v["linkedin_key"]]
    emails = [v["email"] for v in values if v["email"]]
    if keys:
        for row in conn.execute(
            select(people_t).where(people_t.c.organization_id == org, people_t.c.linkedin_key.in_(keys))
        ).mappings():
            by_linkedin[row["linkedin_key"]] = dict(row)
    if emails:
        for row in conn.execute(
            select(people_t).where(people_t.c.organization_id == org, people_t.c.email.in_(emails))
        ).mappings():
            by_email[row["email"]] = dict(row)
    roles_t = _t(PersonRole)
    # The people of each (company, last name) of this chunk whose first name starts with the same letter as the
    # record's: the exact name's match, and who an initial ("J. Smith") can stand for there. A last name alone
    # would read every namesake of a large company on every chunk. Spelled as ORs, each one index range: SQLite
    # reads a row-value IN list by scanning every role of the table (quadratic over a large import).
    letters = sorted(
        {(companies[r.company.key], taxonomy.fold(r.first_name)[:1], taxonomy.fold(r.last_name)) for r in records}
    )
    namesakes: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}  # (company, letter, last) -> id -> person
    for part in _chunks(letters, 100):
        named = [
            and_(roles_t.c.last_key == last, roles_t.c.company_id == company, *_starting(roles_t.c.first_key, letter))
            for company, letter, last in part
        ]
        for row in conn.execute(
            select(people_t, roles_t.c.company_id, roles_t.c.first_key, roles_t.c.last_key)
            .join(roles_t, roles_t.c.person_id == people_t.c.id)
            .where(roles_t.c.organization_id == org, or_(*named))
        ).mappings():
            person = {k: row[k] for k in people_t.c.keys()}
            by_name[(row["company_id"], row["first_key"], row["last_key"])] = person
            namesakes.setdefault((row["company_id"], row["first_key"][:1], row["last_key"]), {})[person["id"]] = person

    created: dict[str, dict[str, Any]] = {}  # people to insert, by id (a later row may still fill them)
    changed: dict[str, dict[str, Any]] = {}  # columns to update, by id of a person already stored
    people: dict[str, dict[str, Any]] = {}  # every touched person as it will stand
    plan: list[tuple[PersonRecord, str, str]] = []  # (record, person id, company id)
    for record, new in zip(records, values, strict=True):
        company_id = companies[record.company.key]
        name_key = (company_id, taxonomy.fold(record.first_name), taxonomy.fold(record.last_name))
        group = namesakes.setdefault((company_id, name_key[1][:1], name_key[2]), {})
        old = (
            (by_linkedin.get(new["linkedin_key"]) if new["linkedin_key"] else None)
            or (by_email.get(new["email"]) if new["email"] else None)
            or by_name.get(name_key)
            or _initial_match(group, name_key[1], people)
        )
        if old is None:
            person = {**new, "id": new_uuid(), "organization_id": org, "created_at": now, "updated_at": now}
            created[person["id"]] = person
            counts.created += 1
        else:
            old = people.get(old["id"], old)
            changes = _fill(old, new, overwrite=record.origin == "import")
            if changes.get("linkedin_key") and old.get("linkedin_key") and record.origin != "import":
                changes.pop("linkedin_key")
                changes.pop("linkedin_url", None)
            _keep_the_fuller_name(old, new, changes)
            if old["id"] in created:
                person = created[old["id"]]
                person.update(changes)
            else:
                if old["id"] not in people:
                    counts.updated += 1
                person = {**old, **changes}
                if changes:
                    changed.setdefault(old["id"], {}).update(changes, updated_at=now)
        people[person["id"]] = person
        for index, key in ((by_linkedin, person["linkedin_key"]), (by_email, person["email"])):
            if key:
                index[key] = person
        by_name[name_key] = person
        # As it now stands: a "J." that became "Jane" is no longer an initial another J could merge into.
        group.pop(person["id"], None)
        stands = (company_id, taxonomy.fold(person["first_name"]), taxonomy.fold(person["last_name"]))
        by_name[stands] = person
        namesakes.setdefault((company_id, stands[1][:1], stands[2]), {})[person["id"]] = person
        plan.append((record, person["id"], company_id))
    if created:
        conn.execute(insert(people_t), list(created.values()))
    _update_many(conn, people_t, changed)
    _upsert_roles(conn, org, plan, people, set(created), now, scopes)


def _starting(first_key: Any, letter: str) -> list[Any]:
    """First names starting with `letter` (an index range), or the empty first name."""
    if not letter:
        return [first_key == ""]
    return [first_key >= letter, first_key < chr(ord(letter) + 1)]


def _initial_match(
    group: dict[str, dict[str, Any]], first_key: str, people: dict[str, dict[str, Any]]
) -> dict[str, Any] | None:
    """The one person at the company a name given with an initial is, or None.

    `group`: the people of the record's company and last name whose first name starts with its first letter.
    "J. Smith" is the one J-something Smith there; "Jane Smith" is the one "J. Smith" there when no other
    J-something Smith could be that J. (exact names were matched before). Never across companies: the group is
    one company's. Two candidates are two people as far as anyone can tell, so nothing is merged."""
    if not first_key:
        return None
    current = {pid: people.get(pid, person) for pid, person in group.items()}
    keys = {pid: taxonomy.fold(person["first_name"]) for pid, person in current.items()}
    if len(first_key) == 1:
        candidates = list(keys)
    else:
        if any(len(key) > 1 and key != first_key for key in keys.values()):
            return None  # a stored "J." could as well be the John Smith who works there
        candidates = [pid for pid, key in keys.items() if key == first_key[0]]
    return current[candidates[0]] if len(candidates) == 1 else None


def _keep_the_fuller_name(old: dict[str, Any], new: dict[str, Any], changes: dict[str, Any]) -> None:
    """A first name never becomes its own initial ("Jane" stays when "J. Smith" is imported for her), and an
    initial gives way to the name it stands for ("J." becomes "Jane" even from a crawl, which otherwise only
    fills blanks)."""
    old_key, new_key = taxonomy.fold(old.get("first_name") or ""), taxonomy.fold(new.get("first_name") or "")
    if len(new_key) == 1 and len(old_key) > 1 and old_key.startswith(new_key):
        changes.pop("first_name", None)
        changes.pop("full_name", None)
    elif len(old_key) == 1 and len(new_key) > 1 and new_key.startswith(old_key):
        changes.update({k: new[k] for k in ("first_name", "full_name") if new.get(k)})


def _count_roles(conn: Connection, deltas: Counter[tuple[str, str, str]]) -> None:
    """Add new roles to their (organisation, company, relation) counters, in the inserting transaction; an upsert
    adding to the stored count, so concurrent imports never lose each other's roles."""
    keys = ("organization_id", "company_id", "relation")
    items = [{**dict(zip(keys, key, strict=True)), "count": n} for key, n in sorted(deltas.items()) if n]
    if not items:
        return
    table = _t(PersonRoleCounter)
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(table)
    stmt = stmt.on_conflict_do_update(index_elements=list(keys), set_={"count": table.c.count + stmt.excluded.count})
    conn.execute(stmt, items)


def _update_many(conn: Connection, t: Table, changes: dict[str, dict[str, Any]]) -> None:
    """UPDATE ... WHERE id = ? for many rows, one executemany per set of changed columns."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, cols in changes.items():
        groups.setdefault(tuple(sorted(cols)), []).append({"_id": row_id, **{f"_{k}": v for k, v in cols.items()}})
    for names, rows in groups.items():
        stmt = update(t).where(t.c.id == bindparam("_id")).values({k: bindparam(f"_{k}") for k in names})
        conn.execute(stmt, rows)


def _shared(person: dict[str, Any]) -> dict[str, Any]:
    """The person's columns every role of theirs carries, so a search reads one table."""
    first_key, last_key = taxonomy.fold(person["first_name"]), taxonomy.fold(person["last_name"])
    return {
        "first_key": first_key,
        "last_key": last_key,
        "sort_key": f"{last_key} {first_key}".strip()[:400],
        "country_code": person["country_code"],
    }


def _upsert_roles(
    conn: Connection,
    org: str,
    plan: list[tuple[PersonRecord, str, str]],
    people: dict[str, dict[str, Any]],
    new_people: set[str],
    now: datetime,
    scopes: dict[str, int],
) -> None:
    roles_t, terms_t, docs_t = _t(PersonRole), _t(PersonTerm), _t(PersonSearchDoc)
    known = [pid for pid in people if pid not in new_people]
    existing: dict[tuple[str, str, str], dict[str, Any]] = {}
    for part in _chunks(known):
        for found in conn.execute(select(roles_t).where(roles_t.c.person_id.in_(part))).mappings():
            existing[(found["person_id"], found["company_id"], found["relation"])] = dict(found)
    stored_roles = {stored["id"] for stored in existing.values()}
    role_updates: dict[str, dict[str, Any]] = {}
    # The person's own fields may have changed: every stored role of theirs takes the new copy.
    for stored in existing.values():
        diff = {k: v for k, v in _shared(people[stored["person_id"]]).items() if stored.get(k) != v}
        if diff:
            role_updates.setdefault(stored["id"], {}).update(diff)
    role_inserts: dict[str, dict[str, Any]] = {}
    final: dict[str, tuple[dict[str, Any], str]] = {}  # role id -> (role row as it will stand, person id)
    sources: list[tuple[str, str | None, list[Source]]] = []
    for record, person_id, company_id in plan:
        for raw in record.roles:
            role = raw.normalised()
            row: dict[str, Any] = {
                "title": role.title[:300] if role.title else None,
                "title_key": taxonomy.title_key(role.title)[:600] if role.title else None,
                "team": role.team[:200] if role.team else None,
                "department": role.department,
                "seniority": role.seniority,
                "since": role.since,
            }
            old = existing.get((person_id, company_id, role.relation))
            if old is None:
                role_id = new_uuid()
                stored = {
                    "id": role_id, "organization_id": org, "person_id": person_id, "company_id": company_id,
                    "relation": role.relation, "origin": record.origin, "created_at": now, "updated_at": now, **row,
                }  # fmt: skip
                role_inserts[role_id] = stored
                existing[(person_id, company_id, role.relation)] = stored
            else:
                role_id = old["id"]
                changes = _fill(old, row, overwrite=record.origin == "import")
                if changes.get("title") and not changes.get("department") and old.get("department"):
                    changes["department"], changes["seniority"] = row["department"], row["seniority"]
                if changes:
                    old.update(changes)
                    if role_id in stored_roles:
                        role_updates.setdefault(role_id, {}).update(changes, updated_at=now)
            final[role_id] = (existing[(person_id, company_id, role.relation)], person_id)
            sources.append((person_id, role_id, role.sources))
        sources.append((person_id, None, record.sources))
    if role_inserts:
        conn.execute(insert(roles_t), [{**r, **_shared(people[r["person_id"]])} for r in role_inserts.values()])
        _count_roles(conn, Counter((org, r["company_id"], r["relation"]) for r in role_inserts.values()))
    _update_many(conn, roles_t, role_updates)
    # A role's postings follow its final title, team, its person's bio and the columns they copy (the person's
    # name and country may change on any of their roles): rewritten for every touched or updated role.
    by_id = {stored["id"]: (stored, stored["person_id"]) for stored in existing.values()}
    touched = {**{rid: by_id[rid] for rid in role_updates}, **final}
    rewritten = [rid for rid in touched if rid in stored_roles]
    # Their full-text documents follow in the same statements' transaction (on SQLite, triggers carry each
    # document's removal and insertion into the FTS5 index).
    for part in _chunks(rewritten):
        conn.execute(delete(terms_t).where(terms_t.c.role_id.in_(part)))
        if conn.dialect.name == "postgresql":
            # Their integer postings in one statement, so the trigger keeping the bit blocks runs once (the
            # cascade from each removed document would run it once per document).
            postings_t = _t(PersonSearchPosting)
            old_docs = select(docs_t.c.id).where(docs_t.c.role_id.in_(part))
            conn.execute(delete(postings_t).where(postings_t.c.doc_id.in_(old_docs)))
        conn.execute(delete(docs_t).where(docs_t.c.role_id.in_(part)))
    term_rows: list[dict[str, Any]] = []
    doc_rows: list[dict[str, Any]] = []
    missing = {stored["relation"] for stored, _ in touched.values()} - scopes.keys()
    if missing:  # a relation only a stored role of a touched person holds
        scopes.update(_scopes(conn, org, missing))
    for rid, (stored, pid) in touched.items():
        stands = {**stored, **_shared(people[pid])}
        terms = _role_terms(stands, people[pid].get("bio"))
        if terms:
            term_rows += _posting_rows(org, rid, stands, terms)
            doc_rows.append({"role_id": rid, "doc": _doc(scopes[stands["relation"]], stands, terms)})
    if term_rows:
        conn.execute(insert(terms_t), term_rows)
    if doc_rows and conn.dialect.name == "postgresql":
        # The documents' new numbers come back with the insert (insertmanyvalues batches RETURNING).
        numbered = conn.execute(insert(docs_t).returning(docs_t.c.role_id, docs_t.c.id), doc_rows)
        _add_word_postings(conn, scopes, term_rows, {row.role_id: row.id for row in numbered})
    elif doc_rows:
        conn.execute(insert(docs_t), doc_rows)
    _add_sources(conn, org, sources, set(known), now)


def _column_terms(row: dict[str, Any]) -> list[str]:
    """A role's searched columns as the terms of its document's column tokens (see _doc)."""
    terms = [f"c:{row['company_id']}"]
    for prefix, key in (("n:", "country_code"), ("s:", "seniority"), ("d:", "department")):
        if row.get(key):
            terms.append(prefix + row[key])
    return terms


def _add_word_postings(
    conn: Connection, scopes: dict[str, int], term_rows: list[dict[str, Any]], doc_of: dict[str, int]
) -> None:
    """PostgreSQL: the integer postings of the documents just written (`doc_of`: their numbers by role), one per
    token of each document, its columns' within its scope too (see models.PersonSearchPosting); the documents'
    old postings were deleted with them."""
    words_t, postings_t = _t(PersonSearchWord), _t(PersonSearchPosting)
    held = [(scopes[row["relation"]], row["term"], row["role_id"]) for row in term_rows]
    firsts = {row["role_id"]: row for row in term_rows}  # every posting row of a role carries its columns
    held += [(scopes[row["relation"]], term, rid) for rid, row in firsts.items() for term in _column_terms(row)]
    wanted = sorted({(scope, term) for scope, term, _ in held})
    for part in _chunks(wanted):
        conn.execute(
            pg_insert(words_t).on_conflict_do_nothing(index_elements=["scope_id", "term"]),
            [{"scope_id": scope, "term": term} for scope, term in part],
        )
    numbers: dict[tuple[int, str], int] = {}
    for scope in sorted({scope for scope, _ in wanted}):
        for part in _chunks(sorted({term for s, term in wanted if s == scope})):
            found = conn.execute(
                select(words_t.c.term, words_t.c.id).where(words_t.c.scope_id == scope, words_t.c.term.in_(part))
            )
            numbers.update({(scope, row.term): row.id for row in found})
    pairs = sorted((numbers[(scope, term)], doc_of[rid]) for scope, term, rid in held)
    # One statement (two arrays unnested), not insertmanyvalues' batches of 1,000 rows: the trigger keeping the
    # bit blocks runs once per statement, and each run rewrites the blocks it touches (the newest block of
    # every word the chunk holds).
    rows = select(
        func.unnest(bindparam("words", [w for w, _ in pairs], type_=ARRAY(Integer))).label("word_id"),
        func.unnest(bindparam("docs", [d for _, d in pairs], type_=ARRAY(BigInteger))).label("doc_id"),
    )
    conn.execute(insert(postings_t).from_select(["word_id", "doc_id"], rows))


def _add_sources(
    conn: Connection, org: str, wanted: list[tuple[str, str | None, list[Source]]], known: set[str], now: datetime
) -> None:
    """Record the sources not yet stored for their person and role (one read of the stored ones, one insert)."""
    t = _t(PersonSource)
    persons = sorted({pid for pid, _, s in wanted if s and pid in known})
    have: set[tuple[str, str | None, str, str, str]] = set()
    for part in _chunks(persons):
        for row in conn.execute(
            select(t.c.person_id, t.c.role_id, t.c.field, t.c.url, t.c.quote).where(t.c.person_id.in_(part))
        ):
            have.add((row.person_id, row.role_id, row.field, row.url, row.quote))
    rows = []
    for person_id, role_id, sources in wanted:
        for s in sources:
            key = (person_id, role_id, s.field, s.url[:2048], s.quote)
            if key in have:
                continue
            have.add(key)
            rows.append(
                {
                    "id": new_uuid(), "organization_id": org, "person_id": person_id, "role_id": role_id,
                    "field": s.field, "url": s.url[:2048], "title": (s.title or "")[:500] or None, "quote": s.quote,
                    "snapshot_id": s.snapshot_id, "created_at": now,
                }
            )  # fmt: skip
    if rows:
        conn.execute(insert(t), rows)


# --- contact search -----------------------------------------------------------------------------------------


@dataclass
class SearchFilter:
    organization_id: str
    company_ids: list[str] | None = None  # None: every company
    first_key: str | None = None
    last_key: str | None = None
    first_aliases: list[str] = field(default_factory=list)  # first names that also match ("robert" for "bob")
    first_initial: str | None = None  # a first name given as an initial: matches only when unique at a company
    titles: list[list[str]] = field(default_factory=list)  # each: a title's canonical words (any title matches)
    keywords: list[list[str]] = field(default_factory=list)  # each: a phrase's folded words (any phrase matches)
    countries: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    seniorities: list[str] = field(default_factory=list)
    relations: list[str] | None = None  # None: everyone but investors and authors


_PROBE = 5000  # postings counted per word to find the rarest: past this, any word is as good a start


def _postings(conn: Connection, org: str, term: str) -> int:
    """How many roles hold `term`, counted up to _PROBE (an index-only range of the term's postings)."""
    t = _t(PersonTerm)
    # The sort key (never null) is what is counted, so that the covering index is the one read: the structure
    # every other posting read of a search uses (see _held). Counting rows, PostgreSQL read the primary key.
    held = select(t.c.sort_key).where(t.c.organization_id == org, t.c.term == term).limit(_PROBE).subquery()
    return int(conn.execute(select(func.count(held.c.sort_key))).scalar_one())


def _held(org: str, term: str, role_id: Any, sort_key: Any | None) -> Any:
    """Whether the role `role_id` holds `term`: one probe of the postings.

    With the role's sort key (PostgreSQL), the probe is answered by the postings' covering index (organisation,
    term, sort key, role, ...), which every range read of a search already uses: the primary key's index, a
    second copy of every posting (1.6 GB at a million roles), is then never read by a search, and the warm-up
    need not hold it. SQLite keeps the primary key's probe (None): from its statistics that key looked as
    selective, and it then read the sort key from the table's own rows (a third structure, 1.7 GB)."""
    o = _t(PersonTerm).alias()
    keyed = [] if sort_key is None else [o.c.sort_key == sort_key]
    # Selecting the key (not *) keeps SQLite's probe inside the primary-key index instead of reading each row.
    return (
        select(o.c.role_id).where(o.c.organization_id == org, o.c.term == term, *keyed, o.c.role_id == role_id).exists()
    )


def _title_held(org: str, words: list[str], role_id: Any, sort_key: Any | None, title_key: Any) -> Any:
    """A title's condition on one role: its run of words is a posting; a run too long to be indexed is matched
    by each of its words and the phrase test on the title key."""
    run = _phrase_term(words)
    if run is not None:
        return _held(org, run, role_id, sort_key)
    return and_(
        *(_held(org, f"t:{w}"[:64], role_id, sort_key) for w in sorted(set(words))),
        title_key.like(f"% {' '.join(words)} %"),
    )


def _filters(t: Any, f: SearchFilter) -> list[Any]:
    """Scope, country, department and seniority: columns roles and their postings both hold."""
    where = _scope(t, f)
    if f.countries:
        where.append(t.c.country_code.in_(f.countries))
    if f.departments:
        where.append(t.c.department.in_(f.departments))
    if f.seniorities:
        where.append(t.c.seniority.in_(f.seniorities))
    return where


def _conditions(f: SearchFilter, postgres: bool) -> list[Any]:
    """The search over roles (names narrow it by index; titles and keywords are probed per role)."""
    r = _t(PersonRole)
    keyed = r.c.sort_key if postgres else None  # see _held
    org = f.organization_id
    where = _filters(r, f)
    if f.first_key:
        where.append(r.c.first_key.in_(sorted({f.first_key, *f.first_aliases})))
    if f.last_key:
        where.append(r.c.last_key == f.last_key)
    if f.first_initial:
        # "J. Doe" is Jane Doe only where she is the one person at her company that it can mean.
        low, high = f.first_initial, chr(ord(f.first_initial) + 1)
        same = r.alias("same_name")
        named = [same.c.organization_id == org, same.c.first_key >= low, same.c.first_key < high]
        if f.last_key:
            named.append(same.c.last_key == f.last_key)
        unique = (
            select(same.c.company_id)
            .where(*named)
            .group_by(same.c.company_id)
            .having(func.count(same.c.person_id.distinct()) == 1)
        )
        where += [r.c.first_key >= low, r.c.first_key < high, r.c.company_id.in_(unique)]
    if f.titles:
        where.append(or_(*(_title_held(org, words, r.c.id, keyed, r.c.title_key) for words in f.titles)))
    if f.keywords:
        phrases = [
            and_(*(_held(org, f"k:{w}"[:64], r.c.id, keyed) for w in sorted(set(words)))) for words in f.keywords
        ]
        where.append(or_(*phrases))
    return where


_ROLE_COST = 4  # postings read in index order for the price of one role read and probed (measured on SQLite)


def _posting_search(conn: Connection, f: SearchFilter) -> tuple[Any, list[Any]] | None:
    """The postings a search reads instead of roles, and its conditions on them; None when roles are read.

    A search for one title (a run of words that is indexed) or one keyword phrase, and no name, is one range of
    postings: the title's run, or the keyword's rarest word (its other words probed by primary key). Every
    other filter is a column of the posting, so the count and the page (in the postings' index order, which is
    the result order) read no role but the page's own."""
    if f.first_key or f.last_key or f.first_initial or len(f.titles) > 1 or len(f.keywords) > 1:
        return None
    if not f.titles and not f.keywords:
        return None
    org = f.organization_id
    probes = sorted({f"k:{w}"[:64] for w in f.keywords[0]}) if f.keywords else []
    counts: dict[str, int] = {}  # postings per term, each counted once

    def postings(term: str) -> int:
        if term not in counts:
            counts[term] = _postings(conn, org, term)
        return counts[term]

    if f.titles:
        start = _phrase_term(f.titles[0])
        if start is None:
            return None
    else:
        start = min(probes, key=postings) if len(probes) > 1 else probes[0]
        probes.remove(start)
    if f.company_ids is not None and _counter_sum(conn, f) * _ROLE_COST < postings(start):
        return None  # the companies' roles (exactly counted) cost less than the postings: read those instead
    t = _t(PersonTerm)
    keyed = t.c.sort_key if conn.dialect.name == "postgresql" else None  # see _held
    where = [*_filters(t, f), t.c.term == start, *(_held(org, term, t.c.role_id, keyed) for term in probes)]
    return t, where


# A full-text query: a token, or ("and" | "or", parts).
_Query = str | tuple[str, list[Any]]


def _full_text_query(conn: Connection, f: SearchFilter) -> _Query | None:
    """The search as a query over the roles' full-text documents; None when it is answered another way.

    Used for keyword phrases and for several titles, and no name: those were intersections or unions of
    posting ranges. Every condition of such a search is a document token: a word or title run within each
    searched relation's scope (stored relations are taxonomy.RELATIONS, so "everyone but investors and authors"
    is the others), companies, countries, departments, seniorities (each an OR of its values); titles are an OR
    of their indexed runs, keyword phrases an OR of ANDs of their words."""
    if f.first_key or f.last_key or f.first_initial or not (f.keywords or len(f.titles) > 1):
        return None
    runs = [_phrase_term(words) for words in f.titles]
    if any(run is None for run in runs):
        return None  # a title longer than an indexed run is matched by its words and the phrase test
    relations = f.relations if f.relations is not None else [
        r for r in taxonomy.RELATIONS if r not in taxonomy.NOT_EMPLOYEES
    ]  # fmt: skip
    sc = _t(PersonSearchScope)
    scopes = sorted(
        conn.execute(
            select(sc.c.id).where(sc.c.organization_id == f.organization_id, sc.c.relation.in_(sorted(set(relations))))
        ).scalars()
    )
    if not scopes:
        return None  # no searchable role in these relations: the role query finds none, as cheaply

    def held(term: str) -> _Query:
        return ("or", [f"{scope}:{term}" for scope in scopes])

    groups: list[_Query] = []
    if f.company_ids is not None:
        groups.append(("or", [f"c:{c}" for c in sorted(set(f.company_ids))]))
    for prefix, values in (("n:", f.countries), ("d:", f.departments), ("s:", f.seniorities)):
        if values:
            groups.append(("or", [prefix + v for v in sorted(set(values))]))
    if runs:
        groups.append(("or", [held(run) for run in sorted({run for run in runs if run is not None})]))
    if f.keywords:
        phrases = [("and", [held(t) for t in sorted({f"k:{w}"[:64] for w in words})]) for words in f.keywords]
        groups.append(("or", phrases))
    if any(not group[1] for group in groups):
        return None  # an empty list of companies: nothing matches, the role query says so
    return ("and", groups)


def _fts_match(q: _Query) -> Any:
    """SQLite's FTS5 condition for a query (the count and the page path share it)."""
    return sql_text("person_search_fts MATCH :fts_query").bindparams(fts_query=_render(q, False))


def _render(q: _Query, postgres: bool) -> str:
    """FTS5 query syntax ("tok" AND ("a" OR "b")) or tsquery syntax ('tok' & ('a' | 'b')); tokens are hex."""
    if isinstance(q, str):
        return f"'{_token(q)}'" if postgres else f'"{_token(q)}"'
    op, parts = q
    rendered = [_render(part, postgres) for part in parts]
    if len(rendered) == 1:
        return rendered[0]
    joiner = {"and": (" AND ", " & "), "or": (" OR ", " | ")}[op][postgres]
    return "(" + joiner.join(rendered) + ")"


_FTS = table("person_search_fts", column("rowid"))


def _full_text_where(conn: Connection, q: _Query) -> tuple[Any, Any]:
    """(FROM, WHERE) of the documents matching q: SQLite's FTS5 table or PostgreSQL's GIN-indexed expression."""
    d = _t(PersonSearchDoc)
    if conn.dialect.name == "postgresql":
        # The index's own expression (no parameter in it), so every plan can use the index.
        return d, SEARCH_DOC_TSVECTOR.op("@@")(cast(bindparam("fts_query", _render(q, True)), TSQUERY))
    match = _fts_match(q)
    return _FTS.join(d, d.c.id == _FTS.c.rowid), match


def _leaves(q: _Query) -> list[str]:
    return [q] if isinstance(q, str) else [leaf for part in q[1] for leaf in _leaves(part)]


def _scoped(token: str) -> tuple[int, str] | None:
    """(scope, term) of a word token ("<scope>:<term>"); None for a column's token (c:, n:, s:, d:)."""
    scope, _, term = token.partition(":")
    return (int(scope), term) if scope.isdigit() else None


_ZERO_BITS: Any = literal_column(f"repeat('0', {SEARCH_BITS_BLOCK})::bit varying")  # a block no document is in


def _bits_of(q: _Query, numbers: dict[str, int], block: Any) -> Any | None:
    """q as an expression over one block's bits (`block(word number)`: that word's bits in the block, NULL where
    it has none); None when no document can match. An OR leaves out its parts that cannot match, an AND is
    empty when one of its parts is."""
    if isinstance(q, str):
        return func.coalesce(block(numbers[q]), _ZERO_BITS) if q in numbers else None
    op, parts = q
    found = [_bits_of(part, numbers, block) for part in parts]
    kept = [part for part in found if part is not None]
    if not kept or (op == "and" and len(kept) < len(found)):
        return None
    joined = kept[0]
    for part in kept[1:]:
        joined = joined.op("|" if op == "or" else "&")(part)
    return joined


def _within(q: _Query, scopes: list[int]) -> _Query:
    """q with each column token ("c:...", "n:...") as the OR of that term within each of `scopes`."""
    if isinstance(q, str):
        return q if _scoped(q) is not None else ("or", [f"{scope}:{q}" for scope in scopes])
    op, parts = q
    return (op, [_within(part, scopes) for part in parts])


def _word_count(conn: Connection, q: _Query) -> int | None:
    """PostgreSQL: q counted over its words' bit blocks (None for a query with no word, which search never
    makes). Exact: the blocks hold the postings, which hold the documents' tokens (a column's within the
    document's scope). One row per block, each word's bits side by side; the count is the sum of the
    bit_count of q's expression over them."""
    leaves = set(_leaves(q))
    in_scopes = {v[0] for v in map(_scoped, leaves) if v is not None}  # the searched relations' scopes
    if not in_scopes:
        return None
    # A column's token (company, country, ...) is a word within each document's own scope: held by a document
    # of the searched scopes when one of those scopes' words is.
    q = _within(q, sorted(in_scopes))
    leaves = set(_leaves(q))
    scoped = {leaf: _scoped(leaf) for leaf in leaves}
    w = _t(PersonSearchWord)
    pairs = {v for v in scoped.values() if v is not None}
    found = conn.execute(
        select(w.c.scope_id, w.c.term, w.c.id).where(
            w.c.scope_id.in_(sorted({scope for scope, _ in pairs})), w.c.term.in_(sorted({t for _, t in pairs}))
        )
    )
    ids = {(row.scope_id, row.term): row.id for row in found}
    numbers = {leaf: ids[v] for leaf, v in scoped.items() if v is not None and v in ids}
    if not numbers:
        return 0
    b = _t(PersonSearchBits)
    words = sorted(set(numbers.values()))
    blocks = (
        select(b.c.block, *(func.bit_or(b.c.bits).filter(b.c.word_id == n).label(f"w{n}") for n in words))
        .where(b.c.word_id.in_(words))
        .group_by(b.c.block)
        .subquery()
    )
    expr = _bits_of(q, numbers, lambda n: blocks.c[f"w{n}"])
    if expr is None:
        return 0
    total = select(func.coalesce(func.sum(func.bit_count(expr)), 0)).select_from(blocks)
    return int(conn.execute(total).scalar_one())


def _full_text_count(conn: Connection, q: _Query) -> int:
    if conn.dialect.name == "postgresql":
        counted = _word_count(conn, q)
        if counted is not None:
            return counted
        source, where = _full_text_where(conn, q)
        return int(conn.execute(select(func.count()).select_from(source).where(where)).scalar_one())
    # Counted in the FTS5 index alone: its rowids are not looked up in the documents table.
    match = _fts_match(q)
    return int(conn.execute(select(func.count()).select_from(_FTS).where(match)).scalar_one())


# Matches up to which a page is read from all of them, sorted, rather than by walking the result order. The walk
# tests each role it passes: on PostgreSQL by building its document's tsvector (~40 us a role: 120 ms for the
# ~2,900 roles a page of 3,500 matches in a million walks), so walking pays off only past ~10,000 matches there.
# One title or keyword phrase walks its posting range instead (index-only, the columns in it, ~0.2 us a posting),
# cheaper than reading matches from the documents' heap (~10 us each: 17-20 ms for 2,000) past ~500 of them.
_FULL_TEXT_PAGE = {"sqlite": 2000, "postgresql": 10_000}
_POSTING_WALK_PAGE = 100


def _full_text_page(conn: Connection, f: SearchFilter, total: int) -> bool:
    """Whether the page is read from all the matches (sorted) rather than by walking the result order.

    Walking the roles (or one posting range) in result order, testing each, stops after about
    (offset + limit) * roles / total of them: cheap when matches are many, up to every role when they are few;
    reading every match costs `total` lookups and a sort, cheap when they are few."""
    bound = _FULL_TEXT_PAGE[conn.dialect.name]
    if len(f.titles) <= 1 and len(f.keywords) <= 1:
        return total <= min(_POSTING_WALK_PAGE, bound)
    return total <= bound


def _titles_page(conn: Connection, f: SearchFilter, first: int) -> Any | None:
    """Several titles and no keyword: a SELECT of (id, sort_key) holding the `first` matches in result order, or
    None when the page is read another way.

    Each title's run is one posting range whose covering index is already in result order (sort key, role), so
    its first `first` postings are read index-only; a role among the first `first` of the union is among the
    first `first` of its own range (the roles before it there come before it in the union too). Every other
    condition of such a search is a column of the postings. A page of 6,800 matches took 36-60 ms read from all
    of them (each role's sort key looked up), and planned as one sorted UNION of the whole ranges 60 ms at
    80,000 (PostgreSQL sorted the ranges rather than merging them). On SQLite, 2,000-4,000 matches were the worst
    case of both other ways (each 16-27 ms at a million roles: reading them all from FTS5, or walking the roles
    and probing each title); this way, 2-3 ms."""
    if f.keywords or len(f.titles) < 2:
        return None
    runs = {_phrase_term(words) for words in f.titles}
    if None in runs:
        return None  # a title longer than an indexed run is matched by its words and the phrase test
    t = _t(PersonTerm)
    firsts = [
        select(t.c.role_id.label("id"), t.c.sort_key)
        .where(*_filters(t, f), t.c.term == run)
        .order_by(t.c.sort_key, t.c.role_id)
        .limit(first)
        .subquery()
        for run in sorted(run for run in runs if run is not None)
    ]
    u = union(*(select(part.c.id, part.c.sort_key) for part in firsts)).subquery()
    return select(u.c.id, u.c.sort_key)


def _first_names_page(f: SearchFilter, first: int) -> Any | None:
    """A first name with its aliases ("Bobby": bob, robert, rob, ...) and no last name, title or keyword: a SELECT
    of (id, sort_key) holding the `first` matches in result order, or None when the page is read another way.

    Each first name and country is one range of the (organisation, first name, country, sort key, role, relation)
    index, already in result order (without a country, a first name's range is sorted by a top-N sort); each is
    read apart, index-only, its first `first` roles kept, and merged: a role among the first `first` of the union
    is among the first `first` of its own range. As one IN list, PostgreSQL walked the country's roles in result
    order and read each role's row for its first name ("Bobby" in the US: 4,400 rows, 18 ms warm, 742 ms from a
    cold disk)."""
    if not f.first_key or f.last_key or f.first_initial or f.titles or f.keywords:
        return None
    keys = sorted({f.first_key, *f.first_aliases})
    r = _t(PersonRole)
    countries: list[str | None] = [*sorted(set(f.countries))] if f.countries else [None]
    if len(keys) * len(countries) > 24:
        return None  # many ranges: the IN list reads fewer
    rest = _filters(r, replace(f, countries=[]))
    firsts = [
        select(r.c.id, r.c.sort_key)
        .where(*rest, r.c.first_key == key, *([] if country is None else [r.c.country_code == country]))
        .order_by(r.c.sort_key, r.c.id)
        .limit(first)
        .subquery()
        for key in keys
        for country in countries
    ]
    if len(firsts) == 1:
        return None  # one range: the plain query reads it the same way
    u = union(*(select(part.c.id, part.c.sort_key) for part in firsts)).subquery()
    return select(u.c.id, u.c.sort_key)


def search_people(conn: Connection, f: SearchFilter, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """One page of matching roles in a stable order (folded last name, first name, role id) and the total."""
    r, p, c = _t(PersonRole), _t(Person), _t(CompanyProfile)
    if conn.dialect.name == "postgresql":
        # No parallel workers for a page (this transaction only, so poolers in transaction mode keep it local):
        # at a million roles PostgreSQL planned several pages with two workers, whose start and share of a
        # 2-core machine cost more than they saved (a 6,830-match page: 67 ms with workers, 36-41 ms without;
        # a walked page: 12 ms before the first row, 5 ms of work).
        conn.execute(sql_text("SET LOCAL max_parallel_workers_per_gather = 0"))
    query = _full_text_query(conn, f)
    total = _full_text_count(conn, query) if query is not None else _counted(conn, f)
    if total is not None and total <= offset:
        return [], int(total)
    titles_page = _titles_page(conn, f, offset + limit) if query is not None else None
    if titles_page is not None and total is not None:
        key = titles_page.selected_columns
        page_ids = titles_page.order_by(key.sort_key, key.id).limit(limit).offset(offset).subquery("page")
    elif query is not None and total is not None and _full_text_page(conn, f, total):
        # Few matches: all of them from the full-text index, sorted by their roles' keys.
        source, match = _full_text_where(conn, query)
        d = _t(PersonSearchDoc)
        page_ids = (
            select(r.c.id, r.c.sort_key)
            .select_from(source.join(r, r.c.id == d.c.role_id))
            .where(match)
            .order_by(r.c.sort_key, r.c.id)
            .limit(limit)
            .offset(offset)
            .subquery("page")
        )
    else:
        postings = _posting_search(conn, f)
        joined: Any = None
        if postings is not None:
            t, where = postings
            order = (t.c.sort_key, t.c.role_id)
        elif query is not None and conn.dialect.name == "postgresql":
            # Several titles or phrases, walked in result order: PostgreSQL made each posting probe a hash of
            # every posting of its word (5 words: 28 ms before the first row); each walked role's document
            # answers the query instead (one key lookup and the tsquery on its tokens).
            d = _t(PersonSearchDoc)
            docs, match = _full_text_where(conn, query)
            t, where, joined = r, [*_filters(r, f), match], r.join(docs, d.c.role_id == r.c.id)
            order = (r.c.sort_key, r.c.id)
        else:
            t, where = r, _conditions(f, conn.dialect.name == "postgresql")
            order = (r.c.sort_key, r.c.id)
        if total is None:
            total = conn.execute(select(func.count()).select_from(t).where(*where)).scalar_one()
            if total <= offset:
                return [], int(total)
        # The page's role ids first (from the index alone, sorted small), then their people and companies:
        # joined before the sort, SQLite read every match's person and company to sort a few thousand rows.
        ids = t.c.role_id if postings is not None else t.c.id
        names = _first_names_page(f, offset + limit) if postings is None and joined is None else None
        if names is not None:
            key = names.selected_columns
            page_ids = names.order_by(key.sort_key, key.id).limit(limit).offset(offset).subquery("page")
        else:
            page_ids = (
                select(ids.label("id"), t.c.sort_key)
                .select_from(joined if joined is not None else t)
                .where(*where)
                .order_by(*order)
                .limit(limit)
                .offset(offset)
                .subquery("page")
            )
    role = r.alias("role")
    columns = (
        role.c.id.label("role_id"), role.c.person_id, role.c.title, role.c.relation, role.c.department,
        role.c.seniority, role.c.country_code, p.c.first_name, p.c.last_name, p.c.full_name, p.c.location,
        p.c.linkedin_url, c.c.name.label("company_name"), c.c.domain.label("company_domain"),
    )  # fmt: skip
    page = conn.execute(
        select(*columns)
        .select_from(page_ids)
        .join(role, role.c.id == page_ids.c.id)
        .join(p, p.c.id == role.c.person_id)
        .join(c, c.c.id == role.c.company_id)
        .order_by(page_ids.c.sort_key, page_ids.c.id)
    ).mappings()
    items = [dict(row) for row in page]
    return items, int(total)


def _counter_sum(conn: Connection, f: SearchFilter) -> int:
    """Roles of the search's organisation, relations and companies, from the role counters."""
    k = _t(PersonRoleCounter)
    return int(conn.execute(select(func.coalesce(func.sum(k.c.count), 0)).where(*_scope(k, f))).scalar_one())


def _counted(conn: Connection, f: SearchFilter) -> int | None:
    """The exact total from the role counters when the filter is only companies and relations; None otherwise."""
    narrowed = (f.first_key, f.last_key, f.first_initial, f.titles, f.keywords, f.countries, f.departments)
    if any(narrowed) or f.seniorities:
        return None
    return _counter_sum(conn, f)


def _scope(t: Any, f: SearchFilter) -> list[Any]:
    """Organisation, relations (employees unless the search names relations) and companies: the conditions the
    roles and their counters share, so a counted total and a searched one cover the same roles."""
    where: list[Any] = [t.c.organization_id == f.organization_id]
    if f.relations is None:
        where.append(t.c.relation.not_in(sorted(taxonomy.NOT_EMPLOYEES)))
    else:
        where.append(t.c.relation.in_(f.relations))
    if f.company_ids is not None:
        where.append(t.c.company_id.in_(f.company_ids))
    return where


def sources_for(conn: Connection, roles: list[tuple[str, str]]) -> dict[str, list[dict[str, Any]]]:
    """Sources by role id: the role's own and its person's, oldest first."""
    t = _t(PersonSource)
    if not roles:
        return {}
    role_ids = [rid for rid, _ in roles]
    person_ids = list({pid for _, pid in roles})
    columns = (t.c.person_id, t.c.role_id, t.c.field, t.c.url, t.c.title, t.c.quote, t.c.created_at, t.c.id)
    # Every source of these people by the person index, the wanted ones kept here: an OR of role and person
    # conditions (or "role_id IS NULL", true of most rows) is read as a scan of the whole table.
    wanted = set(role_ids)
    rows = [
        row
        for row in conn.execute(select(*columns).where(t.c.person_id.in_(person_ids))).mappings()
        if row["role_id"] is None or row["role_id"] in wanted
    ]
    rows.sort(key=lambda row: (row["created_at"], row["id"]))
    by_person: dict[str, list[dict[str, Any]]] = {}
    by_role: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["role_id"] is None:
            by_person.setdefault(row["person_id"], []).append(dict(row))
        else:
            by_role.setdefault(row["role_id"], []).append(dict(row))
    return {rid: by_role.get(rid, []) + by_person.get(pid, []) for rid, pid in roles}


def company_ids_for_slugs(conn: Connection, organization_id: str, slugs: list[str]) -> list[str]:
    t = _t(CompanyProfile)
    return list(
        conn.execute(
            select(t.c.id).where(t.c.organization_id == organization_id, t.c.linkedin_slug.in_(slugs))
        ).scalars()
    )


def has_people_source(conn: Connection, organization_id: str) -> bool:
    """Whether the organisation has any people source: a company it crawled or a person it imported."""
    t = _t(CompanyProfile)
    return conn.execute(select(t.c.id).where(t.c.organization_id == organization_id).limit(1)).first() is not None


# --- contact research: the person a report is about, and profile URLs ----------------------------------------


def research_run_row(conn: Connection, research_id: str) -> dict[str, Any] | None:
    t = _t(ContactResearch)
    row = conn.execute(select(t).where(t.c.id == research_id)).mappings().first()
    return dict(row) if row else None


def finish_research(conn: Connection, research_id: str, values: dict[str, Any]) -> dict[str, Any] | None:
    """Record the outcome once: only a report still processing is finished (a retry finds it done)."""
    t = _t(ContactResearch)
    done = conn.execute(update(t).where(t.c.id == research_id, t.c.status == "processing").values(**values)).rowcount
    return get_research_row(conn, research_id) if done else None


def get_research_row(conn: Connection, research_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(*_COLUMNS).where(ContactResearch.id == research_id)).mappings().first()
    return dict(row) if row else None


def people_named(
    conn: Connection, organization_id: str, first_keys: list[str], last_key: str, domain: str | None = None
) -> list[dict[str, Any]]:
    """People with roles whose folded names match, with their company's domain, employees and founders first."""
    r, p, c = _t(PersonRole), _t(Person), _t(CompanyProfile)
    stmt = (
        select(p.c.id, p.c.full_name, r.c.relation, c.c.domain, c.c.name.label("company_name"))
        .join(p, p.c.id == r.c.person_id)
        .join(c, c.c.id == r.c.company_id)
        .where(r.c.organization_id == organization_id, r.c.last_key == last_key, r.c.first_key.in_(first_keys))
    )
    if domain is not None:
        stmt = stmt.where(c.c.domain == domain)
    rows = [dict(row) for row in conn.execute(stmt.order_by(r.c.created_at, r.c.id)).mappings()]
    rows.sort(key=lambda row: row["relation"] in taxonomy.NOT_EMPLOYEES)
    return rows


def record_profile(
    conn: Connection,
    organization_id: str,
    *,
    first_name: str,
    last_name: str,
    first_keys: list[str],
    domain: str,
    url: str,
    linkedin: bool,
    now: datetime,
) -> str:
    """Record a profile URL against the person of that name at that company (created, without a role, when the
    index does not know them yet); a LinkedIn profile URL (`linkedin` true) also fills the person's LinkedIn profile
    when it is empty. A Sales Navigator lead is recorded by its lead id (`person_profile_key`)."""
    p, pp = _t(Person), _t(PersonProfile)
    found = people_named(conn, organization_id, first_keys, taxonomy.fold(last_name), domain)
    if found:
        person_id = found[0]["id"]
    else:
        person_id = new_uuid()
        full = f"{first_name} {last_name}".strip()
        conn.execute(
            insert(p).values(
                id=person_id, organization_id=organization_id, first_name=first_name, last_name=last_name,
                full_name=full, created_at=now, updated_at=now,
            )
        )  # fmt: skip
    key = person_profile_key(url)
    if linkedin:
        conn.execute(
            update(p)
            .where(p.c.id == person_id, p.c.linkedin_key.is_(None))
            .values(linkedin_url=url, linkedin_key=key, updated_at=now)
        )
    known = conn.execute(
        select(pp.c.id).where(
            pp.c.organization_id == organization_id, pp.c.profile_key == key, pp.c.person_id == person_id
        )
    ).first()
    if known is None:
        conn.execute(
            insert(pp).values(
                id=new_uuid(), organization_id=organization_id, person_id=person_id, profile_key=key, url=url,
                company_domain=domain, origin="research", created_at=now,
            )
        )  # fmt: skip
    return person_id


def people_with_profile(conn: Connection, organization_id: str, key: str, urls: list[str]) -> list[dict[str, Any]]:
    """Everyone a profile URL is recorded against: given with research, their LinkedIn, GitHub or X link."""
    p, pp = _t(Person), _t(PersonProfile)
    ids: dict[str, str | None] = {}
    for row in conn.execute(
        select(pp.c.person_id, pp.c.company_domain).where(
            pp.c.organization_id == organization_id, pp.c.profile_key == key
        )
    ):
        ids.setdefault(row.person_id, row.company_domain)
    lowered = sorted({u.lower() for u in urls})
    for row in conn.execute(
        select(p.c.id).where(
            p.c.organization_id == organization_id,
            or_(p.c.linkedin_key == key, func.lower(p.c.github_url).in_(lowered), func.lower(p.c.x_url).in_(lowered)),
        )
    ):
        ids.setdefault(row.id, None)
    return [{"id": pid, "given_domain": domain} for pid, domain in ids.items()]


def person_summary(conn: Connection, person_id: str) -> dict[str, Any] | None:
    """A person's name, their company (an employee's or founder's role first) and their readable profile URLs."""
    p, r, c, pp = _t(Person), _t(PersonRole), _t(CompanyProfile), _t(PersonProfile)
    person = conn.execute(select(p).where(p.c.id == person_id)).mappings().first()
    if person is None:
        return None
    roles = [
        dict(row)
        for row in conn.execute(
            select(r.c.relation, c.c.domain)
            .join(c, c.c.id == r.c.company_id)
            .where(r.c.person_id == person_id)
            .order_by(r.c.created_at, r.c.id)
        ).mappings()
    ]
    roles.sort(key=lambda row: row["relation"] in taxonomy.NOT_EMPLOYEES)
    urls = list(conn.execute(select(pp.c.url).where(pp.c.person_id == person_id).order_by(pp.c.created_at)).scalars())
    urls += [u for u in (person["github_url"],) if u]
    return {
        "full_name": person["full_name"],
        "domain": next((row["domain"] for row in roles if row["domain"]), None),
        "urls": urls,
    }


# --- the search warm-up: what contact search reads, read once -------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """A table, index or FTS5 shadow table contact search reads, as the database names it."""

    name: str
    table: str
    kind: str  # table | btree | gin | toast (PostgreSQL's out-of-line values of a table)
    columns: tuple[str, ...] = ()  # a b-tree index's columns, in order
    bytes: int | None = None  # known before reading it (PostgreSQL); SQLite's is measured by the read


# What contact search reads, in the order a warm-up reads it (from what cold searches read at a million people,
# bench/contacts.py --reads): the lookups every search starts from (company slugs, role counters, scopes, words,
# PostgreSQL's bit blocks), the roles' search indexes, what a page of results reads for each of its rows (roles,
# people, companies, sources), the postings' covering index and primary key (titles and keywords), and the
# full-text documents. Each: (table, "table" | "pk" | "fts" | an index or unique constraint's name), "@sqlite"
# appended where only SQLite's searches read it.
_SEARCH_READS: tuple[tuple[Any, str], ...] = (
    (CompanyProfile, "ix_company_profiles_org_linkedin"),
    (PersonRoleCounter, "pk"),
    (PersonRoleCounter, "table"),
    (PersonSearchScope, "table"),
    (PersonSearchWord, "table"),
    (PersonSearchWord, "uq_person_search_words_scope_id"),
    (PersonSearchBits, "pk"),
    (PersonSearchBits, "table"),
    (PersonRole, "ix_person_roles_org_company"),
    (PersonRole, "ix_person_roles_org_sort"),
    (PersonRole, "ix_person_roles_org_last_sort"),
    (PersonRole, "ix_person_roles_org_first"),
    (PersonRole, "ix_person_roles_org_last"),
    (PersonRole, "ix_person_roles_org_country"),
    (PersonRole, "ix_person_roles_org_department"),
    (PersonRole, "ix_person_roles_org_seniority"),
    (PersonRole, "ix_person_roles_identity"),  # a name given with an initial: who else bears it at the company
    (PersonRole, "pk"),
    (PersonRole, "table"),
    (Person, "pk"),
    (Person, "table"),
    (CompanyProfile, "pk"),
    (CompanyProfile, "table"),
    (PersonSource, "ix_person_sources_person"),
    (PersonSource, "table"),
    (PersonTerm, "ix_person_terms_find"),
    (PersonTerm, "pk@sqlite"),  # SQLite's probes of one posting (see _held); PostgreSQL's use the covering index
    (PersonSearchDoc, "ix_person_search_docs_terms"),  # PostgreSQL's GIN index
    (PersonSearchDoc, "fts"),  # SQLite's FTS5 index
    (PersonSearchDoc, "uq_person_search_docs_role_id"),
    (PersonSearchDoc, "pk"),
    (PersonSearchDoc, "table"),
)


def _index_columns(t: Table, name: str) -> tuple[str, ...]:
    """The columns of a table's index, primary key or unique constraint named `name` ("pk": its primary key)."""
    if name == "pk":
        return tuple(c.name for c in t.primary_key.columns)
    for ix in t.indexes:
        if ix.name == name:
            return tuple(c.name for c in ix.columns)
    for constraint in t.constraints:
        if constraint.name == name:
            return tuple(c.name for c in getattr(constraint, "columns", ()))
    raise KeyError(name)


def search_structures(conn: Connection) -> list[Structure]:
    """The structures contact search reads that this database holds, in warm-up order (see _SEARCH_READS)."""
    if conn.dialect.name == "postgresql":
        return _pg_structures(conn)
    return _sqlite_structures(conn)


def _pg_structures(conn: Connection) -> list[Structure]:
    wanted: list[tuple[str, str, str, tuple[str, ...]]] = []  # (name, table, kind, columns)
    for model, what in _SEARCH_READS:
        tbl = _t(model)
        if what == "fts" or what.endswith("@sqlite"):
            continue
        if what == "table":
            wanted.append((tbl.name, tbl.name, "table", ()))
            continue
        name = str(tbl.primary_key.name) if what == "pk" else what
        wanted.append((name, tbl.name, "index", _index_columns(tbl, what)))
    names = [name for name, _, _, _ in wanted]
    found = {
        row.name: row
        for row in conn.execute(
            sql_text(
                "SELECT r.name, pg_relation_size(c.oid) AS bytes, am.amname, c.reltoastrelid::regclass::text AS toast,"
                " CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_relation_size(c.reltoastrelid) END AS toast_bytes"
                " FROM unnest(CAST(:names AS text[])) AS r(name)"
                " JOIN pg_class c ON c.oid = to_regclass(r.name) LEFT JOIN pg_am am ON am.oid = c.relam"
            ).bindparams(names=names)
        )
    }
    out: list[Structure] = []
    for name, table_name, kind, columns in wanted:
        row = found.get(name)
        if row is None:
            continue
        if kind == "table":
            out.append(Structure(name, table_name, "table", (), int(row.bytes)))
            if row.toast != "-" and row.toast_bytes:
                out.append(Structure(row.toast, table_name, "toast", (), int(row.toast_bytes)))
        else:
            out.append(Structure(name, table_name, "gin" if row.amname == "gin" else "btree", columns, int(row.bytes)))
    return out


def _sqlite_structures(conn: Connection) -> list[Structure]:
    def index_list(name: str) -> list[Any]:
        return list(conn.exec_driver_sql(f'PRAGMA index_list("{name}")'))

    out: list[Structure] = []
    tables = set(conn.execute(sql_text("SELECT name FROM sqlite_schema WHERE type = 'table'")).scalars())
    for model, only in _SEARCH_READS:
        tbl, what = _t(model), only.removesuffix("@sqlite")
        if tbl.name not in tables:
            continue
        if what == "table":
            out.append(Structure(tbl.name, tbl.name, "table"))
        elif what == "fts":
            # The FTS5 index's own tables: its terms' segments and their index.
            out += [Structure(f"person_search_fts_{part}", tbl.name, "table") for part in ("data", "idx")
                    if f"person_search_fts_{part}" in tables]  # fmt: skip
        else:
            columns = _index_columns(tbl, what)
            indexes = index_list(tbl.name)
            if what == "pk" or what.startswith("uq_"):
                # SQLite names a key's or unique constraint's index itself (sqlite_autoindex_<table>_<n>); an
                # INTEGER PRIMARY KEY has none (it is the table's own key).
                origin = "pk" if what == "pk" else "u"
                for row in indexes:
                    named = [r[2] for r in conn.exec_driver_sql(f'PRAGMA index_info("{row[1]}")')]
                    if row[3] == origin and tuple(named) == columns:
                        out.append(Structure(row[1], tbl.name, "btree", columns))
            elif any(row[1] == what for row in indexes):
                out.append(Structure(what, tbl.name, "btree", columns))
    return out


def pg_prewarm_available(conn: Connection) -> bool:
    """Whether PostgreSQL's pg_prewarm extension is installed here, installing it when the server ships it and
    this role may (it is missing on some managed servers, and creating it needs the right privileges)."""
    if conn.execute(sql_text("SELECT to_regproc('pg_prewarm') IS NOT NULL")).scalar_one():
        return True
    shipped = conn.execute(sql_text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_prewarm'")).first()
    if shipped is None:
        return False
    try:
        with conn.begin_nested():
            conn.execute(sql_text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
    except Exception:  # no privilege, or another process creating it at the same moment: read plainly instead
        return bool(conn.execute(sql_text("SELECT to_regproc('pg_prewarm') IS NOT NULL")).scalar_one())
    return True


def pg_give_way(conn: Connection, seconds: int) -> None:
    """This transaction's statements wait at most `seconds` for a lock, then fail (SET LOCAL: a pooler in
    transaction mode hands the connection on with no setting left behind)."""
    conn.execute(sql_text(f"SET LOCAL lock_timeout = '{int(seconds)}s'"))


def pg_shared_buffers_bytes(conn: Connection) -> int:
    return int(conn.execute(sql_text("SELECT pg_size_bytes(current_setting('shared_buffers'))")).scalar_one())


def pg_block_size(conn: Connection) -> int:
    return int(conn.execute(sql_text("SELECT current_setting('block_size')::int")).scalar_one())


def pg_prewarm(conn: Connection, name: str, mode: str, first: int, last: int) -> int:
    """Blocks first..last of a relation read by pg_prewarm ("buffer": into shared buffers; "read": into the OS
    page cache only); how many it read."""
    stmt = sql_text("SELECT pg_prewarm(CAST(:name AS regclass), :mode, 'main', :first, :last)")
    return int(conn.execute(stmt.bindparams(name=name, mode=mode, first=first, last=last)).scalar_one())


def read_plainly(conn: Connection, s: Structure) -> bool:
    """PostgreSQL without pg_prewarm: a table read by a sequential scan, a b-tree index by a scan of all its
    entries in its order (index-only where the visibility map allows), counted; False for what a plain query
    cannot read on its own (a GIN index, a table's out-of-line values)."""
    if s.kind == "table":
        conn.execute(select(func.count()).select_from(table(s.table)))
        return True
    if s.kind != "btree" or not s.columns:
        return False
    conn.execute(index_read(conn, s))
    return True


def index_read(conn: Connection, s: Structure) -> Any:
    """PostgreSQL: a count of a b-tree index's entries in its order, which only that index yields without a sort
    once sequential and bitmap scans and sorting are priced out (set here for this transaction only)."""
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort", "enable_incremental_sort"):
        conn.execute(sql_text(f"SET LOCAL {setting} = off"))
    cols: list[Any] = [column(c) for c in s.columns]
    ordered = select(*cols).select_from(table(s.table, *cols)).order_by(*cols).subquery()
    return select(func.count()).select_from(ordered)


def sqlite_read_btree(conn: Connection, name: str) -> int:
    """SQLite: every page of one table or index b-tree read (the dbstat table walks it), and its size in bytes."""
    stmt = sql_text("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = :name AND aggregate = TRUE")
    return int(conn.execute(stmt.bindparams(name=name)).scalar_one())
