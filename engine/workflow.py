"""The engine's door to SpiffWorkflow: everything the services need from the `engine.spiff`
package (specs, the clock hook, the running instance, migration), under stable names. Services
import from here, never from SpiffWorkflow or the package's modules directly."""

from __future__ import annotations

from engine.spiff.clock_hook import DUE_TOLERANCE, use_clock
from engine.spiff.instance import (
    CaseWorkflow,
    Derived,
    TimerInfo,
    UserTaskInfo,
    task_finished_state,
    timer_fired,
)
from engine.spiff.migration import MigrationPlan, migrate, plan_migration
from engine.spiff.specs import SAFE_XML, SourceFile, freeze_spec, invalid_from_spiff, make_parser, parse_xml

__all__ = [
    "DUE_TOLERANCE",
    "SAFE_XML",
    "CaseWorkflow",
    "Derived",
    "MigrationPlan",
    "SourceFile",
    "TimerInfo",
    "UserTaskInfo",
    "freeze_spec",
    "invalid_from_spiff",
    "make_parser",
    "migrate",
    "parse_xml",
    "plan_migration",
    "task_finished_state",
    "timer_fired",
    "use_clock",
]
