"""Marshmallow schemas: one that checks a form definition file, and one built per form that
checks the data a professional submits for it. Imports nothing of the project."""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

FIELD_TYPES = ("text", "textarea", "number", "date", "boolean", "choice", "multichoice", "person")
MAX_TEXT = 10_000


class OptionSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class FieldDefinitionSchema(Schema):
    name = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    label = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(FIELD_TYPES))
    required = fields.Boolean(load_default=False)
    options = fields.List(fields.Nested(OptionSchema), load_default=None)
    help = fields.String(load_default=None)
    # Wording for one region where it differs (the form is shared, the practice is not).
    help_by_region = fields.Dict(keys=fields.String(), values=fields.String(), load_default=None)
    # Where the field comes from (seed citations) — for maintainers; never shown to professionals.
    sources = fields.String(load_default=None)
    example = fields.Raw(required=True, allow_none=True)

    @validates_schema
    def options_for_choices(self, data: dict[str, Any], **_: Any) -> None:
        if data["type"] in ("choice", "multichoice") and not data.get("options"):
            raise ValidationError("choice fields need options", "options")


class FormDefinitionSchema(Schema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]*$"))
    title = fields.String(required=True)
    description = fields.String(load_default=None)
    field_list = fields.List(fields.Nested(FieldDefinitionSchema), required=True, data_key="fields")


class StrictDate(fields.Date):
    """A date as YYYY-MM-DD, stored back as the same text (task data must stay JSON)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:  # type: ignore[override]
        parsed: dt.date = super()._deserialize(value, attr, data, **kwargs)
        return parsed.isoformat()


class StrictNumber(fields.Field[float | int]):
    """A number that refuses booleans and numeric strings: JSON numbers only."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("Vul een getal in.")
        if value != value or value in (float("inf"), float("-inf")):
            raise ValidationError("Vul een eindig getal in.")
        return value


class StrictBoolean(fields.Field[bool]):
    """JSON true or false only: 1 == True in Python, so Boolean(truthy={True}) lets 1 and 1.0 in."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError("Kies ja of nee.")
        return value


def storable_text(value: str) -> None:
    """Refuse what no database stores faithfully: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise ValidationError("Tekst mag geen NUL-teken bevatten.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError("Tekst bevat ongeldige tekens.") from error


def _field_for(definition: dict[str, Any]) -> fields.Field[Any]:
    required = bool(definition.get("required"))
    kind = definition["type"]
    values = [option["value"] for option in definition.get("options") or []]
    common: dict[str, Any] = {"required": required, "allow_none": not required}
    if kind in ("text", "textarea", "person"):
        length = validate.Length(min=1 if required else 0, max=MAX_TEXT)
        return fields.String(validate=[length, storable_text], **common)
    if kind == "number":
        return StrictNumber(**common)
    if kind == "date":
        return StrictDate(**common)
    if kind == "boolean":
        return StrictBoolean(**common)
    if kind == "choice":
        return fields.String(validate=validate.OneOf(values), **common)
    return fields.List(
        fields.String(validate=validate.OneOf(values)),
        validate=validate.Length(min=1 if required else 0),
        **common,
    )


def data_schema(definition: dict[str, Any]) -> Schema:
    """A schema for one form's data: unknown keys and wrong types are refused."""
    schema_class = Schema.from_dict(
        {field["name"]: _field_for(field) for field in definition["fields"]},
        name=f"Form_{definition['key']}",
    )
    return schema_class(unknown=RAISE)
