"""The served OpenAPI document agrees with Saber's operation registry (tests/contract/saber-operations.json, a
byte-identical copy of the shared wire contract, so the comparison runs in any checkout)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dossier.app import create_app
from dossier.config import Settings

CONTRACT_DIR = Path(__file__).resolve().parent / "contract"
# The shared wire contract beside the checkout, when there is one: the vendored copy must not drift from it.
SHARED_SPEC_DIR = Path(__file__).resolve().parents[2] / "shared" / "spec"
CONTRACT_FILES = ("API.md", "saber-operations.json")
# Operations Dossier serves today; each later feature adds its own here.
IMPLEMENTED = {
    "listSignals", "getSignal", "listContactSignals", "getContactSignal", "getContactResearch",
    "getContactResearchByExternalID", "getCredits", "createSignal", "createCompanySignalSync", "createContactSignal",
    "createContactSignalSync", "createSignalBatch", "listSignalTemplates", "createSignalTemplate", "getSignalTemplate",
    "updateSignalTemplate", "deleteSignalTemplate", "searchContacts",
}
_TYPES = {
    "string": {"string"},
    "number": {"integer", "number"},
    "boolean": {"boolean"},
    "dateTime": {"string"},
    "json": {"array", "object"},
    "options": {"string"},
}


def _saber_operations() -> list[dict[str, Any]]:
    return list(json.loads((CONTRACT_DIR / "saber-operations.json").read_text()))


@pytest.mark.parametrize("name", CONTRACT_FILES)
def test_vendored_contract_is_the_shared_one(name: str) -> None:
    shared = SHARED_SPEC_DIR / name
    if not shared.exists():
        pytest.skip("no shared/spec beside this checkout to compare the vendored copy with")
    assert (CONTRACT_DIR / name).read_bytes() == shared.read_bytes(), f"tests/contract/{name} differs from {shared}"


def _schema_types(schema: dict[str, Any]) -> set[str]:
    if "anyOf" in schema:
        return {t for s in schema["anyOf"] for t in _schema_types(s)} - {"null"}
    if "type" in schema:
        return {schema["type"]}
    return set()


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("openapi"), secret_key="x")
    return create_app(settings).openapi()


def test_every_implemented_operation_matches_saber(spec: dict[str, Any]) -> None:
    ours = {
        (method.upper(), path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
    }
    seen = set()
    for saber in _saber_operations():
        op = ours.get((saber["method"], saber["path"]))
        if op is None:
            assert saber["operationId"] not in IMPLEMENTED, f"{saber['operationId']} is not served"
            continue
        seen.add(saber["operationId"])
        assert op["operationId"] == saber["operationId"]
        params = {(p["name"], p["in"]): p for p in op.get("parameters", [])}
        body = (
            op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
        )
        for field in saber["fields"]:
            where = field["location"]
            if where == "body":
                ref = body.get("$ref", "")
                schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else body
                assert field["name"] in schema.get("properties", {}), (saber["operationId"], field["name"])
                if field["required"]:
                    assert field["name"] in schema.get("required", []), (saber["operationId"], field["name"])
                continue
            param = params.get((field["name"], where))
            assert param is not None, (saber["operationId"], field["name"], where)
            assert bool(param.get("required", False)) == field["required"], (saber["operationId"], field["name"])
            types = _schema_types(param["schema"])
            assert types & _TYPES[field["type"]], (saber["operationId"], field["name"], types)
            if field["type"] == "dateTime":
                assert param["schema"].get("format") == "date-time" or any(
                    s.get("format") == "date-time" for s in param["schema"].get("anyOf", [])
                )
        # Nothing beyond Saber's parameters (a Saber client would never send it).
        names = {f["name"] for f in saber["fields"] if f["location"] != "body"}
        assert {name for name, _ in params} <= names, saber["operationId"]
    assert seen >= IMPLEMENTED


def test_security_scheme_and_error_shapes(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    op = spec["paths"]["/v1/companies/signals"]["get"]
    assert op["security"] == [{"bearerAuth": []}]
    for code in ("400", "401", "429", "500"):
        assert code in op["responses"]
    assert "ErrorEnvelope" in json.dumps(op["responses"]["400"])
    assert "RateLimitBody" in json.dumps(op["responses"]["429"])
