"""The JSON API (/api/v1, CONTRACT §5). Each view parses its input with a schema, makes one engine
call as the current actor and dumps the result; permissions, logging and rules live in the engine."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from marshmallow import Schema

from engine import accounts, cases, clock_control, messages, migration, process_models, tasks
from web import auth
from web.api import schemas as s
from web.api.openapi import doc
from web.api.parsing import json_body, optional_json_body, query, schema_of, xml_body

bp = Blueprint("api", __name__)
bp.before_request(auth.protect_cookie_writes)

CASE = "<int(max=2147483647):case_id>"
VERSION = "<int(max=2147483647):version_id>"
TASK = "<task_id:task_id>"
rt = auth.runtime
actor = auth.current_actor


def answer(schema: type[Schema], value: Any, status: int = 200) -> Response:
    response = jsonify(schema_of(schema).dump(value))
    response.status_code = status
    return response


def page(found: cases.CasePage | tasks.TaskPage, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "items": found.items, "total": found.total, "limit": filters["limit"], "offset": filters["offset"],
        "next_after": found.next_after,
    }  # fmt: skip


# ---- session and identity -------------------------------------------------------------------


@bp.get("/openapi.json")
@doc("Deze API-beschrijving (OpenAPI 3)", response=None, public=True, tags=("api",))
def openapi() -> Response:
    return jsonify(current_app.extensions["mda_openapi"])


@bp.post("/login")
@doc(
    "Inloggen met wachtwoord: sessiecookie plus CSRF-token",
    body=s.LoginSchema,
    response=s.LoginResultSchema,
    errors=(401, 429),
    public=True,
    tags=("sessie",),
)
def login() -> Response:
    credentials = json_body(s.LoginSchema)
    signed_in = auth.sign_in(credentials["username"], credentials["password"])
    token = signed_in.csrf_token
    roles = [{"region": region, "role": role} for region, role in sorted(signed_in.actor.roles)]
    response = answer(
        s.LoginResultSchema, {"username": signed_in.actor.username, "roles": roles, "csrf_token": token}
    )
    response.headers["X-CSRF-Token"] = token
    return response


@bp.post("/logout")
@doc("Uitloggen (de sessie vervalt)", status=204, public=True, errors=(403,), tags=("sessie",))
def logout() -> tuple[str, int]:
    auth.sign_out()
    return "", 204


@bp.get("/csrf")
@doc(
    "Het CSRF-token van deze sessie (kop X-CSRFToken bij schrijven met een cookie)",
    response=s.CsrfSchema,
    public=True,
    tags=("sessie",),
)
def csrf_token() -> Response:
    token = auth.csrf_token()
    response = answer(s.CsrfSchema, {"csrf_token": token})
    response.headers["X-CSRF-Token"] = token
    return response


@bp.get("/me")
@doc("De ingelogde gebruiker met rollen en regio's", response=s.UserSchema, tags=("sessie",))
def me() -> Response:
    return answer(s.UserSchema, accounts.profile(rt(), actor()))


# ---- regions and process models -------------------------------------------------------------


@bp.get("/regions")
@doc("Regio's met hun gepubliceerde modelversies", response=s.RegionListSchema, tags=("modellen",))
def regions() -> Response:
    actor()  # any signed-in person; no case data here
    return answer(s.RegionListSchema, {"items": process_models.published_by_region(rt())})


@bp.get("/regions/<region>/models")
@doc("Alle modelversies van de regio", response=s.ModelVersionListSchema, errors=(403,), tags=("modellen",))
def region_models(region: str) -> Response:
    versions = process_models.region_versions(rt(), actor(), region)
    return answer(s.ModelVersionListSchema, {"items": versions})


@bp.get(f"/regions/<region>/models/{VERSION}/bpmn")
@doc(
    "De BPMN/DMN-XML van een versie (voor de modelleur)",
    response_type="application/xml",
    errors=(403,),
    tags=("modellen",),
)
def model_source(region: str, version_id: int) -> Response:
    text = process_models.version_source(rt(), actor(), region, version_id)
    return Response(text, mimetype="application/xml")


@bp.post("/regions/<region>/models")
@doc(
    "BPMN/DMN-XML uploaden als concept (details van 422: lijst van {element_id, message})",
    query=s.UploadQuerySchema,
    body_type="application/xml",
    response=s.ModelVersionSchema,
    status=201,
    errors=(403, 422),
    tags=("modellen",),
)
def upload_model(region: str) -> Response:
    file_name = query(s.UploadQuerySchema)["file_name"]
    draft = process_models.add_draft(rt(), actor(), region, xml_body(), file_name)
    return answer(s.ModelVersionSchema, draft, 201)


@bp.post(f"/regions/<region>/models/{VERSION}/publish")
@doc(
    "Een concept publiceren (met een toelichting, optioneel): nieuwe zaken starten erop",
    body=s.PublishSchema,
    body_required=False,
    response=s.ModelVersionSchema,
    errors=(403, 409, 422),
    tags=("modellen",),
)
def publish_model(region: str, version_id: int) -> Response:
    note = optional_json_body(s.PublishSchema)["note"]
    return answer(s.ModelVersionSchema, process_models.publish(rt(), actor(), region, version_id, note))


@bp.get("/regions/<region>/start-form")
@doc(
    "Het aanmeldformulier van de regio (voorbeelden ingevuld voor de regio)",
    query=s.ProcessQuerySchema,
    response=s.FormSchema,
    errors=(403,),
    tags=("zaken",),
)
def start_form(region: str) -> Response:
    process_id = query(s.ProcessQuerySchema)["process_id"]
    return answer(s.FormSchema, cases.start_form(rt(), actor(), region, process_id))


# ---- cases -----------------------------------------------------------------------------------


@bp.post("/cases")
@doc(
    "Een zaak starten met de aanmeldgegevens",
    body=s.StartCaseSchema,
    response=s.CaseSchema,
    status=201,
    errors=(403, 404, 409, 422),
    tags=("zaken",),
)
def start_case() -> Response:
    body = json_body(s.StartCaseSchema)
    case = cases.start_case(rt(), actor(), body["region"], body["data"], process_id=body["process_id"])
    response = answer(s.CaseSchema, case, 201)
    response.headers["Location"] = f"{request.script_root}/api/v1/cases/{case.id}"
    return response


@bp.get("/cases")
@doc(
    "De zaken die u mag zien, laatst actief eerst",
    query=s.CaseQuerySchema,
    response=s.CasePageSchema,
    tags=("zaken",),
)
def list_cases() -> Response:
    filters = query(s.CaseQuerySchema)
    return answer(
        s.CasePageSchema, page(cases.case_page(rt(), actor(), cases.CaseFilter(**filters)), filters)
    )


@bp.get(f"/cases/{CASE}")
@doc("Een zaak met open taken, timers, team en geschiedenis", response=s.CaseDetailSchema, tags=("zaken",))
def get_case(case_id: int) -> Response:
    return answer(s.CaseDetailSchema, cases.get_case(rt(), actor(), case_id))


@bp.get(f"/cases/{CASE}/access-log")
@doc(
    "Wie deze zaak inzag (coördinator en beheerder van de regio)",
    response=s.AccessLogSchema,
    errors=(403,),
    tags=("zaken",),
)
def case_access_log(case_id: int) -> Response:
    return answer(s.AccessLogSchema, {"items": cases.access_log(rt(), actor(), case_id)})


@bp.post(f"/cases/{CASE}/migrate")
@doc(
    "Een lopende zaak naar een andere gepubliceerde versie brengen (dry_run: alleen tonen)",
    body=s.MigrateSchema,
    response=s.MigrationReportSchema,
    errors=(403, 409, 422),
    tags=("zaken",),
)
def migrate_case(case_id: int) -> Response:
    body = json_body(s.MigrateSchema)
    report = migration.migrate_case(rt(), actor(), case_id, body["version_id"], dry_run=body["dry_run"])
    return answer(s.MigrationReportSchema, report)


@bp.get(f"/cases/{CASE}/messages")
@doc("De berichten waarop de zaak nu wacht", response=s.WaitingMessagesSchema, tags=("zaken",))
def waiting_messages(case_id: int) -> Response:
    return answer(s.WaitingMessagesSchema, {"items": messages.waiting_messages(rt(), actor(), case_id)})


@bp.post(f"/cases/{CASE}/messages")
@doc(
    "Een bericht aan de zaak sturen, bijvoorbeeld evaluatie_vervroegen (evaluatie naar voren halen)",
    body=s.MessageSchema,
    response=s.WaitingMessagesSchema,
    errors=(403, 409, 422),
    tags=("zaken",),
)
def send_message(case_id: int) -> Response:
    body = json_body(s.MessageSchema)
    remaining = messages.send_message(rt(), actor(), case_id, body["name"])
    return answer(s.WaitingMessagesSchema, {"items": remaining})


# ---- tasks -----------------------------------------------------------------------------------


@bp.get("/tasks")
@doc(
    "Uw inbox: taken aan u toegewezen en taken die uw rollen kunnen oppakken",
    query=s.TaskQuerySchema,
    response=s.TaskPageSchema,
    tags=("taken",),
)
def inbox() -> Response:
    filters = query(s.TaskQuerySchema)
    return answer(
        s.TaskPageSchema, page(tasks.inbox_page(rt(), actor(), tasks.TaskFilter(**filters)), filters)
    )


@bp.get(f"/tasks/{TASK}")
@doc("Een taak met formulier en huidige gegevens", response=s.TaskDetailSchema, tags=("taken",))
def get_task(task_id: str) -> Response:
    return answer(s.TaskDetailSchema, tasks.get_task(rt(), actor(), task_id))


@bp.post(f"/tasks/{TASK}/claim")
@doc("Een taak oppakken", response=s.TaskSchema, errors=(403, 409), tags=("taken",))
def claim_task(task_id: str) -> Response:
    return answer(s.TaskSchema, tasks.claim(rt(), actor(), task_id))


@bp.post(f"/tasks/{TASK}/unclaim")
@doc("Een taak teruggeven aan de pool", response=s.TaskSchema, errors=(403, 409), tags=("taken",))
def unclaim_task(task_id: str) -> Response:
    return answer(s.TaskSchema, tasks.unclaim(rt(), actor(), task_id))


@bp.post(f"/tasks/{TASK}/assign")
@doc(
    "Een taak toewijzen aan iemand met de rol van de taak",
    body=s.AssignSchema,
    response=s.TaskSchema,
    errors=(403, 409, 422),
    tags=("taken",),
)
def assign_task(task_id: str) -> Response:
    username = json_body(s.AssignSchema)["username"]
    return answer(s.TaskSchema, tasks.assign(rt(), actor(), task_id, username))


@bp.post(f"/tasks/{TASK}/complete")
@doc(
    "Een taak afronden met de formuliergegevens",
    body=s.CompleteSchema,
    response=s.TaskSchema,
    errors=(403, 409, 422),
    tags=("taken",),
)
def complete_task(task_id: str) -> Response:
    data = json_body(s.CompleteSchema)["data"]
    return answer(s.TaskSchema, tasks.complete(rt(), actor(), task_id, data))


# ---- simulated clock -------------------------------------------------------------------------


@bp.get("/clock")
@doc(
    "De gesimuleerde klok (beheerder, alleen in gesimuleerde modus)",
    response=s.ClockSchema,
    errors=(403,),
    tags=("klok",),
)
def show_clock() -> Response:
    return answer(s.ClockSchema, clock_control.show(rt(), actor()))


@bp.post("/clock")
@doc(
    "De klok verzetten ({advance: duur} of {set: tijdstip}) en de verlopen timers laten afgaan",
    body=s.ClockMoveSchema,
    response=s.ClockSchema,
    errors=(403, 422),
    tags=("klok",),
)
def move_clock() -> Response:
    body = json_body(s.ClockMoveSchema)
    state = clock_control.move(rt(), actor(), advance=body.get("advance"), moment=body.get("moment"))
    return answer(s.ClockSchema, state)


from web.api import designer as _designer  # noqa: E402,F401 - the designer's routes on this blueprint
