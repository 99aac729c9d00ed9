"""The protocol's OpenAPI description: the served one is the one kept in the repository, and
requests generated from it (schemathesis, a bounded number) never make the hub fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings

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
