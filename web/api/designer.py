"""The process designer's JSON API (issue 11): drafts that are always saved, history, outline,
comparison, trial runs on a draft and batch migration. Routes hang on the API blueprint; every
rule (who may, what is logged) lives in the engine."""

from __future__ import annotations

from flask import Response

from engine import migration, model_compare, model_outline, model_trials, process_models
from web.api import designer_schemas as d
from web.api.openapi import doc
from web.api.parsing import json_body, optional_json_body, query, xml_body
from web.api.schemas import ModelVersionSchema, UploadQuerySchema
from web.api.views import VERSION, actor, answer, bp, rt

TRIAL = "<int(max=2147483647):trial_id>"
TAGS = ("ontwerper",)


@bp.get("/forms")
@doc(
    "De formulieren die een gebruikerstaak kan krijgen (sleutel en titel)",
    response=d.FormListSchema,
    tags=TAGS,
)
def form_list() -> Response:
    actor()  # any signed-in person; definitions hold no case data
    forms = sorted(rt().forms.values(), key=lambda form: form.key)
    return answer(d.FormListSchema, {"items": [{"key": f.key, "title": f.title} for f in forms]})


@bp.post("/regions/<region>/drafts")
@doc(
    "Concept opslaan, ook met problemen (base: het concept dat u bewerkt wordt bijgewerkt)",
    query=d.DraftQuerySchema,
    body_type="application/xml",
    response=ModelVersionSchema,
    errors=(403, 422),
    tags=TAGS,
)
def save_draft(region: str) -> Response:
    q = query(d.DraftQuerySchema)
    draft = process_models.save_draft(rt(), actor(), region, xml_body(), q["file_name"], q["base"])
    return answer(ModelVersionSchema, draft)


@bp.post("/regions/<region>/check")
@doc(
    "Een (nog niet opgeslagen) model controleren: de problemen per element",
    query=UploadQuerySchema,
    body_type="application/xml",
    response=d.ProblemListSchema,
    errors=(403, 422),
    tags=TAGS,
)
def check(region: str) -> Response:
    file_name = query(UploadQuerySchema)["file_name"]
    problems = process_models.check_problems(rt(), actor(), region, xml_body(), file_name)
    return answer(d.ProblemListSchema, {"items": problems})


@bp.get("/regions/<region>/history")
@doc("Alle versies met wie, wanneer en toelichting", query=d.HistoryQuerySchema, response=d.HistorySchema,
     errors=(403,), tags=TAGS)  # fmt: skip
def history(region: str) -> Response:
    process_id = query(d.HistoryQuerySchema)["process_id"]
    return answer(d.HistorySchema, {"items": process_models.history(rt(), actor(), region, process_id)})


@bp.get(f"/regions/<region>/models/{VERSION}/download")
@doc("De XML van een versie als bestand", response_type="application/xml", errors=(403,), tags=TAGS)
def download(region: str, version_id: int) -> Response:
    info, text = process_models.get_version(rt(), actor(), region, version_id)
    name = f"{info.process_id}-v{info.version}.{info.kind}"
    return Response(
        text, mimetype="application/xml", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get(f"/regions/<region>/models/{VERSION}/outline")
@doc(
    "Het model als tekst: per lane de stappen op volgorde", response=d.OutlineSchema, errors=(403,), tags=TAGS
)
def outline(region: str, version_id: int) -> Response:
    _, text = process_models.get_version(rt(), actor(), region, version_id)
    sections = model_outline.outline(text)
    return answer(d.OutlineSchema, {"sections": sections, "text": model_outline.outline_text(sections)})


@bp.get("/regions/<region>/compare")
@doc(
    "Twee versies vergelijken (left_region: een gepubliceerde versie van een andere regio)",
    query=d.CompareQuerySchema,
    response=d.ComparisonSchema,
    errors=(403, 422),
    tags=TAGS,
)
def compare(region: str) -> Response:
    q = query(d.CompareQuerySchema)
    if q["left_region"] and q["left_region"] != region:
        result = model_compare.compare_with_region(
            rt(), actor(), region, q["right"], q["left_region"], q["left"]
        )
    else:
        result = model_compare.compare_versions(rt(), actor(), region, q["left"], q["right"])
    return answer(d.ComparisonSchema, result)


@bp.post(f"/regions/<region>/models/{VERSION}/trials")
@doc(
    "Een proefzaak op een concept starten (gesimuleerde klok; raakt geen echte zaken)",
    body=d.TrialDataSchema,
    body_required=False,
    response=d.TrialSchema,
    status=201,
    errors=(403, 422),
    tags=TAGS,
)
def start_trial(region: str, version_id: int) -> Response:
    data = optional_json_body(d.TrialDataSchema)["data"]
    return answer(d.TrialSchema, model_trials.start_trial(rt(), actor(), region, version_id, data), 201)


@bp.get(f"/regions/<region>/trials/{TRIAL}")
@doc("Een proefzaak: pad, open taken, timers, gegevens", response=d.TrialSchema, errors=(403,), tags=TAGS)
def get_trial(region: str, trial_id: int) -> Response:
    return answer(d.TrialSchema, model_trials.get_trial(rt(), actor(), region, trial_id))


@bp.post(f"/regions/<region>/trials/{TRIAL}/tasks/<task_id:task_id>/complete")
@doc(
    "Een taak van de proefzaak afronden (zonder gegevens: de voorbeelden van het formulier)",
    body=d.TrialDataSchema,
    body_required=False,
    response=d.TrialSchema,
    errors=(403, 409, 422),
    tags=TAGS,
)
def complete_trial_task(region: str, trial_id: int, task_id: str) -> Response:
    data = optional_json_body(d.TrialDataSchema)["data"]
    state = model_trials.complete_trial_task(rt(), actor(), region, trial_id, task_id, data)
    return answer(d.TrialSchema, state)


@bp.post(f"/regions/<region>/trials/{TRIAL}/clock")
@doc(
    "De klok van de proefzaak verzetten (zonder duur: naar de volgende timer)",
    body=d.TrialClockSchema,
    body_required=False,
    response=d.TrialSchema,
    errors=(403, 422),
    tags=TAGS,
)
def move_trial_clock(region: str, trial_id: int) -> Response:
    advance = optional_json_body(d.TrialClockSchema)["advance"]
    return answer(d.TrialSchema, model_trials.advance_trial(rt(), actor(), region, trial_id, advance))


@bp.get(f"/regions/<region>/models/{VERSION}/migration")
@doc(
    "Proefmigratie: per lopende zaak van dit proces wat er zou gebeuren",
    response=d.MigrationBatchSchema,
    errors=(403, 422),
    tags=TAGS,
)
def plan_migration(region: str, version_id: int) -> Response:
    return answer(d.MigrationBatchSchema, {"items": migration.plan_batch(rt(), actor(), region, version_id)})


@bp.post(f"/regions/<region>/models/{VERSION}/migration")
@doc(
    "De gekozen zaken migreren, elk apart; wat niet veilig kan blijft staan en wordt gemeld",
    body=d.MigrateCasesSchema,
    response=d.MigrationBatchSchema,
    errors=(403, 422),
    tags=TAGS,
)
def migrate_cases(region: str, version_id: int) -> Response:
    case_ids = json_body(d.MigrateCasesSchema)["case_ids"]
    results = migration.migrate_batch(rt(), actor(), region, version_id, case_ids)
    return answer(d.MigrationBatchSchema, {"items": results})
