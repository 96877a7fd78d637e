"""The coordinator's pages (/monitor): dashboard with charts and tables, heatmap on the process
diagram, stuck cases with their actions, overdue tasks, escalations, rules, CSV of every table;
and everyone's notifications (/notifications). The engine decides who sees what and logs reads."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from config.monitoring import RULE_LABELS
from engine import access
from engine.errors import Conflict, Forbidden, Invalid
from engine.monitoring import actions, metrics, notifications, overview, rules
from web import pages
from web.monitor import tables
from web.monitor.forms import HandoverForm, RuleForm

bp = pages.init_blueprint(Blueprint("monitor", __name__))
REGION = "/monitor/<region>"


@bp.app_context_processor
def notification_count() -> dict[str, Any]:
    """The unread count in the page header (base.html)."""
    if not current_user.is_authenticated or getattr(current_user, "by_token", True):
        return {}
    try:
        return {"notification_count": notifications.unread_count(pages.rt(), pages.actor())}
    except SQLAlchemyError:  # an error page must still render when the database is away
        return {}


@bp.get("/monitor")
def start() -> BaseResponse:
    regions = access.monitor_regions(pages.actor())
    if not regions:
        raise Forbidden(
            "Alleen de coördinator of beheerder van een regio ziet de monitoring.", code="wrong_role"
        )
    if len(regions) == 1:
        return redirect(url_for("monitor.dashboard", region=regions[0]))
    return Response(render_template("monitor/regions.html", regions=regions))


@bp.get(REGION)
def dashboard(region: str) -> str:
    figures = metrics.region_metrics(pages.rt(), pages.actor(), region)
    heat = [
        {"id": w.element_id, "count": w.count, "median": round(w.median_days, 1)} for w in figures.heatmap
    ]
    return render_template(
        "monitor/dashboard.html", region=region, figures=figures, tables=tables.dashboard_tables(figures),
        charts=tables.chart_specs(figures), heat=heat,
    )  # fmt: skip


@bp.get(f"{REGION}/diagram.bpmn")
def diagram(region: str) -> Response:
    return Response(metrics.diagram_source(pages.rt(), pages.actor(), region), mimetype="application/xml")


@bp.get(f"{REGION}/elements/<element_id>")
def element(region: str, element_id: str) -> str:
    waiting = metrics.element_cases(pages.rt(), pages.actor(), region, element_id[:120])
    return render_template("monitor/element.html", region=region, element_id=element_id[:120], cases=waiting)


@bp.get(f"{REGION}/stuck")
def stuck(region: str) -> str:
    found = overview.stuck_cases(pages.rt(), pages.actor(), region)
    can_act = actions.can_act(pages.actor(), region)
    people = actions.colleagues(pages.rt(), pages.actor(), region) if can_act else []
    return render_template(
        "monitor/stuck.html", region=region, stuck=found, colleagues=people, can_act=can_act
    )


def _act(region: str, action: Any, done: str) -> BaseResponse:
    """Run a coordinator action; a refusal the person can act on comes back as a message."""
    try:
        action()
        flash(done, "ok")
    except (Invalid, Conflict, ValidationError) as error:
        flash(getattr(error, "message", None) or "De invoer klopt niet.", "error")
    return redirect(url_for("monitor.stuck", region=region))


@bp.post(f"{REGION}/handover")
def handover(region: str) -> BaseResponse:
    def act() -> None:
        form = HandoverForm().load({"case_ids": request.form.getlist("case_ids"),
                                    "username": request.form.get("username", "")})  # fmt: skip
        actions.hand_over(pages.rt(), pages.actor(), form["case_ids"], form["username"])

    return _act(region, act, "Het werk is overgedragen.")


@bp.post(f"{REGION}/escalations/<int(max=2147483647):escalation_id>/acknowledge")
def acknowledge(region: str, escalation_id: int) -> BaseResponse:
    return _act(region, lambda: actions.acknowledge(pages.rt(), pages.actor(), escalation_id),
                "De escalatie is bevestigd; de ladder stopt.")  # fmt: skip


@bp.post(f"{REGION}/cases/<int(max=2147483647):case_id>/agenda")
def agenda(region: str, case_id: int) -> BaseResponse:
    return _act(region, lambda: actions.put_on_agenda(pages.rt(), pages.actor(), case_id),
                f"Zaak {case_id} staat op de agenda van het consultatieteam.")  # fmt: skip


@bp.get(f"{REGION}/overdue")
def overdue(region: str) -> str:
    found = overview.overdue_tasks(pages.rt(), pages.actor(), region)
    return render_template("monitor/overdue.html", region=region, overdue=found)


@bp.get(f"{REGION}/escalations")
def escalations(region: str) -> str:
    found = overview.escalations(pages.rt(), pages.actor(), region)
    return render_template("monitor/escalations.html", region=region, escalations=found, labels=RULE_LABELS)


@bp.route(f"{REGION}/rules", methods=["GET", "POST"])
def rule_list(region: str) -> BaseResponse | str:
    if request.method == "POST":
        try:
            values = RuleForm().load(request.form.to_dict())
            rules.save_rule(pages.rt(), pages.actor(), region, values)
            flash("De regel is opgeslagen.", "ok")
        except (Invalid, ValidationError) as error:
            flash(getattr(error, "message", None) or "De regel is niet goed ingevuld.", "error")
        return redirect(url_for("monitor.rule_list", region=region))
    found = rules.list_rules(pages.rt(), pages.actor(), region)
    return render_template("monitor/rules.html", region=region, rules=found)


@bp.get(f"{REGION}/<table>.csv")
def csv_export(region: str, table: str) -> Response:
    caption, header, rows = tables.csv_table(pages.rt(), pages.actor(), region, table)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([tables.safe_cell(cell) for cell in row] for row in rows)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{region}-{table}.csv"'
    return response


@bp.get("/notifications")
def notification_list() -> str:
    found = notifications.list_notifications(pages.rt(), pages.actor(), limit=100)
    return render_template("monitor/notifications.html", notifications=found)


@bp.post("/notifications/<int(max=2147483647):notification_id>/read")
def mark_read(notification_id: int) -> BaseResponse:
    notifications.mark_read(pages.rt(), pages.actor(), notification_id)
    return redirect(url_for("monitor.notification_list"))


@bp.post("/notifications/<int(max=2147483647):notification_id>/unread")
def mark_unread(notification_id: int) -> BaseResponse:
    notifications.mark_read(pages.rt(), pages.actor(), notification_id, is_read=False)
    return redirect(url_for("monitor.notification_list"))


@bp.post("/notifications/read-all")
def mark_all() -> BaseResponse:
    notifications.mark_read(pages.rt(), pages.actor(), None)
    return redirect(url_for("monitor.notification_list"))
