"""Who is asking: a browser session (flask-login cookie) or a personal API token
(`Authorization: Bearer <token>`). The engine decides what that person may do; this module only
turns a request into an engine Actor.

CSRF: a request that carries an Authorization header is authenticated by that header alone (the
session is then ignored), and a browser cannot add such a header to a cross-site request, so it
needs no CSRF token. A state-changing request authenticated by the session cookie must carry the
session's CSRF token in the `X-CSRFToken` header (Flask-WTF's synchronizer token), on top of the
SameSite=Lax cookie. The login itself takes only application/json, which a cross-site form cannot
send without a CORS preflight that this app never grants."""

from __future__ import annotations

from flask import Flask, current_app, request, session
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf

from engine import accounts
from engine.errors import Unauthenticated
from engine.runtime import Actor, Runtime

CSRF_HEADER = "X-CSRFToken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

login_manager = LoginManager()
csrf = CSRFProtect()


class SignedInUser(UserMixin):
    """The flask-login user: a thin wrapper around the engine's Actor."""

    def __init__(self, actor: Actor, *, by_token: bool) -> None:
        self.actor = actor
        self.by_token = by_token

    def get_id(self) -> str:
        return str(self.actor.user_id)


def runtime() -> Runtime:
    rt: Runtime = current_app.extensions["mda_runtime"]
    return rt


def bearer_token() -> str | None:
    """The token of an `Authorization: Bearer` header; '' for any other Authorization header."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@login_manager.user_loader
def _load_session_user(user_id: str) -> SignedInUser | None:
    if request.headers.get("Authorization") is not None:
        return None  # an explicit credential wins over the cookie (see the module docstring)
    try:
        actor = accounts.session_actor(runtime(), int(user_id))
    except ValueError:
        return None
    return SignedInUser(actor, by_token=False) if actor else None


@login_manager.request_loader
def _load_token_user(_request: object) -> SignedInUser | None:
    token = bearer_token()
    if not token or len(token) > 200 or not token.isascii():
        return None
    actor = accounts.actor_for_token(runtime(), token)
    return SignedInUser(actor, by_token=True) if actor else None


def current_actor() -> Actor:
    """The engine Actor of this request. Raises Unauthenticated."""
    if current_user.is_authenticated:
        return current_user.actor
    if bearer_token() is not None:
        raise Unauthenticated("Het API-token is ongeldig of ingetrokken.", code="bad_token")
    raise Unauthenticated("Log in of stuur een API-token mee.", code="login_required")


def protect_cookie_writes() -> None:
    """before_request of the API: state-changing requests that rely on the session cookie must
    carry its CSRF token. Raises CSRFError."""
    if request.method in SAFE_METHODS or request.headers.get("Authorization") is not None:
        return
    if current_user.is_authenticated:
        csrf.protect()


def start_session(actor: Actor) -> str:
    """Log the actor in on a fresh session (no fixation) and return its CSRF token."""
    session.clear()
    login_user(SignedInUser(actor, by_token=False))
    return generate_csrf()


def csrf_token() -> str:
    """The CSRF token bound to this session (created, with the session, when missing)."""
    return generate_csrf()


def end_session() -> None:
    logout_user()
    session.clear()


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)
