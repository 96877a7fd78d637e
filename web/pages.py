"""What every HTML page shares: CSRF on every form post, login required with a redirect to the
login page, and the actor behind the page. Page blueprints (inbox, cases, designer, monitor) call
`init_blueprint(bp)` once; see docs/web.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, current_app, flash, g, request
from flask_login import current_user
from marshmallow import ValidationError, fields

from config.settings import REGION_NAMES
from engine.runtime import Actor, Runtime
from engine.storage.queries import TOTAL_CAP
from web import auth
from web.form_data import display_value

rt: Callable[[], Runtime] = auth.runtime


def protect_form_posts() -> None:
    """before_request of every page blueprint: a state-changing request must carry the session's
    CSRF token (the `csrf_token` field of each form). Raises CSRFError (403)."""
    if request.method not in auth.SAFE_METHODS:
        auth.csrf.protect()


def require_login() -> Any:
    """before_request of the page blueprints under login: anonymous visitors go to the login
    page, which sends them back afterwards."""
    if not current_user.is_authenticated or current_user.by_token:
        return auth.login_manager.unauthorized()
    return None


def init_blueprint(bp: Blueprint, *, login_required: bool = True) -> Blueprint:
    bp.before_request(protect_form_posts)
    if login_required:
        bp.before_request(require_login)
    return bp


def actor() -> Actor:
    """The engine actor of the signed-in page user."""
    return auth.current_actor()


def safe_next(target: str | None, default: str) -> str:
    """Only a local path may be the target after login (no open redirect)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


# ---- the layout: menu, labels and filters shared by every template ------------------------


@dataclass(frozen=True)
class NavItem:
    """A main-menu entry. `roles`: shown to holders of one of these roles (any region); None: to
    everyone signed in. Showing a link grants nothing: every page asks the engine itself."""

    endpoint: str
    label: str
    roles: tuple[str, ...] | None = None
    order: int = 50


def add_nav(app: Flask, item: NavItem) -> None:
    app.extensions.setdefault("mda_nav", []).append(item)


ROLE_LABELS = {
    "aanmelder": "Aanmelder",
    "veilig_thuis": "Veilig Thuis",
    "procesregisseur": "Procesregisseur",
    "casusregisseur": "Casusregisseur",
    "teamlid": "Teamlid",
    "coordinator": "Coördinator",
    "procesontwerper": "Procesontwerper",
    "beheerder": "Beheerder",
    "systeem": "Systeem",
}
PHASE_LABELS = {
    "aanmelding": "Aanmelding",
    "triage": "Triage",
    "consultatie": "Consultatie",
    "analyse": "Analyse",
    "plan": "Plan van aanpak",
    "uitvoering": "Uitvoering",
    "monitoring": "Monitoring",
    "afsluiting": "Afsluiting",
    "gesloten": "Gesloten",
}


MESSAGE_LABELS = {"evaluatie_vervroegen": "Evaluatie naar voren halen"}


def message_label(name: str) -> str:
    return MESSAGE_LABELS.get(name, name.replace("_", " ").capitalize())


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "—")


def phase_label(phase: str | None) -> str:
    return PHASE_LABELS.get(phase or "", (phase or "—").capitalize())


def region_label(region: str | None) -> str:
    return REGION_NAMES.get(region or "", region or "—")


BAD_POSITION = "De link naar deze pagina klopt niet (meer). U ziet de eerste pagina."


def list_position(param: str, cursor: fields.Field[Any]) -> tuple[str, Any] | None:
    """A list's position in the URL (a keyset cursor of web.api.cursors), as given and as read;
    None on the first page. A cursor that does not read (edited, cut off, or a page number of an
    old link) is no error: the list shows its first page with a message."""
    value = request.args.get(param, "")
    if not value:
        return None
    try:
        return value, cursor.deserialize(value)
    except ValidationError:
        if not g.get("position_refused"):  # one message for a page with several lists
            g.position_refused = True
            flash(BAD_POSITION, "error")
        return None


def count_text(count: int, *, spoken: bool = False) -> str:
    """A capped count (exact up to TOTAL_CAP, TOTAL_CAP + 1 for more) as people read it: Dutch
    thousands separators, and past the cap '1.000+' (`spoken`: 'meer dan 1.000')."""
    shown = f"{min(count, TOTAL_CAP):,}".replace(",", ".")
    if count <= TOTAL_CAP:
        return shown
    return f"meer dan {shown}" if spoken else f"{shown}+"


def date_text(moment: datetime | None, *, with_time: bool = False) -> str:
    """Dutch date (and time, in Amsterdam time) for people; '—' when there is none."""
    if moment is None:
        return "—"
    local = moment.astimezone(AMSTERDAM)
    text = f"{local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{text}, {local:%H:%M}" if with_time else text


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
          "oktober", "november", "december")  # fmt: skip


def _layout_context() -> dict[str, Any]:
    signed_in = bool(current_user.is_authenticated and not current_user.by_token)
    items: list[dict[str, Any]] = []
    if signed_in:
        held = {role for _, role in current_user.actor.roles}
        shown = [
            item
            for item in sorted(current_app.extensions.get("mda_nav", []), key=lambda i: i.order)
            if item.roles is None or held.intersection(item.roles)
        ]
        # The entry of this very page, else the first entry of this page's blueprint.
        current = next((i for i in shown if i.endpoint == request.endpoint), None) or next(
            (i for i in shown if i.endpoint.split(".")[0] == request.blueprint), None
        )
        items = [{"endpoint": i.endpoint, "label": i.label, "is_current": i is current} for i in shown]
    clock = rt().clock
    simulated = clock.is_simulated
    return {
        "signed_in": signed_in,
        "nav_items": items,
        "clock_is_simulated": simulated and signed_in,
        "now_text": date_text(clock.now(), with_time=True) if simulated and signed_in else "",
    }


def init_app(app: Flask) -> None:
    """The layout's context and filters, and the login page as the place anonymous visitors go."""
    app.context_processor(_layout_context)
    app.jinja_env.filters.update(
        role_label=role_label,
        phase_label=phase_label,
        region_label=region_label,
        date=date_text,
        datetime=lambda m: date_text(m, with_time=True),
        display_value=display_value,
        message_label=message_label,
        count=count_text,
    )
    auth.login_manager.login_view = "auth.login"
    auth.login_manager.login_message = "Log in om deze pagina te zien."
    auth.login_manager.login_message_category = "info"
