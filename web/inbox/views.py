"""The inbox (/inbox) and the task page (/tasks/<id>): the work of the person signed in. Each
view parses its input, makes one engine call as the current actor and renders the result."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from marshmallow import EXCLUDE, Schema, fields, validate
from werkzeug.wrappers import Response

from config.settings import REGIONS, ROLES
from engine import inbox as worklist
from engine import saved_filters, tasks
from engine.case_file import task_page
from engine.errors import Conflict, Forbidden, Invalid
from engine.model_checks import PHASES
from web import pages
from web.api.cursors import TaskCursor, encode
from web.form_data import field_errors, parse_submission, shown_values

bp = pages.init_blueprint(Blueprint("inbox", __name__))
TASK = "<task_id:task_id>"


class InboxQuery(Schema):
    """The inbox's filters as they come in the URL; unknown parameters are ignored. The position
    of each group (`mijn`, `pool`) is read apart: a link that no longer fits is no error."""

    class Meta:
        unknown = EXCLUDE

    role = fields.String(validate=validate.OneOf(ROLES), load_default=None)
    phase = fields.String(validate=validate.OneOf(PHASES), load_default=None)
    region = fields.String(validate=validate.OneOf(REGIONS), load_default=None)
    termijn = fields.String(validate=validate.OneOf(worklist.TERMS), load_default=None)


POSITIONS = {"mijn": "after_mine", "pool": "after_pool"}  # URL parameter → InboxFilter field


@bp.get("/inbox")
def inbox() -> str:
    query = dict(InboxQuery().load({key: value for key, value in request.args.items() if value != ""}))
    chosen = {key: query[key] for key in saved_filters.FILTER_FIELDS if query.get(key)}
    positions = {param: found for param in POSITIONS if (found := pages.list_position(param, TaskCursor()))}
    after = {POSITIONS[param]: cursor for param, (_, cursor) in positions.items()}
    view = worklist.inbox_view(pages.rt(), pages.actor(), worklist.InboxFilter(**chosen, **after))
    saved = saved_filters.list_filters(pages.rt(), pages.actor())
    return render_template(
        "inbox/inbox.html", view=view, chosen=chosen, saved=saved, roles=ROLES, phases=PHASES,
        regions=pages.actor().regions(), here=request.full_path.rstrip("?"),
        positions={param: value for param, (value, _) in positions.items()},
        next_positions={"mijn": encode(view.mine.next_after), "pool": encode(view.pool.next_after)},
    )  # fmt: skip


@bp.post("/inbox/filters")
def save_filter() -> Response:
    chosen: dict[str, Any] = {key: request.form.get(key, "") for key in saved_filters.FILTER_FIELDS}
    try:
        saved = saved_filters.save_filter(pages.rt(), pages.actor(), request.form.get("naam"), chosen)
    except Invalid as error:
        flash(error.message, "error")
        return redirect(url_for("inbox.inbox", **{k: v for k, v in chosen.items() if v}))
    flash(f"Filter '{saved.name}' is bewaard.", "ok")
    query: dict[str, Any] = dict(saved.query)
    return redirect(url_for("inbox.inbox", **query))


@bp.post("/inbox/filters/<int(max=2147483647):filter_id>/delete")
def delete_filter(filter_id: int) -> Response:
    saved_filters.delete_filter(pages.rt(), pages.actor(), filter_id)
    flash("Het filter is verwijderd.", "ok")
    return redirect(url_for("inbox.inbox"))


# ---- one task -------------------------------------------------------------------------------


@bp.get(f"/tasks/{TASK}")
def task(task_id: str) -> str:
    found = task_page(pages.rt(), pages.actor(), task_id)
    fields_ = (found.detail.form or {}).get("fields", [])
    return render_template(
        "inbox/task.html", page=found, values=shown_values(fields_, found.detail.data), errors={}
    )


@bp.post(f"/tasks/{TASK}")
def complete(task_id: str) -> Response | tuple[str, int]:
    found = task_page(pages.rt(), pages.actor(), task_id)
    fields_ = (found.detail.form or {}).get("fields", [])
    data, shown = parse_submission(fields_, request.form)
    try:
        tasks.complete(pages.rt(), pages.actor(), task_id, data)
    except Invalid as error:
        errors = field_errors(error.details) or {"_schema": [error.message]}
        return render_template("inbox/task.html", page=found, values=shown, errors=errors), 422
    except (Conflict, Forbidden) as error:
        flash(error.message, "error")
        return redirect(url_for("inbox.task", task_id=task_id))
    flash(f"'{found.detail.task.name}' is afgerond.", "ok")
    return redirect(url_for("inbox.inbox"))


@bp.post(f"/tasks/{TASK}/claim")
def claim(task_id: str) -> Response:
    return _ownership(lambda: tasks.claim(pages.rt(), pages.actor(), task_id), "U heeft de taak opgepakt.")


@bp.post(f"/tasks/{TASK}/unclaim")
def unclaim(task_id: str) -> Response:
    return _ownership(
        lambda: tasks.unclaim(pages.rt(), pages.actor(), task_id), "De taak is terug in de pool."
    )


@bp.post(f"/tasks/{TASK}/assign")
def assign(task_id: str) -> Response:
    username = request.form.get("username") or None
    return _ownership(
        lambda: tasks.assign(pages.rt(), pages.actor(), task_id, username),
        f"De taak is toegewezen aan {username}.",
    )


def _ownership(action: Any, done: str) -> Response:
    """Claim, unclaim or assign, then back to where the button was; the engine's refusal
    (taken, not allowed, no such colleague) is shown there. Not found stays a 404 page."""
    try:
        action()
    except (Conflict, Forbidden, Invalid) as error:
        flash(error.message, "error")
    else:
        flash(done, "ok")
    return redirect(pages.safe_next(request.form.get("next"), url_for("inbox.inbox")))
