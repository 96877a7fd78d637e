"""The login and logout pages. They sign in through the same engine call and session start as
the JSON API's login (engine.accounts.authenticate with its throttling; web.auth.start_session)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
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
        actor = accounts.authenticate(pages.rt(), username, password, request.remote_addr or "-")
    except (Unauthenticated, TooManyAttempts) as error:
        status = 429 if isinstance(error, TooManyAttempts) else 401
        return _login_page(username, error.message), status
    auth.start_session(actor)
    return redirect(pages.safe_next(request.args.get("next"), url_for("inbox.inbox")))


@bp.post("/logout")
def logout() -> Response:
    auth.end_session()
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
