"""Turning a request into validated Python values: query strings and JSON bodies through their
marshmallow schema (a misfit raises ValidationError → 400), XML bodies as UTF-8 text."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import BadRequest, UnsupportedMediaType

XML_TYPES = frozenset({"application/xml", "text/xml", "application/bpmn+xml"})
BAD_TEXT = "De tekst bevat een teken dat niet is toegestaan (NUL of een losse surrogaat)."


def _refuse_bad_text(value: Any, where: str) -> None:
    """No string may carry NUL or a lone surrogate: PostgreSQL text cannot store them, and no
    professional types them."""
    if isinstance(value, str) and ("\x00" in value or not _is_utf8(value)):
        raise ValidationError({where: [BAD_TEXT]})
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_bad_text(key, where)
            _refuse_bad_text(item, where)
    elif isinstance(value, list):
        for item in value:
            _refuse_bad_text(item, where)


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@cache
def schema_of(kind: type[Schema]) -> Schema:
    """One instance per schema class and process: building one deep-copies every field, which
    cost more than the dump itself; load and dump keep no state on the instance."""
    return kind()


def query(schema: type[Schema]) -> dict[str, Any]:
    args = request.args.to_dict()
    _refuse_bad_text(args, "query")
    loaded: dict[str, Any] = schema_of(schema).load(args)
    return loaded


def json_body(schema: type[Schema]) -> dict[str, Any]:
    try:
        body = request.get_json()
        _refuse_bad_text(body, "body")
    except RecursionError as error:  # absurdly deep nesting
        raise BadRequest() from error
    loaded: dict[str, Any] = schema_of(schema).load(body)
    return loaded


def optional_json_body(schema: type[Schema]) -> dict[str, Any]:
    """A body that may be left out: empty means the schema's defaults."""
    if not request.get_data(cache=True):
        loaded: dict[str, Any] = schema_of(schema).load({})
        return loaded
    return json_body(schema)


def xml_body() -> str:
    if request.mimetype not in XML_TYPES:
        raise UnsupportedMediaType()
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError({"body": ["Het model moet UTF-8-gecodeerde XML zijn."]}) from error
