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
