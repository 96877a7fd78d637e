"""Every error mapped to HTTP once. Under /api/ the answer is always the CONTRACT's JSON shape
{"error": {"code", "message", "details"}}; anything unexpected is logged and answered 500 without
a word of case data. This is, with the timer sweep, the only place that catches Exception."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from engine.errors import (
    Conflict,
    Forbidden,
    Invalid,
    MdaError,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
    Unavailable,
)
from engine.storage.uow import translate

STATUS: dict[type[MdaError], int] = {
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    Invalid: 422,
    TooManyAttempts: 429,
    Unavailable: 503,
}

# Werkzeug's HTTP errors (routing, body size, media type, bad JSON) with a stable code and Dutch text.
HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Het verzoek is niet goed opgebouwd."),
    401: ("login_required", "Log in of stuur een geldig API-token mee."),
    403: ("forbidden", "Dit mag u niet."),
    404: ("not_found", "Dit adres bestaat niet."),
    405: ("method_not_allowed", "Deze methode is hier niet toegestaan."),
    413: ("too_large", "Het verzoek is te groot."),
    415: ("unsupported_media_type", "Dit type inhoud wordt hier niet geaccepteerd."),
}

INTERNAL = ("internal_error", "Er ging iets mis aan onze kant. Probeer het later opnieuw.")


def error_response(status: int, code: str, message: str, details: Any = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="mda"'
    return response


def _is_api() -> bool:
    return request.path.startswith("/api/")


def handle_engine_error(error: MdaError) -> Response:
    status = next((s for cls, s in STATUS.items() if isinstance(error, cls)), 400)
    if status == 503:
        current_app.logger.warning("database niet bereikbaar bij %s %s: %s", request.method, request.path,
                                   error.__cause__)  # fmt: skip
    if _is_api():
        response = error_response(status, error.code, error.message, error.details)
    else:
        response = page_error(status, error.message)
    retry_after = getattr(error, "retry_after", None)
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def handle_request_invalid(error: ValidationError) -> Response:
    """A request envelope (query string or body) that does not fit its schema."""
    if not _is_api():
        return page_error(400, "Het adres bevat een filter of waarde die niet bestaat.")
    problems = error.normalized_messages()  # type: ignore[no-untyped-call]  # marshmallow: untyped
    return error_response(400, "bad_request", "Het verzoek is niet goed opgebouwd.", problems)


def handle_csrf(error: CSRFError) -> Response:
    if not _is_api():
        return page_error(403, PAGE_CSRF)
    return error_response(
        403,
        "csrf_failed",
        "Het CSRF-token ontbreekt of klopt niet. Haal er een op (GET /api/v1/csrf) en stuur het mee "
        "in de kop X-CSRFToken, of gebruik een API-token.",
    )


def handle_http(error: HTTPException) -> Response | HTTPException:
    if not _is_api():
        if error.response is not None or error.code is None or error.code < 400:
            return error
        return page_error(error.code, HTTP_ERRORS.get(error.code, ("", error.description or ""))[1])
    status = error.code or 500
    code, message = HTTP_ERRORS.get(status, (f"http_{status}", error.description or ""))
    response = error_response(status, code, message)
    if status == 405 and error.response is None:
        allowed = getattr(error, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def handle_database_error(error: DBAPIError) -> Response | tuple[str, int]:
    """A database error that left the engine outside a unit of work (the simulated clock's own
    read, for one): translated by the unit of work's one mapping, else unexpected."""
    engine_error = translate(error)
    if engine_error is None:
        return handle_unexpected(error)
    engine_error.__cause__ = error
    return handle_engine_error(engine_error)


def handle_unexpected(error: Exception) -> Response | tuple[str, int]:
    # The exception text may quote case data; it goes to the log, never to the client.
    current_app.logger.exception("onverwachte fout bij %s %s", request.method, request.path)
    if _is_api():
        return error_response(500, *INTERNAL)
    return page_error(500, INTERNAL[1])


# ---- HTML pages (issue 9): the same errors as a Dutch page in the site's layout ---------------

PAGE_CSRF = (
    "Het formulier is verlopen of niet via deze site verstuurd. "
    "Laad de pagina opnieuw en probeer het nog eens."
)
PAGE_TITLES = {
    400: "Verzoek niet begrepen",
    401: "Niet ingelogd",
    403: "Niet toegestaan",
    404: "Niet gevonden",
    405: "Niet toegestaan",
    409: "Niet meer mogelijk",
    413: "Te groot",
    422: "Niet goed ingevuld",
    429: "Te veel pogingen",
    500: "Er ging iets mis",
    503: "Tijdelijk niet beschikbaar",
}


def page_error(status: int, message: str) -> Response:
    """An error page; for a case one may not see it reads exactly as for an unknown one."""
    html = render_template(
        "error.html", status=status, title=PAGE_TITLES.get(status, "Er ging iets mis"), message=message
    )
    return Response(html, status=status, mimetype="text/html")


def register(app: Flask) -> None:
    app.register_error_handler(MdaError, handle_engine_error)
    app.register_error_handler(ValidationError, handle_request_invalid)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DBAPIError, handle_database_error)
    app.register_error_handler(Exception, handle_unexpected)
