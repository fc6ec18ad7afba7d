"""In-process wake-ups for requests waiting on a signal (the sync endpoints)."""

from __future__ import annotations

import asyncio
from collections import defaultdict


class Waiters:
    def __init__(self) -> None:
        self._events: dict[str, list[asyncio.Event]] = defaultdict(list)

    async def wait(self, signal_id: str, seconds: float) -> bool:
        """True if woken by a completion within `seconds`."""
        event = asyncio.Event()
        self._events[signal_id].append(event)
        try:
            await asyncio.wait_for(event.wait(), timeout=seconds)
            return True
        except TimeoutError:
            return False
        finally:
            waiting = self._events.get(signal_id)
            if waiting is not None:
                if event in waiting:
                    waiting.remove(event)
                if not waiting:
                    self._events.pop(signal_id, None)

    def wake(self, signal_id: str) -> None:
        for event in self._events.get(signal_id, []):
            event.set()


async def listen_for_completions(url: str, waiters: Waiters, channel: str) -> None:
    """PostgreSQL: wake local waiters when any process (a `dossier worker`) finishes a signal."""
    import logging

    import psycopg

    log = logging.getLogger("dossier.signals")
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
            log.warning("listening for signal completions failed; retrying in %.0f s", delay, exc_info=True)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
