from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dossier.kit.db import Base, JSONType


class SignalTemplate(Base):
    """One row per version; a PATCH adds a version with the same id, and the newest one is the template."""

    __tablename__ = "signal_templates"
    __table_args__ = (Index("ix_signal_templates_org", "organization_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    question: Mapped[str] = mapped_column(Text)
    answer_type: Mapped[str] = mapped_column(String(32))
    output_schema: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    weight: Mapped[str] = mapped_column(String(16))
    qualification_criteria: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    created_by_user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
