"""How the HTTP server itself answers requests that never reach the application.

uvicorn (with h11) refuses a request it cannot parse — a NUL or other illegal byte in a header, a request
head longer than h11's `max_incomplete_event_size` — before any ASGI app runs, with a plain-text
`400 Invalid HTTP request received.`, and closes the socket at once; with the rest of a long request still
arriving, the close becomes a TCP reset that can destroy the answer before the client reads it.

`EnvelopeH11Protocol` is uvicorn's own h11 protocol (selected with uvicorn's `http=` setting) with that one
answer replaced: the error envelope with a request id, 414 when the request line alone passed the limit,
431 when the headers did, 400 otherwise; then a lingering close — the answer is sent and the write side
shut, what the client still sends is read and dropped (never buffered) for at most LINGER_SECONDS, and
only then is the socket closed (at once if the client closes first), so the client sees the answer
rather than a reset.
"""

from __future__ import annotations

import sys
import uuid

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from dossier.kit.errors import ApiError, render_error

LINGER_SECONDS = 2.0
# Room for the request's headers on top of its URL in h11's buffer (uvicorn's h11_max_incomplete_event_size).
HEADER_ALLOWANCE = 32 * 1024


def head_limit(max_url_bytes: int) -> int:
    """The largest request head (request line and headers) the server buffers before refusing it."""
    return max_url_bytes + HEADER_ALLOWANCE


_REASONS = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


def refusal(exc: BaseException | None, head: bytes) -> ApiError:
    """The envelope error for an unparseable request (`head`: what h11 holds of it)."""
    if isinstance(exc, h11.RemoteProtocolError) and exc.error_status_hint == 431:
        if b"\r\n" not in head and b"\n" not in head:
            return ApiError(414, "The request URL is longer than the server accepts")
        return ApiError(431, "The request headers are larger than the server accepts")
    what = str(exc).split(":", 1)[0] if exc is not None else "unparseable"
    return ApiError(400, f"Invalid HTTP request ({what})")


class EnvelopeH11Protocol(H11Protocol):
    _lingering = False

    def send_400_response(self, msg: str) -> None:
        # uvicorn calls this from inside its `except h11.RemoteProtocolError` block, so the exception h11
        # raised (with its status hint) is the one being handled.
        err = refusal(sys.exc_info()[1], self.conn.trailing_data[0])
        rid = str(uuid.uuid4())
        rendered = render_error(rid, err)
        headers = [*rendered.raw_headers, (b"connection", b"close")]
        self.logger.warning("refused an unparseable request with %s (request %s): %s", err.status, rid, err.message)
        for event in (
            h11.Response(status_code=err.status, headers=headers, reason=_REASONS.get(err.status, b"")),
            h11.Data(data=bytes(rendered.body)),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the rest of a refused request: dropped, never parsed or kept
        super().data_received(data)
