"""Defaults of coordinator monitoring (issue 12). A region's coordinator overrides the stuck rules
in the database (engine/monitoring/rules.py); everything else here is the national default with
the source it comes from. Plain data: nothing here reads the environment or the database."""

from __future__ import annotations

from dataclasses import dataclass, field

# Rule kinds, in the order the coordinator's page lists them.
RULE_KINDS: tuple[str, ...] = (
    "idle",  # no activity for N days while no timer waits for the case
    "task_overdue",  # an open task past its due moment by N days
    "evaluation_missed",  # an evaluation task open N days after its moment came
    "no_casusregisseur",  # no casusregisseur appointed N days after the consultation
    "phase_too_long",  # in one phase (subject) longer than the region's norm
    "element_wait",  # waiting at one BPMN element (subject) longer than N days
)

RULE_LABELS: dict[str, str] = {
    "idle": "Geen activiteit",
    "task_overdue": "Taak over de termijn",
    "evaluation_missed": "Evaluatie gemist",
    "no_casusregisseur": "Geen casusregisseur na consultatie",
    "phase_too_long": "Te lang in één fase",
    "element_wait": "Te lang wachtend bij één processtap",
}

# (kind, subject) -> days. Phase norms: plan within six weeks (HvB, domain 002:3468-3469); VT
# investigation at most ten weeks (002:3123-3124); a case runs one to one and a half years
# (000:394, 000:538-539). No element rules by default: the coordinator adds them per element.
DEFAULT_RULES: dict[tuple[str, str], int] = {
    ("idle", ""): 30,
    ("task_overdue", ""): 0,
    ("evaluation_missed", ""): 14,
    ("no_casusregisseur", ""): 14,
    ("phase_too_long", "aanmelding"): 14,
    ("phase_too_long", "triage"): 28,
    ("phase_too_long", "analyse"): 70,
    ("phase_too_long", "plan"): 42,
    ("phase_too_long", "monitoring"): 548,
    ("phase_too_long", "opschaling"): 56,
}

# The escalation ladder (opschaling, domain P6: casusregisseur -> procesregisseur -> consultatieteam
# / management): days after the lapse began at which each step notifies whom.
LADDER: tuple[tuple[str, int], ...] = (("assignee", 0), ("procesregisseur", 3), ("coordinator", 7))

# Yearly inflow targets (low, high): first pilot year, then the years after. NML: 10-15 cases in
# the first year, 35-50 a year in years two and three (seed 000:401-402); Haaglanden: the top 50
# cases a year (003:11). Other regions state none.
INFLOW_TARGETS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "nml": ((10, 15), (35, 50)),
    "haaglanden": ((50, 50), (50, 50)),
}


@dataclass(frozen=True)
class MonitoringConfig:
    """What identifies evaluations and closure reasons in the process library's models and forms."""

    evaluation_forms: tuple[str, ...] = ("evaluatie", "jaarevaluatie")
    evaluation_timers: tuple[str, ...] = ("timer_evaluatie", "timer_jaar", "timer_verlenging")
    closure_reason_fields: tuple[str, ...] = ("afsluitreden", "reden_niet_passend", "vervolg_na_crisis")
    consultation_phase: str = "analyse"
    due_window_days: int = 30
    default_rules: dict[tuple[str, str], int] = field(default_factory=lambda: dict(DEFAULT_RULES))
