"""When the timer sweep runs (APScheduler, in `mda serve` and `mda worker`): right at start, so
overdue timers fire once after downtime; at the next due moment on the system clock; as soon as a
transaction announces an earlier timer (engine.timer_wakeup: NOTIFY on PostgreSQL, in-process
otherwise); and every `sweep_seconds` a look at the earliest due row, which sweeps only when
something is due (it finds timers other processes stored on SQLite, and timers a moved simulated
clock made due). Any number of processes may run this: the sweep's claim keeps timers exactly-once."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from engine import timer_wakeup, timers
from engine.monitoring.escalation import run_escalations
from engine.runtime import Runtime

log = logging.getLogger(__name__)
LOOK_JOB = "timer-look"
DUE_JOB = "timer-due"
ESCALATION_JOB = "escalation-sweep"


class SweepSchedule:
    def __init__(self, rt: Runtime) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        self.rt = rt
        self.scheduler: Any = BackgroundScheduler(timezone="UTC")
        self.sweeps = 0
        self._sweeping = threading.Lock()
        self._planning = threading.Lock()
        self._stop = threading.Event()
        self._stop_local: Callable[[], None] = lambda: None

    def start(self, *, paused: bool = False) -> SweepSchedule:
        """Start sweeping (`paused`: plan only, run nothing; for a look at the plan)."""
        self.scheduler.add_job(
            self.look, "interval", seconds=self.rt.settings.sweep_seconds, max_instances=1, coalesce=True,
            id=LOOK_JOB, next_run_time=datetime.now(UTC),  # APScheduler runs on wall time
        )  # fmt: skip
        self.scheduler.add_job(  # coordinator monitoring: the escalation ladder and its mail
            run_escalations, "interval", args=[self.rt], seconds=self.rt.settings.escalation_seconds,
            max_instances=1, coalesce=True, id=ESCALATION_JOB, next_run_time=datetime.now(UTC),
        )  # fmt: skip
        self.scheduler.start(paused=paused)
        if not self.rt.clock.is_simulated:
            self._stop_local = timer_wakeup.listen_locally(self.plan)
            if self.rt.db.dialect.name == "postgresql":
                timer_wakeup.listen_postgresql(self.rt.db, self.plan, self._stop)
        return self

    def shutdown(self, wait: bool = True) -> None:
        self._stop.set()
        self._stop_local()
        self.scheduler.shutdown(wait=wait)

    def look(self) -> None:
        """Sweep when a timer is due (always on the simulated clock: its time jumps), else plan."""
        if self.rt.clock.is_simulated:
            self.sweep()
            return
        due = timers.next_due_at(self.rt)
        if due is not None and due <= self.rt.clock.now():
            self.sweep()
        else:
            self.plan(due)

    def sweep(self) -> None:
        if not self._sweeping.acquire(blocking=False):
            return  # this process sweeps already; that sweep plans the next one
        try:
            self.sweeps += 1
            result = timers.run_due(self.rt)
            if result.cases_advanced or result.errors:
                log.info(
                    "timer sweep: %d case(s) advanced, %d error(s)", result.cases_advanced, len(result.errors)
                )
        finally:
            self._sweeping.release()
        if not self.rt.clock.is_simulated:
            self.plan(timers.next_due_at(self.rt))

    def plan(self, due: datetime | None) -> None:
        """Sweep at `due` unless a sweep is planned before it. A moment already past is left to
        the regular look (a case that keeps failing must not make the sweep spin)."""
        if due is None or self._stop.is_set():
            return
        now = datetime.now(UTC)
        if due <= now - timedelta(seconds=1):
            return
        with self._planning:
            planned = self.scheduler.get_job(DUE_JOB)
            if planned is not None and planned.next_run_time is not None and planned.next_run_time <= due:
                return
            self.scheduler.add_job(
                self.sweep, "date", run_date=max(due, now), id=DUE_JOB, replace_existing=True,
                misfire_grace_time=None,
            )  # fmt: skip
