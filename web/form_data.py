"""From an HTML form post to the JSON-shaped data the engine validates with the form's definition
(forms/definitions, the same as the API), and back: the values to show in the fields again, and
the engine's problems per field. Parsing only; the rules stay in forms/ and the engine."""

from __future__ import annotations

from typing import Any

from werkzeug.datastructures import MultiDict

YES, NO = "ja", "nee"


def parse_submission(
    fields: list[dict[str, Any]], form: MultiDict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data for the engine, the raw values to show again). An empty field is left out, so the
    engine reports a required one as missing; a value that does not parse is passed on as text,
    so the engine reports it at its field."""
    data: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    for field in fields:
        name, kind = field["name"], field["type"]
        if kind == "multichoice":
            chosen = [value for value in form.getlist(name) if value]
            shown[name] = chosen
            if chosen:
                data[name] = chosen
            continue
        raw = form.get(name, "")
        shown[name] = raw
        if raw.strip() == "":
            continue
        data[name] = _typed(kind, raw)
    return data, shown


def _typed(kind: str, raw: str) -> Any:
    if kind == "boolean":
        return {YES: True, NO: False}.get(raw, raw)
    if kind == "number":
        text = raw.strip().replace(",", ".")
        for parse in (int, float):
            try:
                return parse(text)
            except ValueError:
                continue
        return raw
    if kind in ("text", "textarea"):
        return raw
    return raw.strip()


def shown_values(fields: list[dict[str, Any]], data: dict[str, Any]) -> dict[str, Any]:
    """Stored data (a task's prefill) as the fields show it."""
    shown: dict[str, Any] = {}
    for field in fields:
        value = data.get(field["name"])
        if value is None:
            shown[field["name"]] = [] if field["type"] == "multichoice" else ""
        elif isinstance(value, bool):
            shown[field["name"]] = YES if value else NO
        elif isinstance(value, list):
            shown[field["name"]] = [str(v) for v in value]
        else:
            shown[field["name"]] = str(value)
    return shown


def field_errors(details: Any) -> dict[str, list[str]]:
    """The engine's Invalid details (field → messages, possibly nested per list item) as flat
    Dutch messages per field."""
    if not isinstance(details, dict):
        return {"_schema": [str(details)]} if details else {}
    return {str(name): _flatten(messages) for name, messages in details.items()}


def _flatten(messages: Any) -> list[str]:
    if isinstance(messages, str):
        return [messages]
    if isinstance(messages, dict):
        return [text for value in messages.values() for text in _flatten(value)]
    if isinstance(messages, list):
        return [text for value in messages for text in _flatten(value)]
    return [str(messages)]


def display_value(field: dict[str, Any], value: Any) -> str:
    """A recorded answer as a person reads it: Ja/Nee, option labels, dates as entered."""
    if value is None or value == "" or value == []:
        return "—"
    options: dict[str, str] = {str(o["value"]): str(o["label"]) for o in field.get("options") or []}
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, list):
        return ", ".join(options.get(str(v), str(v)) for v in value)
    return options.get(str(value), str(value))
