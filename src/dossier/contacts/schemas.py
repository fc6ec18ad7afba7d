"""Wire shapes of contact research."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dossier.signals.schemas import Source


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
