"""In-process wake-ups for requests waiting on something by id (a signal, for the sync endpoints)."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict

import psycopg

log = logging.getLogger("dossier.waiters")


class Waiters:
    def __init__(self) -> None:
        self._events: dict[str, list[asyncio.Event]] = defaultdict(list)

    async def wait(self, key: str, seconds: float) -> bool:
        """True if woken by a completion within `seconds`."""
        event = asyncio.Event()
        self._events[key].append(event)
        try:
            await asyncio.wait_for(event.wait(), timeout=seconds)
            return True
        except TimeoutError:
            return False
        finally:
            waiting = self._events.get(key)
            if waiting is not None:
                if event in waiting:
                    waiting.remove(event)
                if not waiting:
                    self._events.pop(key, None)

    def wake(self, key: str) -> None:
        for event in self._events.get(key, []):
            event.set()


async def listen_for_completions(url: str, waiters: Waiters, channel: str) -> None:
    """PostgreSQL: wake local waiters for each id NOTIFYed on `channel` (by any process: a `dossier worker`)."""
    delay = 1.0
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                await conn.execute(f"LISTEN {channel}")
                delay = 1.0
                async for note in conn.notifies():
                    waiters.wake(note.payload)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("listening on %s failed; retrying in %.0f s", channel, delay, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
