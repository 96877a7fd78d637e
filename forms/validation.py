"""Form definitions loaded from forms/definitions, and validation of submitted form data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError

from forms.schemas import FormDefinitionSchema, data_schema


class FormDataInvalid(Exception):
    """Submitted data does not fit the form; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__("invalid form data")
        self.errors = errors


class FormDefinitionInvalid(Exception):
    def __init__(self, path: str, errors: Any) -> None:
        super().__init__(f"{path}: {errors}")
        self.path = path
        self.errors = errors


@dataclass(frozen=True)
class Form:
    key: str
    title: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    description: str | None = None

    @property
    def person_fields(self) -> list[str]:
        return [f["name"] for f in self.fields if f["type"] == "person"]

    def as_dict(self, region: str | None = None) -> dict[str, Any]:
        """The definition as clients get it; person examples name the region's demo user."""
        fields_out = [_field_for_region(f, region) for f in self.fields]
        return {"key": self.key, "title": self.title, "description": self.description, "fields": fields_out}

    def examples(self, region: str | None = None) -> dict[str, Any]:
        return {f["name"]: _for_region(f.get("example"), region) for f in self.fields}

    @cached_property
    def _schema(self) -> Schema:
        """Built once per form: a definition never changes while it is loaded."""
        return data_schema(self.as_dict())

    def validate(self, data: Any) -> dict[str, Any]:
        """Return the cleaned data; raises FormDataInvalid listing every bad or unknown field."""
        if not isinstance(data, dict):
            raise FormDataInvalid({"_schema": ["Formuliergegevens moeten een object zijn."]})
        try:
            cleaned: dict[str, Any] = self._schema.load(data)
        except ValidationError as error:
            raise FormDataInvalid(_dutch(error.normalized_messages())) from error  # type: ignore[no-untyped-call]
        return cleaned


def _field_for_region(definition: dict[str, Any], region: str | None) -> dict[str, Any]:
    """The field as a professional of the region sees it: the region's own help text where it has
    one, the example for the region, and without the maintainers' source notes."""
    shown = {k: v for k, v in definition.items() if k not in ("help_by_region", "sources")}
    shown["example"] = _for_region(definition.get("example"), region)
    regional = (definition.get("help_by_region") or {}).get(region or "")
    if regional:
        shown["help"] = regional
    return shown


def _for_region(example: Any, region: str | None) -> Any:
    if region and isinstance(example, str):
        return example.replace("{region}", region)
    return example


_DUTCH = {
    "Missing data for required field.": "Dit veld is verplicht.",
    "Unknown field.": "Onbekend veld.",
    "Field may not be null.": "Dit veld is verplicht.",
    "Not a valid string.": "Vul tekst in.",
    "Not a valid boolean.": "Kies ja of nee.",
    "Not a valid date.": "Vul een datum in (JJJJ-MM-DD).",
    "Not a valid list.": "Kies een of meer opties.",
}


def _dutch(messages: Any) -> Any:
    if isinstance(messages, dict):
        return {key: _dutch(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_dutch(m) for m in messages]
    if isinstance(messages, str):
        if messages.startswith("Must be one of"):
            return "Kies een van de opties."
        if messages.startswith("Shorter than minimum length") or messages.startswith("Length must be"):
            return "Dit veld is verplicht of te lang."
        return _DUTCH.get(messages, messages)
    return messages


def load_form(path: Path) -> Form:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        definition = FormDefinitionSchema().load(raw)
    except (ValueError, ValidationError) as error:
        raise FormDefinitionInvalid(str(path), getattr(error, "messages", str(error))) from error
    fields = definition["field_list"]
    form = Form(definition["key"], definition["title"], fields, definition.get("description"))
    if form.key != path.stem:
        raise FormDefinitionInvalid(str(path), f"key {form.key!r} differs from the file name")
    form.validate(form.examples("nml"))  # every example must be valid data for its own form
    return form


def load_forms(directory: Path) -> dict[str, Form]:
    """All forms of a directory by key; raises FormDefinitionInvalid for the first bad file."""
    return {form.key: form for form in (load_form(p) for p in sorted(directory.glob("*.json")))}
