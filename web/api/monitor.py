"""The coordinator monitoring API (/api/v1/monitor, CONTRACT §5) and the person's notifications
(/api/v1/notifications). Each view parses, makes one engine call as the current actor and dumps;
region scoping, access logging and the rules live in engine/monitoring and engine/access.py."""

from __future__ import annotations

from flask import Blueprint, Response

from engine.monitoring import actions, metrics, notifications, overview, rules
from web import auth
from web.api import monitor_schemas as m
from web.api.openapi import doc
from web.api.parsing import json_body, query
from web.api.views import answer

bp = Blueprint("monitor_api", __name__)
bp.before_request(auth.protect_cookie_writes)
ID = "<int(max=2147483647):{}>"
rt = auth.runtime
actor = auth.current_actor
TAGS = ("monitoring",)


def _region() -> str:
    return overview.default_region(actor(), query(m.RegionQuerySchema)["region"])


@bp.get("/monitor/stuck")
@doc("Vastgelopen zaken van de regio: regel, sinds wanneer, waarop de zaak nu wacht",
     query=m.RegionQuerySchema, response=m.StuckListSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def stuck() -> Response:
    region = _region()
    return answer(m.StuckListSchema, {"region": region, "items": overview.stuck_cases(rt(), actor(), region)})


@bp.get("/monitor/overdue")
@doc("Taken over hun termijn, en het aantal per rol",
     query=m.RegionQuerySchema, response=m.OverdueListSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def overdue() -> Response:
    region = _region()
    found = overview.overdue_tasks(rt(), actor(), region)
    return answer(m.OverdueListSchema, {"region": region, "items": found.items, "per_role": found.per_role})


@bp.get("/monitor/escalations")
@doc("Escalaties (opschaling) van de regio", query=m.EscalationQuerySchema,
     response=m.EscalationListSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def escalations() -> Response:
    args = query(m.EscalationQuerySchema)
    region = overview.default_region(actor(), args["region"])
    items = overview.escalations(rt(), actor(), region, args["status"])
    return answer(m.EscalationListSchema, {"region": region, "items": items})


@bp.get("/monitor/metrics")
@doc("De cijfers van het dashboard en de heatmap van de regio",
     query=m.HeatmapQuerySchema, response=m.MetricsSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def region_metrics() -> Response:
    args = query(m.HeatmapQuerySchema)
    region = overview.default_region(actor(), args["region"])
    return answer(m.MetricsSchema, metrics.region_metrics(rt(), actor(), region, args["process_id"]))


@bp.get("/monitor/heatmap")
@doc("Waar de zaken nu wachten op het procesdiagram: aantal en mediane wachttijd per element",
     query=m.HeatmapQuerySchema, response=m.HeatmapSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def heatmap() -> Response:
    args = query(m.HeatmapQuerySchema)
    region = overview.default_region(actor(), args["region"])
    items = metrics.heatmap(rt(), actor(), region, args["process_id"])
    return answer(m.HeatmapSchema, {"region": region, "items": items})


@bp.get("/monitor/heatmap/<element_id>")
@doc("De zaken die nu bij één element van het diagram wachten",
     query=m.HeatmapQuerySchema, response=m.WaitingCaseListSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def heatmap_cases(element_id: str) -> Response:
    args = query(m.HeatmapQuerySchema)
    region = overview.default_region(actor(), args["region"])
    items = metrics.element_cases(rt(), actor(), region, element_id[:120], args["process_id"])
    return answer(m.WaitingCaseListSchema, {"element_id": element_id[:120], "items": items})


@bp.get("/monitor/rules")
@doc("De regels voor vastgelopen zaken van de regio (standaard uit config/, aangepast door de coördinator)",
     query=m.RegionQuerySchema, response=m.RuleListSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def list_rules() -> Response:
    region = _region()
    return answer(m.RuleListSchema, {"region": region, "items": rules.list_rules(rt(), actor(), region)})


@bp.put("/monitor/rules")
@doc("Eén regel van de regio instellen (alleen de coördinator)", query=m.RegionQuerySchema,
     body=m.RuleBodySchema, response=m.RuleSchema, errors=(403, 422), tags=TAGS)  # fmt: skip
def save_rule() -> Response:
    region = _region()
    return answer(m.RuleSchema, rules.save_rule(rt(), actor(), region, json_body(m.RuleBodySchema)))


@bp.post(f"/monitor/escalations/{ID.format('escalation_id')}/acknowledge")
@doc("Een escalatie bevestigen: de ladder stopt", status=204, errors=(403, 409), tags=TAGS)
def acknowledge(escalation_id: int) -> tuple[str, int]:
    actions.acknowledge(rt(), actor(), escalation_id)
    return "", 204


@bp.post("/monitor/handover")
@doc("Het openstaande werk van één of meer zaken aan iemand anders geven",
     body=m.HandoverBodySchema, response=m.HandoverListSchema, errors=(403, 404, 422), tags=TAGS)  # fmt: skip
def handover() -> Response:
    body = json_body(m.HandoverBodySchema)
    done = actions.hand_over(rt(), actor(), body["case_ids"], body["username"])
    return answer(m.HandoverListSchema, {"items": done})


@bp.post(f"/monitor/cases/{ID.format('case_id')}/agenda")
@doc("De zaak op de agenda van het consultatieteam zetten", status=204, errors=(403, 409), tags=TAGS)
def put_on_agenda(case_id: int) -> tuple[str, int]:
    actions.put_on_agenda(rt(), actor(), case_id)
    return "", 204


@bp.get("/notifications")
@doc("Uw meldingen, nieuwste eerst, met het aantal ongelezen",
     query=m.NotificationQuerySchema, response=m.NotificationListSchema, tags=("meldingen",))  # fmt: skip
def list_notifications() -> Response:
    unread_only = query(m.NotificationQuerySchema)["unread"]
    items = notifications.list_notifications(rt(), actor(), unread_only=unread_only)
    return answer(
        m.NotificationListSchema, {"unread": notifications.unread_count(rt(), actor()), "items": items}
    )


@bp.post(f"/notifications/{ID.format('notification_id')}/read")
@doc("Een melding als gelezen markeren", status=204, tags=("meldingen",))
def read_notification(notification_id: int) -> tuple[str, int]:
    notifications.mark_read(rt(), actor(), notification_id)
    return "", 204


@bp.post(f"/notifications/{ID.format('notification_id')}/unread")
@doc("Een melding weer als ongelezen markeren", status=204, tags=("meldingen",))
def unread_notification(notification_id: int) -> tuple[str, int]:
    notifications.mark_read(rt(), actor(), notification_id, is_read=False)
    return "", 204


@bp.post("/notifications/read-all")
@doc("Al uw meldingen als gelezen markeren", status=204, tags=("meldingen",))
def read_all_notifications() -> tuple[str, int]:
    notifications.mark_read(rt(), actor(), None)
    return "", 204
