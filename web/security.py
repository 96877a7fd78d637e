"""Security headers on every response (issue 8 §4, issue 9 §1): a Content-Security-Policy that
allows only this origin's own files (no inline scripts or styles, no framing), no MIME sniffing,
no referrer leaving the site, no caching of anything but static files, and HSTS in production."""

from __future__ import annotations

from flask import Flask, Response, request

# Scripts, styles, fonts and images come from this origin only (our static files and the npm
# packages served from node_modules); data: URIs for the fonts and icons the CSS packages embed.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = "max-age=31536000; includeSubDomains"
# Endpoints that serve public, case-free files; every other answer may carry case data.
STATIC_ENDPOINTS = frozenset({"static", "site.vendor"})


def add_headers(response: Response, *, is_production: bool) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint not in STATIC_ENDPOINTS or response.status_code not in (200, 304):
        # Pages, API answers and error pages may carry case data: never kept by a browser or proxy.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    if is_production:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask, *, is_production: bool) -> None:
    app.after_request(lambda response: add_headers(response, is_production=is_production))
