"""The `dossier` command as a user runs it: subprocesses on a fresh data directory."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support import free_port

KEY = re.compile(r"sk_live_[A-Za-z0-9_-]{43}")


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env.update(DOSSIER_DATA_DIR=str(data_dir), **extra)
    return env


def _dossier(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dossier.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_keys_create_list_revoke(tmp_path: Path):
    env = _env(tmp_path, COLUMNS="200")
    created = _dossier(env, "keys", "create", "--org", "acme", "--name", "ci")
    assert created.returncode == 0, created.stderr
    key = KEY.search(created.stdout).group(0)  # type: ignore[union-attr]
    assert "created organisation acme" in created.stdout
    assert (tmp_path / "secret.key").exists() and (tmp_path / "dossier.db").exists()
    # The key is stored only as an HMAC: its text appears nowhere in the database file.
    assert key.encode() not in (tmp_path / "dossier.db").read_bytes()

    listed = _dossier(env, "keys", "list")
    assert listed.returncode == 0
    assert key[:16] in listed.stdout and key[-4:] in listed.stdout and key not in listed.stdout

    too_short = _dossier(env, "keys", "revoke", "sk_live")
    assert too_short.returncode == 1
    revoked = _dossier(env, "keys", "revoke", key[:16])
    assert revoked.returncode == 0, revoked.stdout + revoked.stderr
    again = _dossier(env, "keys", "revoke", key[:16])
    assert again.returncode == 1 and "no active key" in again.stdout


def test_first_serve_prints_a_working_key_and_refuses_a_second_server(tmp_path: Path):
    port = free_port()
    env = _env(tmp_path, DOSSIER_PORT=str(port))
    proc = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = ""
        deadline = time.monotonic() + 60
        key = None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            output += line
            if key is None and (m := KEY.search(line)):
                key = m.group(0)
            if "Uvicorn running" in line or "Application startup complete" in line:
                break
        assert key, output
        resp = httpx.get(f"http://127.0.0.1:{port}/v1/credits", headers={"Authorization": f"Bearer {key}"})
        assert resp.status_code == 200 and resp.json()["remainingCredits"] > 0

        second = _dossier(_env(tmp_path, DOSSIER_PORT=str(free_port())), "serve")
        assert second.returncode == 1 and "already using" in second.stdout
    finally:
        proc.terminate()
        proc.wait(timeout=30)

    # A restart on the same database prints no new key.
    port2 = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "serve"], env=_env(tmp_path, DOSSIER_PORT=str(port2)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        output = ""
        while "Application startup complete" not in output and "Uvicorn running" not in output:
            line = proc.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            output += line
        assert KEY.search(output) is None, output
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_migrate_command_on_postgres():
    from tests.support import create_postgres_database

    url = create_postgres_database("dossier_cli_migrate")
    result = _dossier(_env(Path("/nonexistent-dossier-dir"), DOSSIER_DATABASE_URL=url), "migrate")
    assert result.returncode == 0, result.stdout + result.stderr
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as conn:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    from alembic.script import ScriptDirectory

    from dossier.kit.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert version is not None and version[0] == head


def test_serve_with_several_processes_keeps_the_envelope_for_unparseable_requests(tmp_path: Path):
    """`--processes N` hands uvicorn the app as an import string; each process must still speak through
    kit/httpserver's protocol, so a request h11 cannot parse gets the error envelope, not plain text."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "serve", "--processes", "2", "--no-workers"],
        env=_env(tmp_path, DOSSIER_PORT=str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.25)
        for _ in range(4):  # several connections, so more than one process is likely to answer
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad\x00Header: 1\r\n\r\n")
                answer = b""
                while chunk := sock.recv(4096):
                    answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 400 "), answer
            error = json.loads(body)["error"]
            assert error["code"] == "VALIDATION_ERROR" and error["message"].startswith("Invalid HTTP request")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
