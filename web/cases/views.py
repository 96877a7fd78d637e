"""Cases: the list of cases one may see (/cases), the case file with its diagram and the same
route as text (/cases/<id>), messages to a case, and a new aanmelding (/cases/new)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, Schema, fields, validate
from werkzeug.wrappers import Response

from config.settings import REGIONS
from engine import cases, messages
from engine.case_file import case_file as read_case_file
from engine.errors import Conflict, Forbidden, Invalid
from engine.model_checks import PHASES
from web import pages
from web.api.cursors import CaseCursor, encode
from web.form_data import field_errors, parse_submission

bp = pages.init_blueprint(Blueprint("cases", __name__))
CASE = "<int(max=2147483647):case_id>"
PAGE_SIZE = 50
STATUSES = ("open", "closed")


class CaseQuery(Schema):
    """The list's filters in the URL; its position (`na`) is read apart, as the inbox's is."""

    class Meta:
        unknown = EXCLUDE

    region = fields.String(validate=validate.OneOf(REGIONS), load_default=None)
    phase = fields.String(validate=validate.OneOf(PHASES), load_default=None)
    status = fields.String(validate=validate.OneOf(STATUSES), load_default=None)


@bp.get("/cases")
def case_list() -> str:
    query = CaseQuery().load({key: value for key, value in request.args.items() if value != ""})
    chosen = {key: query[key] for key in ("region", "phase", "status") if query[key]}
    position = pages.list_position("na", CaseCursor())
    found = cases.case_page(
        pages.rt(),
        pages.actor(),
        cases.CaseFilter(**chosen, limit=PAGE_SIZE, after=position[1] if position else None),
    )
    # Totals stop past TOTAL_CAP: then the page says "meer dan 1.000 zaken".
    return render_template(
        "cases/list.html", cases=found.items, total=found.total, capped=found.total > cases.TOTAL_CAP,
        chosen=chosen, is_first_page=position is None, next_position=encode(found.next_after),
        regions=pages.actor().regions(), phases=PHASES, statuses=STATUSES,
    )  # fmt: skip


@bp.get(f"/cases/{CASE}")
def case_file(case_id: int) -> str:
    found = read_case_file(pages.rt(), pages.actor(), case_id)
    wanted = request.args.get("proces")
    shown = next(
        (d for d in found.diagrams if d.process_id == wanted), found.diagrams[0] if found.diagrams else None
    )
    links = {
        d.process_id: url_for("cases.case_file", case_id=case_id, proces=d.process_id) for d in found.diagrams
    }
    return render_template("cases/case_file.html", file=found, diagram=shown, links=links)


@bp.post(f"/cases/{CASE}/messages")
def send_message(case_id: int) -> Response:
    name = request.form.get("name", "")
    try:
        messages.send_message(pages.rt(), pages.actor(), case_id, name)
    except (Conflict, Forbidden, Invalid) as error:
        flash(error.message, "error")
    else:
        flash("Het bericht is aan de zaak gegeven.", "ok")
    return redirect(url_for("cases.case_file", case_id=case_id))


# ---- new aanmelding ---------------------------------------------------------------------------


@bp.get("/cases/new")
def new_case() -> str | tuple[str, int]:
    if not cases.start_regions(pages.actor()):
        return _new_case_page(None, None, {}, {}), 403
    region = _chosen_region()
    form = cases.start_form(pages.rt(), pages.actor(), region) if region else None
    values = {f["name"]: "" for f in (form or {}).get("fields", [])}
    return _new_case_page(region, form, values, {})


@bp.post("/cases/new")
def create_case() -> Response | tuple[str, int]:
    region = _chosen_region()
    if region is None:
        return _new_case_page(None, None, {}, {"region": ["Kies een regio."]}), 422
    form = cases.start_form(pages.rt(), pages.actor(), region)
    data, shown = parse_submission(form["fields"], request.form)
    try:
        case = cases.start_case(pages.rt(), pages.actor(), region, data)
    except Invalid as error:
        return _new_case_page(
            region, form, shown, field_errors(error.details) or {"_schema": [error.message]}
        ), 422
    flash(f"De aanmelding is geregistreerd als zaak {case.id}.", "ok")
    return redirect(url_for("cases.case_file", case_id=case.id))


def _chosen_region() -> str | None:
    """The region asked for, or the only one the actor may register in."""
    allowed = cases.start_regions(pages.actor())
    asked = request.values.get("region")
    if asked:
        return asked  # the engine refuses a region the actor may not register in
    return allowed[0] if len(allowed) == 1 else None


def _new_case_page(
    region: str | None, form: dict[str, Any] | None, values: dict[str, Any], errors: dict[str, Any]
) -> str:
    return render_template(
        "cases/new.html", region=region, form=form, values=values, errors=errors,
        regions=cases.start_regions(pages.actor()),
    )  # fmt: skip
