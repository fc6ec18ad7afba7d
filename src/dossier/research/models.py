from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dossier.kit.db import Base, JSONType


class Crawl(Base):
    """One gathering pass over a domain; its snapshots are shared by every question about the domain."""

    __tablename__ = "crawls"
    __table_args__ = (Index("ix_crawls_domain_finished", "domain", "finished_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    domain: Mapped[str] = mapped_column(String(253))
    # "site": a gathering pass over the domain, reused by later questions while fresh. "pages": pages fetched
    # one by one for one question (a profile, a search result), stored and citable but never taken for the
    # domain's crawl: a one-page fetch of a news site is not that site's crawl.
    kind: Mapped[str] = mapped_column(String(8), default="site", server_default="site")
    status: Mapped[str] = mapped_column(String(12))  # running | completed | failed
    base_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    pages_fetched: Mapped[int] = mapped_column(Integer, default=0)
    bytes_fetched: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[list[str] | None] = mapped_column(JSONType, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Snapshot(Base):
    """A fetched document exactly as stored: the only thing an answer may cite."""

    __tablename__ = "snapshots"
    __table_args__ = (
        Index("ix_snapshots_crawl", "crawl_id"),
        Index("ix_snapshots_url_hash", "url", "content_hash"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    crawl_id: Mapped[str] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"))
    url: Mapped[str] = mapped_column(String(2048))
    final_url: Mapped[str] = mapped_column(String(2048))
    kind: Mapped[str] = mapped_column(String(16))  # page | robots | sitemap | jobboard | dns
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(200))
    headers: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    body: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime)
