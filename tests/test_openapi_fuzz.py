"""Schemathesis over the served OpenAPI document, through real HTTP on 127.0.0.1, on SQLite and PostgreSQL.

Every operation is driven with schema-valid and schema-invalid requests; the server must answer none with
a 5xx, every answer must be a documented status with a documented content type and a body valid against the
documented schema, and every schema-valid request must be accepted. A failure here means the document and
the server disagree: fix whichever of the two is wrong against the wire contract (tests/contract/API.md).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from dossier.app import create_app
from dossier.config import Settings
from dossier.kit.db import Database
from dossier.kit.migrate import upgrade
from tests.factories import new_org
from tests.fixtures.servers import FixtureDNS
from tests.support import create_postgres_database, free_port, serve_in_thread

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,
]
EXAMPLES = 25


class Target:
    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.key = key


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    """A server of its own (fresh database, embedded workers) whose every outbound request stays on 127.0.0.1."""
    data_dir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'dossier.db'}"
    else:
        url = create_postgres_database(f"dossier_fuzz_{uuid.uuid4().hex[:8]}")
    upgrade(url)
    with FixtureDNS() as dns:
        settings = Settings(
            data_dir=Path(data_dir),
            database_url=url,
            secret_key="fuzz-secret",
            auth_cache_seconds=0,
            # Names resolve only to the fixture sites (127.0.0.2) or not at all.
            dns_nameservers=dns.nameserver,
            fetch_timeout_seconds=2.0,
            signal_deadline_seconds=20.0,
            # Generated writes come faster than a client's: the limit is not what is under test here.
            rate_limit_write_per_minute=1_000_000,
            rate_limit_write_burst=100_000,
        )
        # Every fetch and webhook goes to a proxy port on 127.0.0.1 nobody listens on: nothing leaves the host.
        closed = f"http://127.0.0.1:{free_port()}"
        outbound = {"HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed}
        app = create_app(settings, workers=True, outbound_env=outbound)
        with serve_in_thread(app) as base:

            async def org() -> str:
                db = Database(url)
                try:
                    return (await new_org(db, settings)).key
                finally:
                    await db.aclose()
                    db.dispose()

            yield Target(base, asyncio.run(org()))


# The document the server serves at /v1/openapi.json (test_the_fuzzed_document_is_the_served_one checks
# it is byte for byte the same as the running servers'). schemathesis.pytest.from_fixture cannot be used: it
# sets `Function._nodeid`, which pytest 9.2 no longer has.
schema = schemathesis.openapi.from_dict(create_app(Settings(data_dir=Path("/nonexistent"), secret_key="x")).openapi())
schema.config.generation.update(
    max_examples=EXAMPLES, deterministic=True, database="none", codec="utf-8", allow_x00=False
)


def test_the_fuzzed_document_is_the_served_one(target: Target) -> None:
    served = httpx.get(f"{target.url}/v1/openapi.json")
    assert served.status_code == 200
    assert served.json() == schema.raw_schema


def _contract_refuses(case: Any) -> bool:
    """A request the schema admits but the contract answers with a documented non-acceptance, for a rule
    OpenAPI cannot state. The request is still sent and every other check still applies; only
    "schema-valid request rejected" is not asked of it:
    - listSignals with `fromDate` after `toDate`: 400 "'fromDate' must not be after 'toDate'" (a rule across
      two parameters, written in their descriptions);
    - the sync creates with `X-Sbr-Timeout-Error: true`: a signal still processing when the wait runs out is
      answered 408 by contract (section 4), whatever the body; schemathesis counts any 408 as a refusal;
    - a CSV contact import without a name column (a rule on the file's header row).
    """
    if case.operation.label in ("POST /v1/companies/signals/sync", "POST /v1/contacts/signals/sync"):
        return str((case.headers or {}).get("X-Sbr-Timeout-Error", "")).strip().lower() == "true"
    if case.operation.label == "POST /v1/contacts/import":
        # A CSV body is a string to OpenAPI; a file without a name column (First/Last Name or Full Name) is
        # refused as a whole with 400, as the operation's description says.
        return str(case.media_type or "").startswith("text/csv")
    if case.operation.label != "GET /v1/companies/signals":
        return False
    query = case.query or {}
    try:
        start = datetime.fromisoformat(str(query["fromDate"]))
        end = datetime.fromisoformat(str(query["toDate"]))
    except (KeyError, ValueError):
        return False
    return start > end


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_served_document_matches_the_server(case: Any, target: Target) -> None:
    checks = [c for c in CHECKS if c is not positive_data_acceptance] if _contract_refuses(case) else CHECKS
    case.call_and_validate(
        base_url=target.url, headers={"Authorization": f"Bearer {target.key}"}, checks=checks, timeout=30
    )
