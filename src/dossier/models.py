"""Every table, imported in one place so Alembic and `create_all` see the whole schema."""

from dossier.accounts.models import ApiKey, Organization
from dossier.contacts.models import (
    CompanyProfile,
    ContactResearch,
    Person,
    PersonRole,
    PersonRoleCounter,
    PersonSource,
    PersonTerm,
)
from dossier.jobs.models import Job
from dossier.kit.db import Base
from dossier.research.models import CompanyContext, Crawl, Snapshot
from dossier.signals.models import (
    ModelSpendDay,
    ModelSpendHold,
    Signal,
    SignalCounter,
    SignalDayCounter,
    SignalSubjectCounter,
)
from dossier.templates.models import SignalTemplate
from dossier.webhooks.models import WebhookAttempt

__all__ = [
    "ApiKey",
    "Base",
    "CompanyContext",
    "CompanyProfile",
    "ContactResearch",
    "Crawl",
    "Job",
    "ModelSpendDay",
    "ModelSpendHold",
    "Organization",
    "Person",
    "PersonRole",
    "PersonRoleCounter",
    "PersonSource",
    "PersonTerm",
    "Signal",
    "SignalCounter",
    "SignalDayCounter",
    "SignalSubjectCounter",
    "SignalTemplate",
    "Snapshot",
    "WebhookAttempt",
]
