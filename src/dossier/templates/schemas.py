from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from dossier.kit.openapi import documented, output_schema_rule
from dossier.kit.validation import NOT_BLANK_PATTERN
from dossier.signals.schemas import QUESTION_RULES, AnswerType, Weight

NAME_RULES: dict[str, Any] = {"minLength": 1, "maxLength": 200, "pattern": NOT_BLANK_PATTERN}


class CreateTemplate(BaseModel):
    model_config = ConfigDict(json_schema_extra=output_schema_rule)

    name: str = Field(json_schema_extra=NAME_RULES)
    description: str | None = Field(default=None, json_schema_extra=documented(maxLength=1000))
    question: str = Field(json_schema_extra=QUESTION_RULES)
    answerType: AnswerType | None = None
    outputSchema: dict[str, Any] | None = None
    weight: Weight | None = None
    qualificationCriteria: dict[str, Any] | None = None


class UpdateTemplate(BaseModel):
    name: str | None = Field(default=None, json_schema_extra=documented(**NAME_RULES))
    description: str | None = Field(default=None, json_schema_extra=documented(maxLength=1000))
    question: str | None = Field(default=None, json_schema_extra=documented(**QUESTION_RULES))
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
