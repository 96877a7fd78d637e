"""The API against its contract: every path of CONTRACT.md §5 is served and described in
openapi.json, and every error, whatever raised it, has the one JSON shape."""

from __future__ import annotations

import logging
import re

import pytest
import requests

from config.settings import PROJECT_ROOT
from engine.runtime import Runtime
from tests.api.conftest import Api, Client, assert_error, serving
from web import create_app

CONTRACT = PROJECT_ROOT / "docs" / "CONTRACT.md"
NOT_HERE: tuple[str, ...] = ()
ENDPOINT = re.compile(r"^(GET|POST|PUT|PATCH|DELETE) (/api/v1/\S+)$")


def contract_endpoints() -> set[tuple[str, str]]:
    """(method, path with {} for each parameter) of every row of the §5 table."""
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("## 5.")[1].split("\n## ")[0]
    found: set[tuple[str, str]] = set()
    for row in (line for line in section.splitlines() if line.startswith("| `")):
        method = path = ""
        for span in re.findall(r"`([^`]+)`", row.split(" | ")[0]):
            if match := ENDPOINT.match(span):
                method, path = match.groups()
            elif span.startswith(".../") and path:
                path = path.rsplit("/", 1)[0] + "/" + span[4:]
            else:
                continue
            found.add((method.lower(), re.sub(r"\{[^}]+\}", "{}", path)))
    return found


def test_every_contract_endpoint_is_in_openapi(api: Api) -> None:
    spec = api.anonymous().get("/openapi.json").json()
    served = {
        (m, re.sub(r"\{[^}]+\}", "{}", p))
        for p, ops in spec["paths"].items()
        for m in ops
        if m != "parameters"
    }
    expected = {(m, p) for m, p in contract_endpoints() if not p.startswith(NOT_HERE)}
    assert len(expected) >= 20
    assert expected - served == set()


def test_openapi_is_public_openapi_3_and_every_error_is_the_one_shape(api: Api) -> None:
    response = api.anonymous().get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.") and spec["paths"]
    error = spec["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert set(spec["components"]["schemas"]["ErrorBody"]["properties"]) == {"code", "message", "details"}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_http_errors_under_the_api_have_the_one_shape(api: Api) -> None:
    client = api.as_role("utrecht", "beheerder")
    assert_error(client.get("/bestaat-niet"), 404, "not_found")
    assert_error(client.delete("/cases"), 405, "method_not_allowed")
    assert "POST" in client.put("/cases").headers["Allow"]
    assert_error(
        client.post("/cases", data=b"{", headers={"Content-Type": "application/json"}), 400, "bad_request"
    )
    assert_error(
        client.post("/cases", data=b"[" * 100_000, headers={"Content-Type": "application/json"}), 400
    )
    assert_error(client.post("/cases", data="region=utrecht"), 415, "unsupported_media_type")
    big = b'{"data": {"x": "' + b"y" * (3 * 1024 * 1024) + b'"}}'
    assert_error(
        client.post("/cases", data=big, headers={"Content-Type": "application/json"}), 413, "too_large"
    )
    assert_error(api.anonymous().get("/cases"), 401, "login_required")


def test_an_unexpected_error_is_logged_and_answered_500_without_case_data(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(rt)

    def broken() -> str:
        raise RuntimeError("Familie Jansen, Dorpsstraat 1")

    app.add_url_rule("/api/v1/kapot", "kapot", broken)
    with caplog.at_level(logging.ERROR), serving(app) as base:
        response = Client(base).get("/kapot")
    error = assert_error(response, 500, "internal_error")
    assert "Jansen" not in response.text and error["details"] is None
    assert any("Familie Jansen" in (r.exc_text or "") for r in caplog.records)


def test_pages_outside_the_api_are_not_forced_into_json(api: Api) -> None:
    response = requests.get(f"{api.base}/bestaat-niet", timeout=10)
    assert response.status_code == 404 and not response.headers["Content-Type"].startswith("application/json")
