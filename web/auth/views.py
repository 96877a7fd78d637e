"""The login and logout pages. They sign in through the same engine call and session start as
the JSON API's login (web.auth.sign_in: the engine's throttled password check and a server-side
session; web.auth.sign_out ends it)."""

from __future__ import annotations

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from config.settings import REGION_NAMES, ROLES
from engine import accounts
from engine.errors import TooManyAttempts, Unauthenticated
from web import auth, pages

bp = pages.init_blueprint(Blueprint("auth", __name__), login_required=False)


@bp.get("/login")
def login() -> str | Response:
    if current_user.is_authenticated and not current_user.by_token:
        return redirect(url_for("inbox.inbox"))
    return _login_page()


@bp.post("/login")
def login_post() -> str | Response | tuple[str, int]:
    username = request.form.get("username", "").strip()[:80]
    password = request.form.get("password", "")[:1000]
    if not username or not password:
        return _login_page(username, "Vul uw gebruikersnaam en wachtwoord in."), 400
    try:
        auth.sign_in(username, password)
    except (Unauthenticated, TooManyAttempts) as error:
        refused = make_response(_login_page(username, error.message), 401)
        if isinstance(error, TooManyAttempts):
            refused.status_code = 429
            refused.headers["Retry-After"] = str(error.retry_after)
        return refused
    return redirect(pages.safe_next(request.args.get("next"), url_for("inbox.inbox")))


@bp.post("/logout")
def logout() -> Response:
    auth.sign_out()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("auth.login"))


def _login_page(username: str = "", error: str | None = None) -> str:
    demo_users = accounts.demo_usernames(pages.rt())
    return render_template(
        "auth/login.html",
        username=username,
        error=error,
        demo_users=demo_users,
        roles=ROLES,
        regions=REGION_NAMES,
    )
