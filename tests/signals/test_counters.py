"""List totals come from per-status counters; they must always equal the signals actually stored."""

from __future__ import annotations

from dossier.signals import repository
from tests.factories import auth, new_org, seed_signals, signal_row


async def test_counters_match_stored_signals_and_list_totals(client, db, backend):
    org = await new_org(db, backend.settings)
    o = org.organization_id
    statuses = ["completed"] * 4 + ["failed"] * 2 + ["processing"] * 3
    await seed_signals(db, [signal_row(o, status=s, domain=f"d{i % 2}.com") for i, s in enumerate(statuses)])
    await seed_signals(db, [signal_row(o, kind="contact", status="completed") for _ in range(2)])
    await seed_signals(db, [signal_row(o, kind="contact", status="failed", contact_profile_url="https://people.test/in/jane")])
    for kind in ("company", "contact"):
        stored = await db.read(lambda c, k=kind: repository.count_signals(c, o, k))
        counted = await db.read(lambda c, k=kind: repository.counters(c, o, k))
        assert stored == counted
        by_day = await db.read(lambda c, k=kind: repository.count_signals_by_day(c, o, k))
        assert by_day == await db.read(lambda c, k=kind: repository.day_counters(c, o, k)) and by_day
        by_subject = await db.read(lambda c, k=kind: repository.count_signals_by_subject(c, o, k))
        assert by_subject == await db.read(lambda c, k=kind: repository.subject_counters(c, o, k)) and by_subject
    h = auth(org.key)

    async def total(path: str) -> int:
        resp = await client.get(path, headers=h)
        assert resp.status_code == 200, resp.text
        return int(resp.json()["total"])

    assert await total("/v1/companies/signals") == 9
    assert await total("/v1/companies/signals?status=failed&status=processing") == 5
    assert await total("/v1/contacts/signals") == 3
    # Domain and profile totals (with or without statuses) come from the subject counters.
    assert await total("/v1/companies/signals?domain=d0.com") == 5
    assert await total("/v1/companies/signals?domain=D1.com") == 4
    assert await total("/v1/companies/signals?domain=d0.com&status=completed&status=processing") == 4
    assert await total("/v1/companies/signals?domain=d1.com&status=failed") == 1
    assert await total("/v1/companies/signals?domain=nobody.com") == 0
    assert await total("/v1/contacts/signals?contactProfileUrl=https://www.linkedin.com/in/johndoe/") == 2
    assert await total("/v1/contacts/signals?contactProfileUrl=https://people.test/in/jane") == 1
    # Past the end of the page the total is read alone; it is the same.
    assert await total("/v1/companies/signals?domain=d0.com&offset=50") == 5


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
    # Finishing keeps the day and subject counters in step, and window lists count what finished.
    o = org.organization_id
    by_day = await db.read(lambda c: repository.count_signals_by_day(c, o, "company"))
    assert by_day == await db.read(lambda c: repository.day_counters(c, o, "company"))
    by_subject = await db.read(lambda c: repository.count_signals_by_subject(c, o, "company"))
    assert by_subject == await db.read(lambda c: repository.subject_counters(c, o, "company"))
    assert by_subject == {("acme.com", "completed"): 1, ("acme.com", "failed"): 1}
    assert sum(by_day.values()) == 2
    body = (await client.get("/v1/companies/signals?fromDate=2000-01-01T00:00:00Z", headers=auth(org.key))).json()
    assert body["total"] == 2
