"""Puts a runtime together with the domains that use it: their background tasks and what they ask of each
other (a signal created from a template). The one module that knows them all, so that they need not know
each other."""

from __future__ import annotations

from collections.abc import Mapping

from dossier.config import Settings
from dossier.contacts import resolve
from dossier.contacts import tasks as contact_tasks
from dossier.kit.db import Database
from dossier.runtime import KnownPerson, Runtime
from dossier.signals import tasks as signal_tasks
from dossier.signals.repository import DONE_CHANNEL
from dossier.templates.service import get_active
from dossier.webhooks import service as webhooks


def build_runtime(settings: Settings, db: Database, *, outbound_env: Mapping[str, str] | None = None) -> Runtime:
    runtime = Runtime.build(settings, db, outbound_env=outbound_env)
    runtime.find_template = get_active
    runtime.wake_channel = DONE_CHANNEL
    signal_tasks.register(runtime)
    contact_tasks.register(runtime)

    async def resolve_person(
        organization_id: str, url: str, full_name: str | None, domain: str | None
    ) -> KnownPerson | None:
        return await resolve.resolve(db, organization_id, url, full_name, domain)

    runtime.resolve_person = resolve_person
    runtime.jobs.register(webhooks.KIND, webhooks.delivery_spec(db, runtime.client, settings.webhook_retry_scale))
    return runtime
