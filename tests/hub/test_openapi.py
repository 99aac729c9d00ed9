"""The protocol's OpenAPI description: the served one is the one kept in the repository, and
requests generated from it (schemathesis, a bounded number) never make the hub fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from tests.hub.conftest import RunningHub

KEPT = Path(__file__).resolve().parents[2] / "docs" / "protocol" / "openapi.json"
EXAMPLES_PER_OPERATION = 8  # about 150 requests: a few seconds


def test_the_served_description_is_the_one_in_the_repository(sqlite_hub: RunningHub) -> None:
    served = sqlite_hub.client().get("/openapi.json")
    assert served.status_code == 200
    kept = orjson.loads(KEPT.read_bytes())
    assert served.json() == kept, (
        "docs/protocol/openapi.json is out of date: run "
        "`kiosk-hub openapi --out docs/protocol/openapi.json` and review the change"
    )


def test_every_operation_is_described_with_its_errors() -> None:
    kept = orjson.loads(KEPT.read_bytes())
    operations = {
        (method.upper(), path): operation
        for path, methods in kept["paths"].items()
        for method, operation in methods.items()
    }
    for (_method, path), operation in operations.items():
        assert operation.get("operationId"), path
        if path.startswith("/v1/") and path != "/v1/health":
            assert {"422", "429"} <= set(operation["responses"]), path
    assert "SealedApplication" in kept["components"]["schemas"]
    assert set(kept["components"]["securitySchemes"]) == {"terminalToken", "operatorToken"}


def _fuzz(operation: Any, base_url: str, headers: dict[str, str]) -> list[str]:
    """Bounded generated requests to one operation; the server errors they caused."""
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path}: {response.status_code}")

    check()
    return failures


def test_generated_requests_never_make_a_server_error(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal_token = hub.enrol("gare-01")
    described = hub.client().get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(described)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        token = hub.operator_token if operation.path.startswith("/v1/admin") else terminal_token
        failures += _fuzz(operation, hub.url, {"Authorization": f"Bearer {token}"})
        operations += 1
    assert operations >= 15
    assert failures == []


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _references(item)]
    return []


def _resolve(document: dict[str, Any], reference: str) -> Any:
    """The node a local JSON pointer (`#/a/b`) names; KeyError when there is none."""
    assert reference.startswith("#/"), reference
    node: Any = document
    for part in reference[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_reference_resolves(sqlite_hub: RunningHub) -> None:
    served = sqlite_hub.client().get("/openapi.json").json()
    kept = orjson.loads(KEPT.read_bytes())
    for document in (served, kept):
        references = _references(document)
        assert "#/components/schemas/ApplicationView" in references
        unresolved = []
        for reference in set(references):
            try:
                _resolve(document, reference)
            except (KeyError, TypeError):
                unresolved.append(reference)
        assert unresolved == []


def _schemas(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if "type" in node or "anyOf" in node else []
        return found + [s for value in node.values() for s in _schemas(value)]
    if isinstance(node, list):
        return [s for item in node for s in _schemas(item)]
    return []


def test_bounds_are_written_in_json_schema_words() -> None:
    """`minimum`/`maximum`, never pydantic's own `ge`/`le` (which validators ignore)."""
    kept = orjson.loads(KEPT.read_bytes())
    wrong = [s for s in _schemas(kept) if {"ge", "le", "gt", "lt"} & set(s) and "type" in s]
    assert wrong == []
    offers = kept["components"]["schemas"]["Heartbeat"]["properties"]["offers"]
    assert offers["minimum"] == 0


def test_a_wrong_method_names_every_method_of_the_path(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    hub.enrol("gare-01")
    answer = hub.admin.options("/v1/admin/terminals/gare-01")
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["allow"].split(",")} >= {"GET", "PATCH"}
    assert answer.json()["error"] == "method_not_allowed"


def test_values_of_the_wrong_type_are_refused_not_coerced(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.client(hub.enrol("gare-01"))
    beat = {"version": "0.1.0", "uptime_s": 5, "offers": 10, "queue_depth": 0, "free_disk_mb": 900}
    assert terminal.post("/v1/heartbeat", json=beat | {"config_version": 0}).status_code == 200
    for wrong in (
        {"config_version": False},
        {"config_version": "3"},
        {"queue_depth": True},
        {"offers": 10.5},
        {"counters": {"applications": "2"}},
        {"last_sync": 0},  # not read as seconds since 1970
    ):
        refused = terminal.post("/v1/heartbeat", json=beat | wrong)
        assert refused.status_code == 422, wrong
        assert refused.json()["details"][0]["field"].startswith("body."), refused.text
    assert hub.services.terminals.get("gare-01")["reported_config_version"] == 0
    # Operators: a string setting stays a string (never read as the number it spells), and
    # 0 is not a boolean.
    long_text = "0" * 501
    patch = hub.admin.patch("/v1/admin/terminals/gare-01", json={"settings": {"a": long_text}})
    assert patch.status_code == 422
    kept = hub.admin.patch("/v1/admin/terminals/gare-01", json={"settings": {"code": "0042"}})
    assert kept.status_code == 200
    assert hub.services.terminals.config("gare-01")["settings"] == {"code": "0042"}  # type: ignore[index]
    code = hub.admin.post("/v1/admin/enrol-codes", json={"terminal_id": "gare-02", "replace": 0})
    assert code.status_code == 422
    # Times arrive as JSON strings; an integer written 12.0 is still the integer 12.
    when = terminal.post("/v1/heartbeat", json=beat | {"last_sync": "2026-11-20T11:00:00Z"})
    assert when.status_code == 200
    assert terminal.post("/v1/heartbeat", json=beat | {"offers": 12.0}).status_code == 200
    assert hub.services.terminals.get("gare-01")["offers"] == 12


_CONFORMANCE = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.positive_data_acceptance,
]


def test_operator_answers_conform_to_their_description(sqlite_hub: RunningHub) -> None:
    """Generated valid requests to the operator routes get the status codes, content types,
    headers and bodies the description declares (schemathesis's checks)."""
    hub = sqlite_hub
    hub.enrol("gare-01")
    schema = schemathesis.openapi.from_dict(hub.client().get("/openapi.json").json())
    headers = {"Authorization": f"Bearer {hub.operator_token}"}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1/admin"):
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            try:
                case.call_and_validate(
                    base_url=hub.url, headers=headers, checks=_CONFORMANCE, timeout=30
                )
            except (AssertionError, FailureGroup) as exc:  # how schemathesis reports them
                failures.append(f"{case.method} {case.formatted_path}: {exc!r}"[:600])

        check()
    assert failures == []
