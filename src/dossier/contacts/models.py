from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    literal_column,
)
from sqlalchemy.dialects.postgresql import BIT
from sqlalchemy.orm import Mapped, mapped_column

from dossier.kit.db import Base, JSONType


class ContactResearch(Base):
    __tablename__ = "contact_research"
    __table_args__ = (
        Index("ix_contact_research_org_created", "organization_id", "created_at"),
        Index("ix_contact_research_external", "organization_id", "external_source", "external_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12))
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    company_name: Mapped[str] = mapped_column(String(300))
    company_domain: Mapped[str] = mapped_column(String(253))
    contact_profile_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    linkedin_sales_navigator_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    job_title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    external_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    external_source: Mapped[str | None] = mapped_column(String(100), nullable=True)
    webhook_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    research: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    sources: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


# --- the people index ----------------------------------------------------------------------------------------
# Everything is per organisation, like signals: what one organisation crawls or imports is its own index.


class CompanyProfile(Base):
    """A company as Dossier knows it: domain, name, LinkedIn company slug (from the site's social links)."""

    __tablename__ = "company_profiles"
    __table_args__ = (
        Index("ix_company_profiles_org_domain", "organization_id", "domain", unique=True),
        Index("ix_company_profiles_org_linkedin", "organization_id", "linkedin_slug"),
        Index("ix_company_profiles_org_name", "organization_id", "name_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    domain: Mapped[str | None] = mapped_column(String(253), nullable=True)
    name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    name_key: Mapped[str | None] = mapped_column(String(300), nullable=True)  # taxonomy.fold(name)
    linkedin_slug: Mapped[str | None] = mapped_column(String(200), nullable=True)  # lowercased
    profiles: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)  # {"github": url, "x": url}
    indexed_crawl_id: Mapped[str | None] = mapped_column(String(36), nullable=True)  # the last crawl read for people
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (
        Index("ix_people_org_linkedin", "organization_id", "linkedin_key"),
        Index("ix_people_org_email", "organization_id", "email"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(String(200))
    last_name: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(400))
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)  # lowercased
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    linkedin_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    linkedin_key: Mapped[str | None] = mapped_column(String(1024), nullable=True)  # kit.validation.profile_key
    github_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    x_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    bio: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PersonRole(Base):
    """One person's relation to one company: the row contact search returns.

    The person's folded names and country are copied here so that a search is one indexed scan of one table,
    in a stable order (sort_key, id), on both databases."""

    __tablename__ = "person_roles"
    __table_args__ = (
        Index("ix_person_roles_identity", "organization_id", "person_id", "company_id", "relation", unique=True),
        Index("ix_person_roles_org_sort", "organization_id", "sort_key", "id", "relation"),
        Index("ix_person_roles_org_company", "organization_id", "company_id", "sort_key", "id", "relation"),
        Index("ix_person_roles_org_last", "organization_id", "last_key", "first_key"),
        # A name search reads its matches in result order from these (and counts them without reading roles):
        # on (organisation, sort_key) alone the planner walked the whole index looking for one last name.
        Index(
            "ix_person_roles_org_last_sort", "organization_id", "last_key", "sort_key", "id", "relation", "first_key"
        ),
        Index(
            "ix_person_roles_org_first", "organization_id", "first_key", "country_code", "sort_key", "id", "relation"
        ),
        Index("ix_person_roles_org_country", "organization_id", "country_code", "sort_key"),
        Index("ix_person_roles_org_department", "organization_id", "department", "sort_key"),
        Index("ix_person_roles_org_seniority", "organization_id", "seniority", "sort_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    company_id: Mapped[str] = mapped_column(ForeignKey("company_profiles.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(16))  # taxonomy.RELATIONS
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)  # verbatim
    title_key: Mapped[str | None] = mapped_column(String(600), nullable=True)  # taxonomy.title_key
    team: Mapped[str | None] = mapped_column(String(200), nullable=True)
    department: Mapped[str | None] = mapped_column(String(16), nullable=True)
    seniority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    since: Mapped[str | None] = mapped_column(String(10), nullable=True)  # ISO date the role began, when stated
    first_key: Mapped[str] = mapped_column(String(200))
    last_key: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(String(400))
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    origin: Mapped[str] = mapped_column(String(8))  # crawl | import
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PersonRoleCounter(Base):
    """Roles per organisation, company and relation, kept in step by every role the repository inserts.

    A search filtered by nothing but companies (or by nothing) reads its exact `total` here instead of counting
    index entries: counting was most of such a request at a million people."""

    __tablename__ = "person_role_counters"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[str] = mapped_column(ForeignKey("company_profiles.id", ondelete="CASCADE"), primary_key=True)
    relation: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class PersonTerm(Base):
    """Inverted index of a role: `t:` every run of consecutive title words ("t:software engineer"), `k:` words of
    title, team and bio (keywords).

    Each posting carries the columns a search filters and orders by (copied from its role, kept in step by the
    repository), so a title or keyword search counts and pages over one index range without reading roles."""

    __tablename__ = "person_terms"
    __table_args__ = (
        Index("ix_person_terms_role", "role_id"),
        Index(
            "ix_person_terms_find",
            "organization_id",
            "term",
            "sort_key",
            "role_id",
            "relation",
            "company_id",
            "country_code",
            "seniority",
            "department",
        ),
    )

    organization_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    role_id: Mapped[str] = mapped_column(ForeignKey("person_roles.id", ondelete="CASCADE"), primary_key=True)
    sort_key: Mapped[str] = mapped_column(String(400))
    relation: Mapped[str] = mapped_column(String(16))
    company_id: Mapped[str] = mapped_column(String(36))
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True)
    seniority: Mapped[str | None] = mapped_column(String(16), nullable=True)
    department: Mapped[str | None] = mapped_column(String(16), nullable=True)


class PersonSearchScope(Base):
    """A short number for each (organisation, relation) that has searchable roles: a full-text document's word
    tokens carry it, so a keyword's list of documents is already that organisation's and relation's (intersected
    with a token every role of the organisation holds, counting 32,000 matches took 10 ms instead of 2 on SQLite)."""

    __tablename__ = "person_search_scopes"
    __table_args__ = (UniqueConstraint("organization_id", "relation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(16))


class PersonSearchDoc(Base):
    """A role's postings and searched columns as one document for the databases' own full-text indexes: every
    `person_terms` term of the role as `<scope>:<term>` (scope: PersonSearchScope of the role's organisation and
    relation), plus `c:<company>`, `n:<country>`, `s:<seniority>`, `d:<department>`, each written as the hex of
    its UTF-8 bytes and separated by spaces.

    Hex tokens pass every tokenizer unchanged (no stemming, stop words, case or accent folding, no splitting of
    "t:software engineer"), so a document holds exactly the role's postings and a search over it matches what
    the postings match. SQLite indexes it in the FTS5 table `person_search_fts` (external content, kept in step
    by triggers, created by migration 0018); PostgreSQL in a GIN index over `array_to_tsvector` of its tokens.
    Kept by the repository with the postings: one row per role that has postings."""

    __tablename__ = "person_search_docs"

    # An integer key: SQLite's FTS5 rows are addressed by it (a table's implicit rowid may change on VACUUM).
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    role_id: Mapped[str] = mapped_column(ForeignKey("person_roles.id", ondelete="CASCADE"), unique=True)
    doc: Mapped[str] = mapped_column(Text)


# PostgreSQL's full-text view of a document, written out once: its tokens as lexemes, with no parser or dictionary
# (array_to_tsvector). The GIN index is built over this expression and searches spell their condition with the
# same one, which is what lets the planner use the index.
SEARCH_DOC_TSVECTOR = func.array_to_tsvector(
    func.string_to_array(PersonSearchDoc.__table__.c.doc, literal_column("' '"))
)
Index("ix_person_search_docs_terms", SEARCH_DOC_TSVECTOR, postgresql_using="gin").ddl_if(dialect="postgresql")


class PersonSearchWord(Base):
    """A short number for each searched term within a scope (`<scope>:<term>`, a word token of the documents),
    for the integer postings in PersonSearchPosting. Never removed: a number no posting uses costs one row."""

    __tablename__ = "person_search_words"
    __table_args__ = (UniqueConstraint("scope_id", "term"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope_id: Mapped[int] = mapped_column(ForeignKey("person_search_scopes.id", ondelete="CASCADE"))
    term: Mapped[str] = mapped_column(String(64))


class PersonSearchPosting(Base):
    """PostgreSQL only (empty on SQLite, whose FTS5 index counts alone): the word tokens of each full-text
    document as (word number, document number) pairs and nothing else, written by the repository with the
    documents in the same transaction.

    PostgreSQL's GIN count visits the heap row of every match for its visibility (~25,600 pages for the 32,000
    roles of a two-word phrase at a million roles). Ranges of this primary key are read by index-only scans,
    which skip the heap for pages the visibility map marks all-visible (vacuum keeps it), and come out in
    document order: an AND of words is a merge join of such ranges and an OR a merge of them, counted."""

    __tablename__ = "person_search_postings"
    __table_args__ = (Index("ix_person_search_postings_doc_id", "doc_id"),)  # the cascade from a removed document

    word_id: Mapped[int] = mapped_column(
        ForeignKey("person_search_words.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    doc_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("person_search_docs.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )


class PersonSearchBits(Base):
    """PostgreSQL only (empty on SQLite): each word's documents as bits, one row per block of SEARCH_BITS_BLOCK
    document numbers (bit `n` of block `b` is document `b * SEARCH_BITS_BLOCK + n`), kept by PostgreSQL itself:
    statement triggers on person_search_postings set and clear the bits of the postings each statement inserts
    and deletes (migration 0021), so the blocks hold exactly the postings, in their transaction.

    An OR or AND of words is the OR or AND of their blocks and its count their bit_count: an OR of three common
    keyword phrases at a million roles reads ~240 rows in 1.5 ms, where merging the postings passed 130,000 of
    them through Merge Append and Unique (25-45 ms). A sparse block is stored compressed (a few dozen bytes)."""

    __tablename__ = "person_search_bits"

    word_id: Mapped[int] = mapped_column(
        ForeignKey("person_search_words.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    block: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    bits: Mapped[str] = mapped_column(Text().with_variant(BIT(varying=True), "postgresql"))


SEARCH_BITS_BLOCK = 1 << 14  # document numbers per block (migration 0021's triggers use the same)


class PersonProfile(Base):
    """A profile URL known to belong to a person (given with a contact research request): how contact signals
    find their person by URL. The company it was given with is kept, since the person may hold no role yet."""

    __tablename__ = "person_profiles"
    __table_args__ = (
        Index("ix_person_profiles_org_key", "organization_id", "profile_key", "person_id", unique=True),
        Index("ix_person_profiles_person", "person_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    profile_key: Mapped[str] = mapped_column(String(1024))  # kit.validation.profile_key(url)
    url: Mapped[str] = mapped_column(String(2048))
    company_domain: Mapped[str | None] = mapped_column(String(253), nullable=True)
    origin: Mapped[str] = mapped_column(String(16))  # research
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PersonSource(Base):
    """What a field of a person or role rests on: a stored snapshot and its quote, or an imported row."""

    __tablename__ = "person_sources"
    __table_args__ = (
        Index("ix_person_sources_person", "person_id"),
        Index("ix_person_sources_role", "role_id"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role_id: Mapped[str | None] = mapped_column(ForeignKey("person_roles.id", ondelete="CASCADE"), nullable=True)
    field: Mapped[str] = mapped_column(String(32))  # name, title, relation, location, linkedin, github, x, email, ...
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    quote: Mapped[str] = mapped_column(Text)
    snapshot_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
