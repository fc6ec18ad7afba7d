from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from dossier.kit.db import Base, JSONType, VerbatimJSON
from dossier.signals.schemas import SignalStatus


class Signal(Base):
    """Company and contact signals share one table; `kind` tells them apart."""

    __tablename__ = "signals"
    __table_args__ = (
        # Every list query is organisation + kind, newest first, optionally narrowed by one of these.
        # `id` ends each index because lists order by (created_at, id): the index then serves the sort too.
        Index("ix_signals_org_created", "organization_id", "kind", "created_at", "id"),
        Index("ix_signals_org_domain", "organization_id", "kind", "domain", "created_at", "id"),
        # Completion windows, per status (a window without a status filter is read as one per status: see
        # repository._window_sql), with the sort keys, so neither the count nor the page looks up rows.
        # Status leads so that each status's window is one range in completion order; led by completed_at,
        # PostgreSQL 18 costs the status as a skip scan of every completion time and picks another index.
        Index("ix_signals_org_completed", "organization_id", "kind", "status", "completed_at", "created_at", "id"),
        Index("ix_signals_org_status", "organization_id", "kind", "status", "created_at", "id"),
        # Partial: company signals have no profile key and most signals no subscription; entries for them were
        # writes and space that no filter can use (profile_key = ? and subscription_id = ? imply NOT NULL).
        Index(
            "ix_signals_org_profile",
            "organization_id",
            "kind",
            "profile_key",
            "created_at",
            "id",
            postgresql_where=text("profile_key IS NOT NULL"),
            sqlite_where=text("profile_key IS NOT NULL"),
        ),
        Index(
            "ix_signals_org_subscription",
            "organization_id",
            "subscription_id",
            "created_at",
            postgresql_where=text("subscription_id IS NOT NULL"),
            sqlite_where=text("subscription_id IS NOT NULL"),
        ),
        Index("ix_signals_cache", "organization_id", "cache_key", "completed_at"),
        # Completion-window list pages walk the window from its end and stop early on the strength of this
        # (see repository._window_sql).
        CheckConstraint("completed_at >= created_at", name="completed_after_created"),
        CheckConstraint(f"status IN ({', '.join(repr(s.value) for s in SignalStatus)})", name="status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # company | contact
    status: Mapped[str] = mapped_column(String(12))  # processing | completed | failed
    domain: Mapped[str | None] = mapped_column(String(253), nullable=True)
    contact_profile_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    # kit.validation.profile_key(contact_profile_url): what filters and the cache compare.
    profile_key: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    question: Mapped[str] = mapped_column(Text)
    answer_type: Mapped[str] = mapped_column(String(32))
    output_schema: Mapped[dict[str, Any] | None] = mapped_column(VerbatimJSON, nullable=True)
    weight: Mapped[str] = mapped_column(String(16))
    verification_mode: Mapped[str] = mapped_column(String(8))
    qualification_criteria: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    signal_template_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    subscription_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    company_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    webhook_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    connectors: Mapped[dict[str, Any] | None] = mapped_column(JSONType, nullable=True)
    batch_id: Mapped[str | None] = mapped_column(String(36), nullable=True)

    answer: Mapped[dict[str, Any] | None] = mapped_column(VerbatimJSON, nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    reasoning: Mapped[str | None] = mapped_column(Text, nullable=True)
    sources: Mapped[list[dict[str, Any]] | None] = mapped_column(VerbatimJSON, nullable=True)
    evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(VerbatimJSON, nullable=True)
    qualification: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    as_of: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    # Lifecycle bookkeeping (not on the wire).
    cache_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    force_refresh: Mapped[bool] = mapped_column(Boolean, default=False)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    worker: Mapped[str | None] = mapped_column(String(200), nullable=True)

    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class SignalCounter(Base):
    """Signals per organisation, kind and status, kept in step by every write in the repository.

    Unfiltered and status-filtered lists read their `total` here instead of counting index entries:
    counting was most of a list request at a million rows.
    """

    __tablename__ = "signal_counters"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SignalDayCounter(Base):
    """Finished signals per organisation, kind, status and UTC day of completion, kept in step by every write
    in the repository.

    A completion-window list (fromDate/toDate) sums the whole days inside its window here and counts only
    its two partial days in the index: counting every match was most of such a request at a million rows.
    """

    __tablename__ = "signal_day_counters"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class SignalSubjectCounter(Base):
    """Signals per organisation, kind, subject and status, kept in step by every write in the repository. The
    subject is what a list filters a kind by: a company signal's domain, a contact signal's profile key.

    Domain and profile lists (optionally by status) read their `total` here: counting the subject's index
    range costs a row visit per signal, and a domain tracked for a year has thousands.
    """

    __tablename__ = "signal_subject_counters"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    # A domain (253 at most) or a profile key (1,024 bytes at most: kit.validation.MAX_PROFILE_KEY_BYTES).
    subject: Mapped[str] = mapped_column(String(1024), primary_key=True)
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ModelSpendDay(Base):
    """An organisation's language-model spend per UTC day, in billionths of a dollar (whole numbers: holds and
    costs add up exactly). What calls in flight may still cost is not kept here but in `model_spend_holds`, one
    row per call with an expiry, so the hold of a worker that died between hold and settle stops counting once
    it expires instead of staying until the day is over. This row is the lock every hold of the day takes."""

    __tablename__ = "model_spend_days"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    spent_nano: Mapped[int] = mapped_column(BigInteger, default=0)
    tokens: Mapped[int] = mapped_column(BigInteger, default=0)
    calls: Mapped[int] = mapped_column(Integer, default=0)


class ModelSpendHold(Base):
    """One model call in flight, held at its worst case on its organisation's day until it settles (the row is
    deleted and its cost added to the day) or expires (`expires_at`: past the longest the call can take, with its
    client's retries; an expired hold no longer counts against the cap, and the next hold of any organisation
    sweeps it: signals/repository.reserve_model_spend)."""

    __tablename__ = "model_spend_holds"
    __table_args__ = (Index("ix_model_spend_holds_org_day", "organization_id", "day", "expires_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    nano: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
