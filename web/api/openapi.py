"""The OpenAPI 3 description, generated with apispec from the routes that exist and the
marshmallow schemas each view declares with `@doc`: what is documented is what is served."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema

from config.settings import REGIONS
from web.api.schemas import MAX_ID, ErrorSchema

TASK_ID_PATTERN = "[0-9A-Fa-f-]{1,36}"
ERROR_TEXT = {
    400: "Onjuist opgebouwd verzoek",
    401: "Niet ingelogd",
    403: "Niet toegestaan",
    404: "Onbekend of niet zichtbaar voor u",
    405: "Methode niet toegestaan",
    409: "Conflict",
    413: "Te groot",
    415: "Verkeerd type inhoud",
    422: "Ongeldige gegevens",
    429: "Te veel pogingen",
}
PATH_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@dataclass(frozen=True)
class Operation:
    summary: str
    response: type[Schema] | None = None
    status: int = 200
    query: type[Schema] | None = None
    body: type[Schema] | None = None
    body_type: str = "application/json"
    response_type: str = "application/json"
    errors: tuple[int, ...] = ()
    public: bool = False
    tags: tuple[str, ...] = field(default_factory=tuple)
    body_required: bool = True  # False: the body may be left out (e.g. an optional note)


def doc(summary: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare what a view takes and answers; `build_spec` turns it into OpenAPI."""

    def mark(view: Callable[..., Any]) -> Callable[..., Any]:
        view.openapi = Operation(summary, **options)  # type: ignore[attr-defined]
        return view

    return mark


def _content(media_type: str, schema: Any) -> dict[str, Any]:
    if schema is None:
        schema = {"type": "object"} if media_type == "application/json" else {"type": "string"}
    return {media_type: {"schema": schema}}


def _operation(op: Operation, has_path_params: bool, has_body_or_query: bool) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if op.status == 204:
        responses["204"] = {"description": "Gelukt, geen inhoud"}
    else:
        responses[str(op.status)] = {
            "description": "Gelukt",
            "content": _content(op.response_type, op.response),
        }
    statuses = set(op.errors) | {405}
    if not op.public:
        statuses.add(401)
    if has_path_params:
        statuses.add(404)
    if has_body_or_query:
        statuses.add(400)
    if op.body is not None or op.body_type != "application/json":
        statuses |= {413, 415}
    for status in sorted(statuses):
        responses[str(status)] = {
            "description": ERROR_TEXT[status],
            "content": _content("application/json", ErrorSchema),
        }
    operation: dict[str, Any] = {"summary": op.summary, "responses": responses, "tags": list(op.tags)}
    if op.public:
        operation["security"] = []
    if op.query is not None:
        operation["parameters"] = [{"in": "query", "schema": op.query}]
    if op.body is not None:
        operation["requestBody"] = {"required": op.body_required, "content": _content(op.body_type, op.body)}
    elif op.body_type != "application/json":
        operation["requestBody"] = {"required": True, "content": _content(op.body_type, None)}
    return operation


def _path_parameter(converter: str | None, name: str) -> dict[str, Any]:
    if converter == "int":
        schema: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_ID}
    elif converter == "task_id":
        schema = {"type": "string", "pattern": f"^{TASK_ID_PATTERN}$"}
    elif name == "region":
        schema = {"type": "string", "enum": list(REGIONS)}
    else:
        schema = {"type": "string"}
    return {"in": "path", "name": name, "required": True, "schema": schema}


def api_routes(
    app: Flask, prefix: str = "/api/"
) -> Iterable[tuple[str, str, Any, list[tuple[str | None, str]]]]:
    """(OpenAPI path, method, view, path parameters) of every API route."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(prefix):
            continue
        params = [(c or None, n) for c, n in PATH_PARAMETER.findall(rule.rule)]
        path = PATH_PARAMETER.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield path, method.lower(), app.view_functions[rule.endpoint], params


def build_spec(app: Flask) -> dict[str, Any]:
    spec = APISpec(
        title="MDA++ Flow API",
        version="1",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": 'Zaakworkflow voor MDA++. Fouten: {"error": {"code", "message", "details"}}.'},
        security=[{"bearer": []}, {"session": []}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "mda_session"})
    paths: dict[str, dict[str, Any]] = {}
    parameters: dict[str, list[dict[str, Any]]] = {}
    for path, method, view, params in api_routes(app):
        op: Operation = view.openapi
        has_input = op.query is not None or op.body is not None
        paths.setdefault(path, {})[method] = _operation(op, bool(params), has_input)
        parameters[path] = [_path_parameter(converter, name) for converter, name in params]
    for path, operations in paths.items():
        spec.path(path=path, operations=operations, parameters=parameters[path])
    return spec.to_dict()
