from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dossier.kit.db import Base, JSONType, VerbatimJSON


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


class CompanyContext(Base):
    """A company's context for contact research reports (description, industry, size, headquarters, dated news),
    as the Reader answered it over one crawl: asked once per crawl and company name, read by every later report
    on that crawl. From the crawl's public pages only, so it is shared by every organisation; a newer crawl of
    the company has no row yet, and its first report asks again."""

    __tablename__ = "company_contexts"

    crawl_id: Mapped[str] = mapped_column(ForeignKey("crawls.id", ondelete="CASCADE"), primary_key=True)
    company_key: Mapped[str] = mapped_column(String(300), primary_key=True)  # the company name as asked, folded
    # As written (kit.db.VerbatimJSON): a later report hands it out in the first one's key order.
    context: Mapped[dict[str, Any]] = mapped_column(VerbatimJSON)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(VerbatimJSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
