"""Wire shapes of signals (camelCase, as Saber's API names them)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dossier.kit.openapi import documented, output_schema_rule
from dossier.kit.strict import JSONBool
from dossier.kit.validation import (
    DOMAIN_PATTERN,
    NOT_BLANK_PATTERN,
    PROFILE_URL_PATTERN,
    WEBHOOK_URL_PATTERN,
)


class SignalStatus(StrEnum):
    processing = "processing"
    completed = "completed"
    failed = "failed"


class AnswerType(StrEnum):
    open_text = "open_text"
    number = "number"
    boolean = "boolean"
    list = "list"
    percentage = "percentage"
    currency = "currency"
    url = "url"
    json_schema = "json_schema"
    contacts = "contacts"
    contacts_generation = "contacts_generation"
    contact_engagements = "contact_engagements"
    contact_posts = "contact_posts"


# Answer types only a contact signal can have (a company signal or batch row with one is refused).
CONTACT_ONLY_ANSWER_TYPES = ("contacts", "contacts_generation", "contact_engagements", "contact_posts")
COMPANY_ANSWER_TYPES = [t.value for t in AnswerType if t.value not in CONTACT_ONLY_ANSWER_TYPES]
QUESTION_RULES: dict[str, Any] = {"minLength": 1, "maxLength": 2000, "pattern": NOT_BLANK_PATTERN}
WEBHOOK_URL_DOC = (
    "http(s) URL that receives the finished object. A destination the server's outbound policy refuses "
    "(a private or reserved address, a port outside the allowed outbound ports, credentials) is a 400."
)


class Weight(StrEnum):
    important = "important"
    nice_to_have = "nice_to_have"
    not_important = "not_important"


class VerificationMode(StrEnum):
    strict = "strict"
    lenient = "lenient"


class Source(BaseModel):
    url: str
    title: str | None = None
    snippet: str | None = None


class Evidence(BaseModel):
    url: str
    quote: str
    fetchedAt: str | None = None
    snapshotId: str | None = None


class SignalOut(BaseModel):
    """The Signal object. `answer` is the envelope `{"type": T, <camelCaseKey>: {"value": V}}`."""

    id: str = Field(examples=["e45c1dc4-d422-4b51-956b-cb6d3ddaf250"])
    signalType: Literal["company", "contact"]
    status: SignalStatus
    domain: str | None = Field(default=None, description="Company signals")
    contactProfileUrl: str | None = Field(default=None, description="Contact signals")
    question: str
    answerType: AnswerType
    outputSchema: dict[str, Any] | None = None
    weight: Weight
    verificationMode: VerificationMode
    signalTemplateId: str | None = None
    subscriptionId: str | None = None
    companyId: str | None = None
    answer: dict[str, Any] | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    reasoning: str | None = None
    sources: list[Source] = Field(default_factory=list)
    qualification: str | None = None
    createdAt: str
    completedAt: str | None = None
    error: str | None = None
    evidence: list[Evidence] = Field(default_factory=list, description="Dossier extension")
    cached: bool = Field(default=False, description="Dossier extension")
    asOf: str | None = Field(default=None, description="Dossier extension")
    costUsd: float = Field(default=0.0, description="Dossier extension")


class SignalList(BaseModel):
    results: list[SignalOut]
    total: int
    limit: int
    offset: int
    count: int


class _SignalFields(BaseModel):
    """Fields shared by every way of creating a signal. Unknown fields are ignored (newer clients)."""

    model_config = ConfigDict(json_schema_extra=output_schema_rule)

    question: str | None = Field(
        default=None,
        description="1..2000 characters; required unless signalTemplateId",
        json_schema_extra=documented(nullable=False, **QUESTION_RULES),
    )
    answerType: AnswerType | None = None
    outputSchema: dict[str, Any] | None = Field(
        default=None, description="A valid JSON Schema; required for and only for answerType json_schema"
    )
    webhookUrl: str | None = Field(
        default=None,
        max_length=2048,
        description=WEBHOOK_URL_DOC,
        json_schema_extra=documented(format="uri", pattern=WEBHOOK_URL_PATTERN),
    )
    weight: Weight | None = None
    qualificationCriteria: dict[str, Any] | None = None
    signalTemplateId: str | None = None
    forceRefresh: JSONBool = False
    connectors: dict[str, Any] | None = None
    verificationMode: VerificationMode | None = None


class CreateCompanySignal(_SignalFields):
    answerType: AnswerType | None = Field(
        default=None,
        description="Not one of the contact answer types",
        json_schema_extra=documented(enum=COMPANY_ANSWER_TYPES, type="string"),
    )
    domain: str = Field(
        max_length=253,
        examples=["acme.com"],
        description="A bare host name: no scheme, no path",
        json_schema_extra={"pattern": DOMAIN_PATTERN},
    )


class CreateContactSignal(_SignalFields):
    contactProfileUrl: str = Field(
        max_length=2048,
        examples=["https://linkedin.com/in/johndoe"],
        description="An http(s) profile URL (LinkedIn or any other professional profile)",
        json_schema_extra={"pattern": PROFILE_URL_PATTERN},
    )
    fullName: str | None = Field(
        default=None,
        max_length=200,
        description="Dossier extension: the person's name, when Dossier does not already know the profile URL "
        "(it never reads LinkedIn). With companyDomain, the company whose pages are read about them",
        json_schema_extra=documented(minLength=1, pattern=NOT_BLANK_PATTERN),
    )
    companyDomain: str | None = Field(
        default=None,
        max_length=253,
        description="Dossier extension: the domain of the person's company (a bare host name), with fullName",
        json_schema_extra=documented(pattern=DOMAIN_PATTERN),
    )


class BatchSignalSpec(BaseModel):
    model_config = ConfigDict(json_schema_extra=output_schema_rule)

    question: str = Field(json_schema_extra=QUESTION_RULES)
    answerType: AnswerType | None = Field(
        default=None,
        description="Not one of the contact answer types",
        json_schema_extra=documented(enum=COMPANY_ANSWER_TYPES, type="string"),
    )
    weight: Weight | None = None
    webhookUrl: str | None = Field(
        default=None,
        max_length=2048,
        description=WEBHOOK_URL_DOC,
        json_schema_extra=documented(format="uri", pattern=WEBHOOK_URL_PATTERN),
    )
    forceRefresh: JSONBool = False
    outputSchema: dict[str, Any] | None = None
    verificationMode: VerificationMode | None = None


class CreateBatch(BaseModel):
    signals: list[BatchSignalSpec] = Field(min_length=1)
    domains: list[str] = Field(min_length=1)
    generateSummaryOnComplete: JSONBool = False
    async_: JSONBool = Field(default=False, alias="async")


class BatchRow(BaseModel):
    id: str | None
    status: str
    domain: str
    question: str
    error: str | None
    createdAt: str | None


class BatchSyncResult(BaseModel):
    submittedAt: str
    totalSignals: int
    accepted: int
    rejected: int
    results: list[BatchRow]


class BatchAsyncResult(BaseModel):
    batchId: str
    status: str
    async_: bool = Field(alias="async")
    submittedAt: str
    totalSignals: int
    accepted: int
    rejected: int
