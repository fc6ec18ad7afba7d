"""What schema comparison leaves out (shared by Alembic's env.py and the schema test)."""

from __future__ import annotations


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """procrastinate's tables live beside ours on PostgreSQL and are managed by procrastinate; SQLite's FTS5
    table `person_search_fts` (and its shadow tables) is made by migration 0018, as no model can describe it."""
    return not (type_ == "table" and (name or "").startswith(("procrastinate_", "person_search_fts")))
