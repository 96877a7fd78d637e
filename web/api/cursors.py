"""Keyset cursors of the paged lists (`after` in, `next_after` out): the sort key of a page's last
row, as URL-safe base64 of a small JSON array, opaque to clients. A cursor only positions a page
inside what its reader may see anyway, so it needs no signature; it is checked strictly, and a bad
one answers 400 in the API's error shape, never 500."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields

MAX_ID = 2**31 - 1
MAX_LENGTH = 200
TASK_ID = re.compile(r"^[0-9A-Fa-f-]{1,36}$")
INVALID = "Ongeldige cursor: gebruik de waarde 'next_after' van de vorige pagina ongewijzigd."


def encode(key: tuple[datetime | int | str | None, ...] | None) -> str | None:
    """The cursor of a page's last row (None: there is no next page)."""
    if key is None:
        return None
    parts = [part.astimezone(UTC).isoformat() if isinstance(part, datetime) else part for part in key]
    text = json.dumps(parts, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _parts(value: object, count: int) -> list[Any]:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_LENGTH:
        raise ValidationError(INVALID)
    try:
        parts = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode())
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise ValidationError(INVALID) from error
    if not isinstance(parts, list) or len(parts) != count:
        raise ValidationError(INVALID)
    return parts


def _moment(part: object) -> datetime:
    try:
        moment = datetime.fromisoformat(part) if isinstance(part, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValidationError(INVALID)
    return moment.astimezone(UTC)


class _Cursor(fields.Field[Any]):
    """A string in the OpenAPI description; in Python the key tuple of one list. As a query
    parameter it reads `after`; in a page it writes `next_after` (null on the last page)."""

    def __init__(self, *, is_answer: bool = False) -> None:
        description = (
            "cursor van de volgende pagina: geef hem ongewijzigd mee als 'after'; null op de laatste"
            if is_answer
            else "de 'next_after' van de vorige pagina, ongewijzigd (keyset-paginering); ondoorzichtig"
        )
        metadata = {"type": "string", "maxLength": MAX_LENGTH, "description": description}
        super().__init__(allow_none=is_answer, metadata=metadata)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return encode(value)


class CaseCursor(_Cursor):
    """(last_activity_at, case id) of the last case shown."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[datetime, int]:
        moment, case_id = _parts(value, 2)
        if isinstance(case_id, bool) or not isinstance(case_id, int) or not 0 <= case_id <= MAX_ID:
            raise ValidationError(INVALID)
        return _moment(moment), case_id


class TaskCursor(_Cursor):
    """(due_at or null, created_at, task id) of the last task shown."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> tuple[datetime | None, datetime, str]:
        due_at, created_at, task_id = _parts(value, 3)
        if not isinstance(task_id, str) or not TASK_ID.match(task_id):
            raise ValidationError(INVALID)
        return (None if due_at is None else _moment(due_at)), _moment(created_at), task_id
