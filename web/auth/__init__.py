"""Who is asking: a browser session (flask-login cookie) or a personal API token
(`Authorization: Bearer <token>`). The engine decides what that person may do; this module only
turns a request into an engine Actor. The API and the HTML pages share it:

- `sign_in(username, password)` checks the password (throttled per user and address) and starts a
  server-side session; `sign_out()` ends it (a replayed cookie is then refused).
- `current_actor()` (raises Unauthenticated) / `signed_in_actor()` (None) on every request: the
  session is checked against the database each time, so logout, revoked tokens, deactivation, a
  new password and the idle timeout end it at once.

CSRF: a request that carries an Authorization header is authenticated by that header alone (the
session is then ignored), and a browser cannot add such a header to a cross-site request, so it
needs no CSRF token. A state-changing request authenticated by the session cookie must carry the
session's CSRF token in the `X-CSRFToken` header (Flask-WTF's synchronizer token), on top of the
SameSite=Lax cookie. The login itself takes only application/json, which a cross-site form cannot
send without a CORS preflight that this app never grants."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request, session
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFProtect, generate_csrf

from engine import accounts, sessions
from engine.errors import Unauthenticated
from engine.runtime import Actor, Runtime

CSRF_HEADER = "X-CSRFToken"
SESSION_KEY = "mda_sid"  # the secret of the server-side session, inside Flask's signed cookie
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

login_manager = LoginManager()
csrf = CSRFProtect()


class SignedInUser:
    """The flask-login user: a thin wrapper around the engine's Actor (flask-login's user
    protocol written out, as its UserMixin carries no types)."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

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


def _load_session_user(user_id: str) -> SignedInUser | None:
    if request.headers.get("Authorization") is not None:
        return None  # an explicit credential wins over the cookie (see the module docstring)
    secret = session.get(SESSION_KEY)
    if not isinstance(secret, str):
        return None
    actor = sessions.session_actor(runtime(), secret)
    if actor is None or str(actor.user_id) != user_id:
        return None
    return SignedInUser(actor, by_token=False)


def _load_token_user(_request: object) -> SignedInUser | None:
    token = bearer_token()
    if not token or len(token) > 200 or not token.isascii():
        return None
    actor = accounts.actor_for_token(runtime(), token)
    return SignedInUser(actor, by_token=True) if actor else None


def signed_in_actor() -> Actor | None:
    """The engine Actor of this request, or None when nobody (valid) is signed in. The session
    is checked against the database once per request (flask-login caches the answer)."""
    user = current_user._get_current_object()  # the proxy's target, typed below
    return user.actor if isinstance(user, SignedInUser) else None


def current_actor() -> Actor:
    """The engine Actor of this request. Raises Unauthenticated."""
    actor = signed_in_actor()
    if actor is not None:
        return actor
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


@dataclass(frozen=True)
class SignIn:
    actor: Actor
    csrf_token: str


def client_address() -> str:
    """The address login throttling counts against (the proxy's client when MDA_TRUSTED_PROXIES)."""
    return request.remote_addr or "-"


def sign_in(username: str, password: str) -> SignIn:
    """Check the password and start a session. Raises Unauthenticated, TooManyAttempts (429 with
    Retry-After: this user from this address, or this address, must wait)."""
    actor = accounts.authenticate(runtime(), username, password, client_address())
    return SignIn(actor, start_session(actor))


def start_session(actor: Actor) -> str:
    """Sign the actor in on a fresh server-side session (no fixation); returns its CSRF token."""
    secret = sessions.start_session(runtime(), actor)
    session.clear()
    session[SESSION_KEY] = secret
    login_user(SignedInUser(actor, by_token=False))
    token: str = generate_csrf()
    return token


def csrf_token() -> str:
    """The CSRF token bound to this session (created, with the session, when missing)."""
    token: str = generate_csrf()
    return token


def end_session() -> None:
    """Logout: the server-side session ends, so the old cookie is refused from now on."""
    secret = session.get(SESSION_KEY)
    if isinstance(secret, str):
        sessions.end_session(runtime(), secret)
    logout_user()
    session.clear()


sign_out = end_session


def init_app(app: Flask) -> None:
    login_manager.user_loader(_load_session_user)
    login_manager.request_loader(_load_token_user)
    login_manager.init_app(app)
    csrf.init_app(app)
