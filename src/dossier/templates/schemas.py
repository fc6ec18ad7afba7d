from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dossier.signals.schemas import AnswerType, Weight


class CreateTemplate(BaseModel):
    name: str
    description: str | None = None
    question: str
    answerType: AnswerType | None = None
    outputSchema: dict[str, Any] | None = None
    weight: Weight | None = None
    qualificationCriteria: dict[str, Any] | None = None


class UpdateTemplate(BaseModel):
    name: str | None = None
    description: str | None = None
    question: str | None = None
    answerType: AnswerType | None = None
    outputSchema: dict[str, Any] | None = None
    weight: Weight | None = None
    qualificationCriteria: dict[str, Any] | None = None


class TemplateOut(BaseModel):
    id: str
    templateId: str
    version: int
    organizationId: str
    name: str
    description: str | None
    question: str
    answerType: AnswerType
    outputSchema: dict[str, Any] = Field(default_factory=dict)
    weight: Weight
    qualificationCriteria: dict[str, Any] = Field(default_factory=dict)
    createdByUserId: str | None
    createdAt: str
    deletedAt: str | None
    source: Literal["api"] = "api"


class TemplateList(BaseModel):
    items: list[TemplateOut]
    total: int
    limit: int
    offset: int
    hasMore: bool
