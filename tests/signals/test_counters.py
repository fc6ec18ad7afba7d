"""List totals come from per-status counters; they must always equal the signals actually stored."""

from __future__ import annotations

from dossier.signals import repository
from tests.factories import auth, new_org, seed_signals, signal_row


async def test_counters_match_stored_signals_and_list_totals(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    await seed_signals(db, [signal_row(o, status=s) for s in ["completed"] * 4 + ["failed"] * 2 + ["processing"] * 3])
    await seed_signals(db, [signal_row(o, kind="contact", status="completed") for _ in range(2)])
    for kind in ("company", "contact"):
        stored = await db.read(lambda c, k=kind: repository.count_signals(c, o, k))
        counted = await db.read(lambda c, k=kind: repository.counters(c, o, k))
        assert stored == counted
        by_day = await db.read(lambda c, k=kind: repository.count_signals_by_day(c, o, k))
        assert by_day == await db.read(lambda c, k=kind: repository.day_counters(c, o, k)) and by_day
    h = auth(org.key)
    assert (await client.get("/v1/companies/signals", headers=h)).json()["total"] == 9
    assert (await client.get("/v1/companies/signals?status=failed&status=processing", headers=h)).json()["total"] == 5
    assert (await client.get("/v1/contacts/signals", headers=h)).json()["total"] == 2


async def test_migration_backfills_counters_from_existing_rows(backend):
    from sqlalchemy import create_engine

    from dossier.kit.db import sync_url

    engine = create_engine(sync_url(backend.url))
    try:
        with engine.connect() as conn:
            mismatched = conn.exec_driver_sql(
                "SELECT count(*) FROM (SELECT organization_id, kind, status, count(*) AS n FROM signals "
                "GROUP BY organization_id, kind, status) s LEFT JOIN signal_counters c ON "
                "c.organization_id = s.organization_id AND c.kind = s.kind AND c.status = s.status "
                "WHERE c.count IS NULL OR c.count <> s.n"
            ).scalar()
    finally:
        engine.dispose()
    assert mismatched == 0


async def test_a_worker_clock_behind_the_api_finishes_at_the_creation_time(client, db, backend):
    """The worker stamps completion with its own clock; one running behind the API server's must not record a
    completion before the creation (the constraint would refuse it, and window lists rely on the order)."""
    from datetime import timedelta

    org = await new_org(db, backend.settings)
    [row] = await seed_signals(db, [signal_row(org.organization_id, status="processing", completed_at=None)])
    behind = row["created_at"] - timedelta(seconds=2)
    done = await db.write(
        lambda c: repository.finish(c, row["id"], "completed", {"completed_at": behind, "updated_at": behind})
    )
    assert done is not None and done["completed_at"] == row["created_at"]
    resp = await client.get(f"/v1/companies/signals/{row['id']}", headers=auth(org.key))
    assert resp.json()["completedAt"] == resp.json()["createdAt"]
    [other] = await seed_signals(db, [signal_row(org.organization_id, status="processing", completed_at=None)])
    ahead = other["created_at"] + timedelta(seconds=5)  # a clock ahead, or just a slow run: kept as stamped
    done = await db.write(lambda c: repository.finish(c, other["id"], "failed", {"completed_at": ahead}))
    assert done is not None and done["completed_at"] == ahead
    # Finishing keeps the day counters in step, and window lists count what finished.
    o = org.organization_id
    by_day = await db.read(lambda c: repository.count_signals_by_day(c, o, "company"))
    assert by_day == await db.read(lambda c: repository.day_counters(c, o, "company"))
    assert sum(by_day.values()) == 2
    body = (await client.get("/v1/companies/signals?fromDate=2000-01-01T00:00:00Z", headers=auth(org.key))).json()
    assert body["total"] == 2
