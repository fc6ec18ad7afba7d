"""Request bodies are capped before they are read, and no body is read before the key is checked."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import orjson
import pytest

from dossier.app import create_app
from dossier.kit.bodylimit import too_large_message
from tests.conftest import Backend
from tests.factories import auth, new_org
from tests.support import serve_in_thread

LIMIT = 2000


@pytest.fixture(scope="module")
def small_limit_url(backend: Backend) -> Iterator[str]:
    settings = backend.settings.model_copy(update={"max_body_bytes": LIMIT})
    with serve_in_thread(create_app(settings, workers=False)) as url:
        yield url


def _exchange(url: str, head: str, body_parts: list[bytes] = (), timeout: float = 5.0) -> tuple[int, dict, dict]:
    """Send a raw request (headers, then body parts as given) and read one response: status, headers, JSON."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1"))
        for part in body_parts:
            sock.sendall(part)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed before a response: {data!r}"
            data += chunk
        header_block, _, rest = data.partition(b"\r\n\r\n")
        lines = header_block.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers["content-length"])
        while len(rest) < length:
            chunk = sock.recv(65536)
            assert chunk, "connection closed inside the response body"
            rest += chunk
    return status, headers, orjson.loads(rest[:length])


def _head(method: str, path: str, url: str, extra: dict[str, str]) -> str:
    host = url.removeprefix("http://")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_a_declared_300_mb_body_without_a_key_is_413_before_any_byte_is_sent(small_limit_url):
    # Only the headers go out: the answer must come without the server waiting for (or reading) the body.
    head = _head("POST", "/v1/companies/signals", small_limit_url, {"Content-Length": str(300 * 1024 * 1024)})
    status, headers, body = _exchange(small_limit_url, head)
    assert status == 413
    assert body["error"]["type"] == "PAYLOAD_TOO_LARGE" and body["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert body["error"]["message"] == too_large_message(LIMIT)
    assert body["error"]["requestId"] == headers["x-request-id"]
    assert headers["connection"] == "close"


async def test_a_declared_large_body_with_a_key_is_413_too(small_limit_url, db, backend):
    org = await new_org(db, backend.settings)
    head = _head("POST", "/v1/companies/signals", small_limit_url, {"Content-Length": str(LIMIT + 1), **auth(org.key)})
    status, _, body = _exchange(small_limit_url, head)
    assert status == 413 and body["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_the_key_is_checked_before_the_body_is_read(small_limit_url):
    # A body is announced but never sent: a server that read it first would wait here until the timeout.
    for path in ("/v1/companies/signals", "/v1/companies/signals/batch", "/v1/companies/signals/templates"):
        head = _head("POST", path, small_limit_url, {"Content-Length": "500"})
        status, _, body = _exchange(small_limit_url, head, timeout=5.0)
        assert status == 401 and body["error"]["code"] == "UNAUTHORIZED", path


async def test_a_chunked_body_is_counted_as_it_arrives(small_limit_url, db, backend):
    org = await new_org(db, backend.settings)
    head = _head("POST", "/v1/companies/signals", small_limit_url, {"Transfer-Encoding": "chunked", **auth(org.key)})
    chunk = b'{"domain": "acme.com", "question": "' + b"x" * 900
    parts = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 3  # 2,700+ bytes, no length announced
    status, headers, body = _exchange(small_limit_url, head, parts)
    assert status == 413 and body["error"]["message"] == too_large_message(LIMIT)
    assert body["error"]["requestId"] == headers["x-request-id"]


async def test_a_body_within_the_limit_is_served(small_limit_url, db, backend):
    org = await new_org(db, backend.settings)
    payload = orjson.dumps({"domain": "acme.com", "question": "Which CRM do they use?"})
    head = _head("POST", "/v1/companies/signals", small_limit_url, {"Content-Length": str(len(payload)), **auth(org.key)})
    status, _, body = _exchange(small_limit_url, head, [payload])
    assert status == 201 and body["domain"] == "acme.com"
