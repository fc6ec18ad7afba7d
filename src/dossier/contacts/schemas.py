"""Wire shapes of contact research, contact search and people import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue
from pydantic.json_schema import JsonDict

from dossier.contacts import taxonomy
from dossier.kit.openapi import documented
from dossier.kit.pagination import MAX_JSON_OFFSET
from dossier.kit.strict import JSONInt
from dossier.kit.validation import DOMAIN_PATTERN, NOT_BLANK_PATTERN, PROFILE_URL_PATTERN, WEBHOOK_URL_PATTERN
from dossier.signals.schemas import WEBHOOK_URL_DOC, Source


class CurrentRole(BaseModel):
    title: str | None = None
    company: str | None = None
    since: str | None = None


class CompanyContext(BaseModel):
    description: str | None = None
    industry: str | None = None
    size: str | None = None
    headquarters: str | None = None
    recentNews: list[Any] = Field(default_factory=list)


class ResearchEvidence(BaseModel):
    field: str
    url: str
    quote: str
    snapshotId: str | None = None
    fetchedAt: str | None = None


class ResearchReport(BaseModel):
    summary: str | None = None
    currentRole: CurrentRole | None = None
    responsibilities: list[str] = Field(default_factory=list)
    background: list[dict[str, Any]] = Field(default_factory=list)
    education: list[Any] = Field(default_factory=list)
    expertise: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    recentActivity: list[dict[str, Any]] = Field(default_factory=list)
    companyContext: CompanyContext | None = None
    talkingPoints: list[str] = Field(default_factory=list)
    confidence: float | None = None
    evidence: list[ResearchEvidence] = Field(
        default_factory=list,
        description="Dossier extension: the stored text each field rests on (field, page, quote, snapshot)",
    )


class ContactResearchOut(BaseModel):
    id: str = Field(examples=["cr_abc123def456"])
    status: Literal["processing", "completed", "failed"]
    firstName: str
    lastName: str
    fullName: str
    companyName: str
    companyDomain: str
    contactProfileUrl: str | None = None
    linkedInSalesNavigatorUrl: str | None = None
    jobTitle: str | None = None
    externalId: str | None = None
    externalSource: str | None = None
    research: ResearchReport | None = None
    sources: list[Source] = Field(default_factory=list)
    error: str | None = None
    createdAt: str
    completedAt: str | None = None


_NAME: JsonDict = {"minLength": 1, "pattern": NOT_BLANK_PATTERN}


def _external_pair(schema: JsonDict) -> None:
    """externalId and externalSource: both or neither (null counts as neither)."""
    rules: list[JsonValue] = []
    for given, needed in (("externalId", "externalSource"), ("externalSource", "externalId")):
        rules.append(
            {
                "if": {"properties": {given: {"type": "string"}}, "required": [given]},
                "then": {"properties": {needed: {"type": "string"}}, "required": [needed]},
            }
        )
    schema["allOf"] = rules


class CreateContactResearch(BaseModel):
    """Research one person at one company. Unknown fields are ignored (newer clients)."""

    model_config = ConfigDict(json_schema_extra=_external_pair)

    firstName: str = Field(max_length=200, json_schema_extra=_NAME, examples=["John"])
    lastName: str = Field(max_length=200, json_schema_extra=_NAME, examples=["Doe"])
    companyName: str = Field(max_length=300, json_schema_extra=_NAME, examples=["Acme Corp"])
    companyDomain: str = Field(
        max_length=253,
        examples=["acme.com"],
        description="A bare host name: no scheme, no path",
        json_schema_extra={"pattern": DOMAIN_PATTERN},
    )
    contactProfileUrl: str | None = Field(
        default=None,
        max_length=2048,
        description="The person's profile: a LinkedIn URL is an identifier only (never fetched); any other http(s) "
        "profile (personal site, GitHub, a speaker page) is read as a source when it names them and the company",
        json_schema_extra=documented(pattern=PROFILE_URL_PATTERN),
    )
    linkedInSalesNavigatorUrl: str | None = Field(
        default=None, max_length=2048, description="Recorded as given (an identifier; never fetched)",
        json_schema_extra=documented(pattern=PROFILE_URL_PATTERN),
    )  # fmt: skip
    jobTitle: str | None = Field(
        default=None, max_length=300, description="As the caller knows it; recorded, not a source"
    )
    webhookUrl: str | None = Field(
        default=None,
        max_length=2048,
        description=WEBHOOK_URL_DOC,
        json_schema_extra=documented(format="uri", pattern=WEBHOOK_URL_PATTERN),
    )
    externalId: str | None = Field(
        default=None, max_length=300, description="Dossier extension: the contact's id in your CRM; with externalSource",
        json_schema_extra=documented(minLength=1, pattern=NOT_BLANK_PATTERN),
    )  # fmt: skip
    externalSource: str | None = Field(
        default=None, max_length=100, description="Dossier extension: the CRM externalId belongs to; with externalId",
        json_schema_extra=documented(minLength=1, pattern=NOT_BLANK_PATTERN),
    )  # fmt: skip


# --- contact search ---------------------------------------------------------------------------------------------


def _items_one_of(values: Iterable[str]) -> JsonDict:
    """Document an array's allowed values (the server checks them itself, with the contract's message)."""
    allowed: list[JsonValue] = list(values)
    return {"items": {"type": "string", "enum": allowed}}


class ContactSearch(BaseModel):
    """Every field is optional; without companyLinkedInUrls the search covers everyone Dossier knows."""

    companyLinkedInUrls: list[str] | None = Field(
        default=None,
        max_length=100,
        description="LinkedIn company URLs (https://[www.]linkedin.com/company/<slug>[/]), resolved through the "
        "company profiles Dossier built from each company's site",
        examples=[["https://linkedin.com/company/google"]],
        # The form the server reads (it also takes other letter cases); anything else is the contract's 422.
        json_schema_extra={
            "items": {"type": "string", "pattern": r"^https://(www\.)?linkedin\.com/company/[A-Za-z0-9._~%-]+/?$"}
        },
    )
    firstName: str | None = Field(default=None, max_length=200, description="Case- and accent-insensitive")
    lastName: str | None = Field(default=None, max_length=200, description="Case- and accent-insensitive")
    jobTitles: list[str] | None = Field(
        default=None,
        max_length=50,
        description="Any of these titles (case-insensitive; abbreviations such as VP, CTO, SDR, CEO match their "
        "expansions both ways; a title matches the titles that contain its words in order)",
        examples=[["Engineering Manager", "VP Engineering"]],
    )
    keywords: str | None = Field(
        default=None,
        max_length=1000,
        description="Comma-separated phrases, any of which matches when all its words occur in the title, team or bio",
        examples=["Kubernetes, DevOps"],
    )
    countries: list[str] | None = Field(
        default=None,
        max_length=250,
        description="ISO 3166-1 alpha-2 codes",
        examples=[["US", "GB", "DE"]],
        json_schema_extra=_items_one_of(sorted(taxonomy.COUNTRY_CODES)),
    )
    departments: list[str] | None = Field(
        default=None,
        max_length=20,
        description="Any of: " + ", ".join(taxonomy.DEPARTMENTS),
        json_schema_extra=_items_one_of(taxonomy.DEPARTMENTS),
    )
    seniorityLevels: list[str] | None = Field(
        default=None,
        max_length=20,
        description="Any of: " + ", ".join(taxonomy.SENIORITY_LEVELS),
        json_schema_extra=_items_one_of(taxonomy.SENIORITY_LEVELS),
    )
    relations: list[str] | None = Field(
        default=None,
        max_length=10,
        description="Dossier extension. Any of: " + ", ".join(taxonomy.RELATIONS) + ". Default: everyone but "
        "investors and authors, who are related to a company without working for it",
        json_schema_extra=_items_one_of(taxonomy.RELATIONS),
    )
    limit: JSONInt = Field(default=25, ge=1, le=100)
    offset: JSONInt = Field(default=0, ge=0, le=MAX_JSON_OFFSET)


class ContactItem(BaseModel):
    firstName: str
    lastName: str
    fullName: str
    headline: str | None = None
    role: str | None = None
    companyName: str | None = None
    companyDomain: str | None = None
    location: str | None = None
    countryCode: str | None = None
    seniority: str | None = None
    department: str | None = None
    linkedInProfileUrl: str | None = None
    linkedInSalesNavigatorProfileUrl: str | None = None
    sources: list[Source] = Field(default_factory=list)
    relation: str | None = Field(default=None, description="Dossier extension: " + ", ".join(taxonomy.RELATIONS))


class ContactSearchResult(BaseModel):
    items: list[ContactItem]
    total: int
    limit: int
    offset: int
    hasMore: bool
    salesNavConnected: bool


# --- import (Dossier extension) ----------------------------------------------------------------------------------


class ImportRowError(BaseModel):
    line: int = Field(
        description="CSV: the file line the record starts on (the header is line 1); JSON: the row's position, from 1"
    )
    field: str | None = None
    message: str


class ImportResult(BaseModel):
    received: int
    imported: int
    created: int
    updated: int
    rejected: int
    errors: list[ImportRowError]
