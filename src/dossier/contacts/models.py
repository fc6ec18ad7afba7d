from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
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
