"""The job port: what the rest of Dossier needs from a queue, whichever backend runs it."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Connection


class PermanentFailure(Exception):
    """Raised by a handler when retrying cannot help; the job is buried at once."""


@dataclass
class TaskSpec:
    """How one kind of job runs: its handler, retries, and what happens when it finally gives up."""

    handler: Callable[[dict[str, Any]], Awaitable[None]]
    max_attempts: int = 5
    # Delay before attempt n+1 (n = attempts made so far); jitter is added by the backend.
    backoff: Callable[[int], float] = field(default=lambda n: min(600.0, 2.0 * 4**n))
    on_dead: Callable[[dict[str, Any], str], Awaitable[None]] | None = None


class JobBackend(Protocol):
    def register(self, kind: str, spec: TaskSpec) -> None: ...

    def enqueue_in(self, conn: Connection, kind: str, payload: dict[str, Any], *, delay: float = 0.0) -> str:
        """Queue a job inside the caller's transaction: it exists if and only if the caller commits."""
        ...

    def enqueue_many_in(
        self, conn: Connection, kind: str, payloads: list[dict[str, Any]], *, delay: float = 0.0
    ) -> list[str]: ...

    def notify(self) -> None:
        """Wake idle workers after the enqueuing transaction committed."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def jittered(seconds: float, spread: float = 0.2) -> timedelta:
    """Backoff with jitter, so retries of many jobs that failed together do not arrive together."""
    return timedelta(seconds=max(0.0, seconds * (1 + random.uniform(-spread, spread))))
