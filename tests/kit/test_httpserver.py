"""Requests the HTTP server cannot take (long URLs, oversized heads, NUL in a header) are answered in the
error envelope with the right status, and the client reads the answer instead of a connection reset."""

from __future__ import annotations

import socket
import threading
import time

import orjson

from dossier.kit.httpserver import refusal


def _exchange(url: str, pieces: list[bytes], pause: float = 0.0) -> tuple[int, dict[str, str], dict]:
    """Send the pieces (pausing between them, so the server sees the head arrive in parts) from a thread,
    read the whole answer until the server closes, and parse it."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        def send() -> None:
            try:
                for piece in pieces:
                    sock.sendall(piece)
                    if pause:
                        time.sleep(pause)
            except OSError:
                pass  # the server may stop listening once it has answered; the answer is what matters

        sender = threading.Thread(target=send)
        sender.start()
        data = b""
        while True:
            chunk = sock.recv(65536)  # a reset would raise ConnectionResetError here
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                head, _, rest = data.partition(b"\r\n\r\n")
                length = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
                if length and len(rest) >= length[0]:
                    break
        sender.join()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split(" ")[1]), headers, orjson.loads(body)


def _envelope(status: int, headers: dict[str, str], body: dict, want: int, code: str) -> dict:
    assert status == want, body
    assert headers["content-type"] == "application/json"
    err = body["error"]
    assert err["code"] == code and err["requestId"] == headers["x-request-id"] and err["message"]
    return err


def test_a_url_far_over_the_limit_streamed_in_parts_is_414(api_url):
    line = b"GET /v1/companies/signals?domain=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    pieces = [line[i : i + 8192] for i in range(0, len(line), 8192)]
    status, headers, body = _exchange(api_url, pieces, pause=0.0005)
    _envelope(status, headers, body, 414, "URI_TOO_LONG")
    assert headers["connection"] == "close"


def test_a_url_over_the_limit_arriving_whole_is_414(api_url):
    # Over DOSSIER_MAX_URL_BYTES (32 KiB) but within what the server buffers for a head (64 KiB).
    request = b"GET /v1/companies/signals?domain=" + b"a" * 40_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    status, headers, body = _exchange(api_url, [request])
    err = _envelope(status, headers, body, 414, "URI_TOO_LONG")
    assert "32768" in err["message"]


def test_oversized_headers_are_431(api_url):
    head = b"GET /v1/credits HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-Pad-%d: %s\r\n" % (i, b"p" * 900) for i in range(100))
    pieces = [head[i : i + 1024] for i in range(0, len(head), 1024)] + [b"\r\n"]
    status, headers, body = _exchange(api_url, pieces, pause=0.002)
    _envelope(status, headers, body, 431, "HEADERS_TOO_LARGE")


def test_a_nul_in_a_header_gets_the_envelope(api_url):
    for header in (b"X-Bad: a\x00b", b"Authorization: Bearer \x00"):
        status, headers, body = _exchange(api_url, [b"GET /v1/credits HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n"])
        err = _envelope(status, headers, body, 400, "VALIDATION_ERROR")
        assert err["message"] == "Invalid HTTP request (illegal header line)"


def test_refusal_tells_the_request_line_from_the_headers():
    import h11

    too_long = h11.RemoteProtocolError("Receive buffer too long", error_status_hint=431)
    assert refusal(too_long, b"GET /aaaa").status == 414
    assert refusal(too_long, b"GET / HTTP/1.1\r\nX-A: b").status == 431
    assert refusal(h11.RemoteProtocolError("illegal request line"), b"").status == 400
