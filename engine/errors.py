"""Error types raised by the engine and mapped to HTTP status codes once, in web/errors.py.
`code` is a stable English key; `message` is Dutch a professional can act on."""

from __future__ import annotations

from typing import Any


class MdaError(Exception):
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class NotFound(MdaError):
    code = "not_found"


class Forbidden(MdaError):
    code = "forbidden"


class Conflict(MdaError):
    code = "conflict"


class Invalid(MdaError):
    """Bad input: form data, a BPMN model, an argument. `details` lists the problems."""

    code = "invalid"


class Unauthenticated(MdaError):
    code = "unauthenticated"


class TooManyAttempts(MdaError):
    """Refused for now; `retry_after` says in how many seconds the next attempt is heard."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(message, code=code, details={"retry_after": max(1, retry_after)})
        self.retry_after = max(1, retry_after)


class Unavailable(MdaError):
    """The database cannot be reached right now; nothing was changed and the request may be retried."""

    code = "service_unavailable"
    retry_after = 30
