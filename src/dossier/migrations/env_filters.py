"""What schema comparison leaves out (shared by Alembic's env.py and the schema test)."""

from __future__ import annotations


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """procrastinate's tables live beside ours on PostgreSQL and are managed by procrastinate."""
    return not (type_ == "table" and (name or "").startswith("procrastinate_"))
