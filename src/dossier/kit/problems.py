"""Collecting every bad field of a request, so the client sees them all in one 400."""

from __future__ import annotations

from dossier.kit.errors import FieldError, invalid_request


class Problems:
    def __init__(self) -> None:
        self.fields: list[FieldError] = []

    def add(self, field: str, message: str) -> None:
        self.fields.append(FieldError(field, f"'{field}' {message}"))

    def raise_if_any(self) -> None:
        if self.fields:
            raise invalid_request(self.fields)
