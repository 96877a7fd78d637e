"""The process designer's pages (issue 11): a region's models with their history, the modeler
(bpmn-js / dmn-js, enhanced by web/static/js/designer.js over the JSON API), the model as text,
the comparison, publishing with a note and migrating running cases. Every rule is the engine's."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from config.settings import REGIONS, ROLES
from engine import migration, model_compare, model_outline, process_models
from engine.errors import Invalid
from web import pages

bp = pages.init_blueprint(Blueprint("designer", __name__))
VERSION = "<int(max=2147483647):version_id>"


@bp.get("/designer")
def index() -> Response | str:
    regions = process_models.designer_regions(pages.actor())
    if len(regions) == 1:
        return redirect(url_for("designer.region", region=regions[0]))
    return render_template("designer/index.html", regions=regions)


@bp.get("/regions/<region>/designer")
def region(region: str) -> str:
    history = process_models.history(pages.rt(), pages.actor(), region)
    processes: dict[str, list[process_models.HistoryEntry]] = {}
    for entry in history:
        processes.setdefault(entry.process_id, []).append(entry)
    others = [r for r in process_models.published_by_region(pages.rt()) if r.key != region]
    return render_template("designer/region.html", region=region, processes=processes, others=others)


@bp.get(f"/regions/<region>/designer/{VERSION}")
def modeler(region: str, version_id: int) -> str:
    info, _ = process_models.get_version(pages.rt(), pages.actor(), region, version_id)
    return render_template("designer/modeler.html", region=region, version=info, roles=ROLES)


@bp.get(f"/regions/<region>/designer/{VERSION}/outline")
def outline(region: str, version_id: int) -> str:
    info, text = process_models.get_version(pages.rt(), pages.actor(), region, version_id)
    return render_template("designer/outline.html", region=region, version=info,
                           sections=model_outline.outline(text))  # fmt: skip


@bp.get("/regions/<region>/designer/compare")
def compare(region: str) -> str:
    other = request.args.get("other", "")  # "<region>:<version id>" from the region form
    left_region, _, left_id = (
        other.partition(":") if other else (request.args.get("left_region") or region, "", "")
    )
    left, right = _id_arg("left", left_id), _id_arg("right")
    if left_region not in REGIONS:
        abort(404)
    actor = pages.actor()
    if left_region == region:
        result = model_compare.compare_versions(pages.rt(), actor, region, left, right)
    else:
        result = model_compare.compare_with_region(pages.rt(), actor, region, right, left_region, left)
    left_changed = [c.other_id or c.id for c in result.changes if c.change == "changed"]
    return render_template(
        "designer/compare.html", region=region, comparison=result, left_changed=left_changed
    )


@bp.get(f"/regions/<region>/designer/source/<other_region>/{VERSION}.xml")
def comparable_source(region: str, other_region: str, version_id: int) -> Response:
    """The XML behind a comparison's diagrams (another region's only when published)."""
    text = model_compare.comparable_source(pages.rt(), pages.actor(), region, other_region, version_id)
    return Response(text, mimetype="application/xml")


def _id_arg(name: str, given: str = "") -> int:
    value = given or request.args.get(name, "")
    if not value.isdigit() or not 0 < int(value) < 2**31:
        raise Invalid("Kies twee versies om te vergelijken.", code="bad_request")
    return int(value)


@bp.post(f"/regions/<region>/designer/{VERSION}/publish")
def publish(region: str, version_id: int) -> Response:
    note = request.form.get("note", "")
    try:
        version = process_models.publish(pages.rt(), pages.actor(), region, version_id, note)
    except Invalid as error:
        count = len(error.details) if isinstance(error.details, list) else 0
        flash(
            f"Niet gepubliceerd: {error.message}" + (f" ({count} probleem/problemen)" if count else ""),
            "error",
        )
        return redirect(url_for("designer.modeler", region=region, version_id=version_id))
    flash(f"Versie {version.version} van {version.process_id} is gepubliceerd.", "ok")
    return redirect(url_for("designer.region", region=region))


@bp.get(f"/regions/<region>/designer/{VERSION}/migration")
def migration_plan(region: str, version_id: int) -> str:
    info, _ = process_models.get_version(pages.rt(), pages.actor(), region, version_id)
    plans = migration.plan_batch(pages.rt(), pages.actor(), region, version_id)
    return render_template("designer/migration.html", region=region, version=info, plans=plans, results=None)


@bp.post(f"/regions/<region>/designer/{VERSION}/migration")
def migrate(region: str, version_id: int) -> str:
    info, _ = process_models.get_version(pages.rt(), pages.actor(), region, version_id)
    chosen = [int(v) for v in request.form.getlist("case_id") if v.isdigit() and int(v) < 2**31]
    if not chosen:
        flash("Kies minstens één zaak om te migreren.", "error")
    results = migration.migrate_batch(pages.rt(), pages.actor(), region, version_id, chosen) if chosen else []
    plans = migration.plan_batch(pages.rt(), pages.actor(), region, version_id)
    return render_template(
        "designer/migration.html", region=region, version=info, plans=plans, results=results
    )
