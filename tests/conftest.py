from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from dossier.config import Settings
from dossier.kit.db import Database
from dossier.kit.migrate import upgrade
from tests.support import create_postgres_database, serve_in_thread

BACKENDS = ["sqlite", "postgres"]


@dataclass
class Backend:
    name: str
    url: str
    settings: Settings


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    """A migrated database on each backend: a SQLite file, and a real PostgreSQL server."""
    data_dir = tmp_path_factory.mktemp(f"data-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{data_dir / 'dossier.db'}"
    else:
        url = create_postgres_database(f"dossier_{uuid.uuid4().hex[:8]}")
    # The shared test server re-checks keys on every request; the key cache has its own test. No search warm-up
    # beside the tests (tests/contacts/test_warmup.py turns it on for its own servers).
    settings = Settings(
        data_dir=Path(data_dir), database_url=url, secret_key="test-secret-" + request.param, auth_cache_seconds=0,
        contact_search_warmup_share=0,
    )  # fmt: skip
    upgrade(url)
    return Backend(request.param, url, settings)


@pytest.fixture(scope="session")
def api_url(backend: Backend) -> Iterator[str]:
    """The real API server for this backend, over HTTP on 127.0.0.1."""
    from dossier.app import create_app

    # Read-only tests: no job workers (the lifecycle tests run their own server with workers).
    with serve_in_thread(create_app(backend.settings, workers=False)) as url:
        yield url


@pytest.fixture(scope="session")
async def db(backend: Backend) -> AsyncIterator[Database]:
    """The test's own connection to the same database the server uses (for seeding and checks)."""
    database = Database(backend.url)
    yield database
    await database.aclose()
    database.dispose()


@pytest.fixture
async def client(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as c:
        yield c
