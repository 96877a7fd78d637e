"""The dashboard's tables, once: shown beside each chart (the accessible version) and exported as
CSV. Plain rows of the engine's figures; formatting for people stays in the templates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import NotFound
from engine.monitoring import metrics, overview
from engine.monitoring.metrics import RegionMetrics
from engine.runtime import Actor, Runtime

DASHBOARD = ("open_per_phase", "inflow", "lead_times", "overdue_per_role", "closures", "heatmap")
CSV_TABLES = (*DASHBOARD, "stuck", "overdue", "escalations")


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    header: list[str]
    rows: list[list[Any]]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def dashboard_tables(figures: RegionMetrics) -> dict[str, Table]:
    return {
        "open_per_phase": Table(
            "open_per_phase",
            "Open zaken per fase",
            ["Fase", "Aantal"],
            [[p, n] for p, n in figures.open_per_phase.items()],
        ),
        "inflow": Table(
            "inflow",
            "Instroom per maand tegen de doelstelling",
            ["Maand", "Instroom", "Doel (min)", "Doel (max)"],
            [[m.month, m.count, _round(m.target_low), _round(m.target_high)] for m in figures.inflow],
        ),
        "lead_times": Table(
            "lead_times",
            "Doorlooptijd per fase in dagen",
            ["Fase", "Aantal", "Mediaan", "90e percentiel"],
            [[t.phase, t.count, _round(t.median_days), _round(t.p90_days)] for t in figures.lead_times],
        ),
        "overdue_per_role": Table(
            "overdue_per_role",
            "Taken over de termijn per rol",
            ["Rol", "Aantal"],
            [[r, n] for r, n in figures.overdue_per_role.items()],
        ),
        "closures": Table(
            "closures",
            "Afgesloten zaken per reden",
            ["Reden", "Aantal"],
            [[r, n] for r, n in figures.closures.items()],
        ),
        "heatmap": Table(
            "heatmap",
            "Waar zaken nu wachten",
            ["Element", "Naam", "Zaken", "Mediane wachttijd (dagen)"],
            [[h.element_id, h.name, h.count, _round(h.median_days)] for h in figures.heatmap],
        ),
    }


def csv_table(rt: Runtime, actor: Actor, region: str, key: str) -> tuple[str, list[str], list[list[Any]]]:
    """(caption, header, rows) of one table, from the same engine call as its page. Raises
    NotFound (no such table)."""
    if key not in CSV_TABLES:
        raise NotFound("Deze tabel bestaat niet.", code="unknown_table")
    if key in DASHBOARD:
        table = dashboard_tables(metrics.region_metrics(rt, actor, region))[key]
        return table.caption, table.header, table.rows
    if key == "stuck":
        found = overview.stuck_cases(rt, actor, region)
        return (
            "Vastgelopen zaken",
            ["Zaak", "Fase", "Regels", "Sinds", "Escalatiestap"],
            [
                [
                    s.case_id,
                    s.phase,
                    ", ".join(h.label for h in s.rules),
                    s.since_at.isoformat(),
                    s.escalation.level if s.escalation else "",
                ]
                for s in found
            ],
        )
    if key == "overdue":
        late = overview.overdue_tasks(rt, actor, region)
        return (
            "Taken over de termijn",
            ["Zaak", "Taak", "Rol", "Toegewezen aan", "Termijn", "Dagen over"],
            [
                [t.case_id, t.name, t.role, t.assignee or "", t.due_at.isoformat(), t.days_overdue]
                for t in late.items
            ],
        )
    found_escalations = overview.escalations(rt, actor, region)
    return (
        "Escalaties",
        ["Zaak", "Regel", "Sinds", "Stap", "Status"],
        [
            [e.case_id, e.rule_kind, e.since_at.isoformat(), f"{e.level}/{e.of}", e.status]
            for e in found_escalations
        ],
    )


def safe_cell(value: Any) -> Any:
    """No cell may start a spreadsheet formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def chart_specs(figures: RegionMetrics) -> dict[str, dict[str, Any]]:
    """What monitor-charts.js draws with Chart.js, per table (the table beside it has the numbers)."""

    def bar(labels: list[str], *series: tuple[str, list[Any]]) -> dict[str, Any]:
        return {"type": "bar", "labels": labels, "datasets": [{"label": n, "data": d} for n, d in series]}

    inflow = {
        "type": "line",
        "labels": [m.month for m in figures.inflow],
        "datasets": [
            {"label": "Instroom", "data": [m.count for m in figures.inflow]},
            {"label": "Doel (min)", "data": [_round(m.target_low) for m in figures.inflow]},
            {"label": "Doel (max)", "data": [_round(m.target_high) for m in figures.inflow]},
        ],
    }
    lead = figures.lead_times
    return {
        "open_per_phase": bar(
            list(figures.open_per_phase), ("Open zaken", list(figures.open_per_phase.values()))
        ),
        "inflow": inflow,
        "lead_times": bar(
            [t.phase for t in lead],
            ("Mediaan (dagen)", [_round(t.median_days) for t in lead]),
            ("90e percentiel (dagen)", [_round(t.p90_days) for t in lead]),
        ),
        "overdue_per_role": bar(
            list(figures.overdue_per_role), ("Te laat", list(figures.overdue_per_role.values()))
        ),
        "closures": bar(list(figures.closures), ("Afgesloten", list(figures.closures.values()))),
    }
