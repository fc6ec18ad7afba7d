"""Signal templates: create, read, version on every update, soft delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from dossier.kit.auth import Principal
from dossier.kit.db import Database
from dossier.kit.errors import not_found
from dossier.kit.ids import is_uuid, new_uuid
from dossier.kit.problems import Problems
from dossier.kit.time import format_rfc3339, utcnow
from dossier.signals.validation import check_output_schema, check_question
from dossier.templates import repository
from dossier.templates.schemas import CreateTemplate, UpdateTemplate

TEMPLATE_NOT_FOUND = "Signal template not found or access denied"


def to_wire(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "templateId": row["id"],
        "version": row["version"],
        "organizationId": row["organization_id"],
        "name": row["name"],
        "description": row["description"],
        "question": row["question"],
        "answerType": row["answer_type"],
        "outputSchema": row["output_schema"] or {},
        "weight": row["weight"],
        "qualificationCriteria": row["qualification_criteria"] or {},
        "createdByUserId": row["created_by_user_id"],
        "createdAt": format_rfc3339(row["created_at"]),
        "deletedAt": format_rfc3339(row["deleted_at"]),
        "source": "api",
    }


def _check(p: Problems, name: str | None, description: str | None) -> None:
    if name is not None and not (1 <= len(name.strip()) <= 200):
        p.add("name", "must be between 1 and 200 characters")
    if description is not None and len(description) > 1000:
        p.add("description", "must be at most 1000 characters")


async def create(db: Database, principal: Principal, body: CreateTemplate) -> dict[str, Any]:
    p = Problems()
    _check(p, body.name, body.description)
    question = check_question(p, body.question)
    answer_type = (body.answerType or "open_text").__str__()
    check_output_schema(p, answer_type, body.outputSchema)
    p.raise_if_any()
    now = utcnow()
    row = {
        "id": new_uuid(),
        "version": 1,
        "organization_id": principal.organization_id,
        "name": body.name.strip(),
        "description": body.description,
        "question": question,
        "answer_type": answer_type,
        "output_schema": body.outputSchema or None,
        "weight": str(body.weight or "important"),
        "qualification_criteria": body.qualificationCriteria or None,
        "created_by_user_id": None,
        "created_at": now,
        "deleted_at": None,
    }
    await db.write(lambda c: repository.insert_version(c, row))
    return to_wire(row)


async def get_active(db: Database, principal: Principal, template_id: str) -> dict[str, Any]:
    """The newest version of a template that is not deleted (raises 404 otherwise)."""
    if not is_uuid(template_id):
        raise not_found(TEMPLATE_NOT_FOUND)
    row = await db.read(lambda c: repository.latest(c, principal.organization_id, template_id))
    if row is None or row["deleted_at"] is not None:
        raise not_found(TEMPLATE_NOT_FOUND)
    return row


async def get(db: Database, principal: Principal, template_id: str) -> dict[str, Any]:
    return to_wire(await get_active(db, principal, template_id))


async def list_templates(
    db: Database, principal: Principal, *, include_deleted: bool, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    rows, total = await db.read(
        lambda c: repository.list_latest(
            c, principal.organization_id, include_deleted=include_deleted, limit=limit, offset=offset
        )
    )
    return [to_wire(r) for r in rows], total


async def update(db: Database, principal: Principal, template_id: str, body: UpdateTemplate) -> dict[str, Any]:
    if not is_uuid(template_id):
        raise not_found(TEMPLATE_NOT_FOUND)
    p = Problems()
    _check(p, body.name, body.description)
    question = check_question(p, body.question)
    p.raise_if_any()
    fields = body.model_fields_set

    def work(c: Connection) -> dict[str, Any]:
        current = repository.latest(c, principal.organization_id, template_id)
        if current is None or current["deleted_at"] is not None:
            raise not_found(TEMPLATE_NOT_FOUND)
        row = dict(current)
        row["version"] = current["version"] + 1
        row["created_at"] = utcnow()
        if "name" in fields and body.name is not None:
            row["name"] = body.name.strip()
        if "description" in fields:
            row["description"] = body.description
        if question is not None:
            row["question"] = question
        if "answerType" in fields and body.answerType is not None:
            row["answer_type"] = str(body.answerType)
        if "outputSchema" in fields:
            row["output_schema"] = body.outputSchema or None
        if "weight" in fields and body.weight is not None:
            row["weight"] = str(body.weight)
        if "qualificationCriteria" in fields:
            row["qualification_criteria"] = body.qualificationCriteria or None
        if row["answer_type"] != "json_schema" and "answerType" in fields and "outputSchema" not in fields:
            row["output_schema"] = None  # switching away from json_schema drops the schema
        check = Problems()
        check_output_schema(check, row["answer_type"], row["output_schema"])
        check.raise_if_any()
        repository.insert_version(c, row)
        return row

    return to_wire(await db.write(work))


async def delete(db: Database, principal: Principal, template_id: str) -> None:
    if not is_uuid(template_id):
        raise not_found(TEMPLATE_NOT_FOUND)
    changed = await db.write(lambda c: repository.soft_delete(c, principal.organization_id, template_id, utcnow()))
    if not changed:
        raise not_found(TEMPLATE_NOT_FOUND)
