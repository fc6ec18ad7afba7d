"""Rules every signal specification obeys, whether it comes from a create call, a batch or a template."""

from __future__ import annotations

from typing import Any

import jsonschema

from dossier.kit.http import OutboundPolicy, destination_problem
from dossier.kit.problems import Problems
from dossier.kit.validation import is_http_url

MAX_QUESTION = 2000


def check_question(p: Problems, question: str | None, field: str = "question") -> str | None:
    if question is None:
        return None
    text = question.strip()
    if not text:
        p.add(field, "must not be empty")
    elif len(text) > MAX_QUESTION:
        p.add(field, f"must be at most {MAX_QUESTION} characters")
    elif "\x00" in text:
        p.add(field, "must not contain NUL characters")
    return text


def check_output_schema(
    p: Problems, answer_type: str, schema: dict[str, Any] | None, field: str = "outputSchema"
) -> None:
    if answer_type == "json_schema":
        if not schema:
            p.add(field, "is required when answerType is 'json_schema'")
            return
        try:
            jsonschema.validators.validator_for(schema).check_schema(schema)
        except jsonschema.SchemaError as exc:
            p.add(field, f"is not a valid JSON Schema: {exc.message}")
        except Exception:  # a hostile schema ($ref loops, odd keywords) must not become a 500
            p.add(field, "is not a valid JSON Schema")
    elif schema:
        p.add(field, "is only allowed when answerType is 'json_schema'")


def check_webhook_url(p: Problems, url: str | None, outbound: OutboundPolicy, field: str = "webhookUrl") -> None:
    """A webhook the outbound policy could never deliver to is refused now, not retried for three days."""
    if url is None:
        return
    if not is_http_url(url):
        p.add(field, "must be an http or https URL")
        return
    problem = destination_problem(outbound, url.strip())
    if problem is not None:
        p.add(field, problem)
