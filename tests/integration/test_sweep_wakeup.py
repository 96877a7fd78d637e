"""The sweep wakes when a timer is due rather than on a fixed beat: a transaction that stores a
timer announces its due moment (in this process, and by NOTIFY to other processes on PostgreSQL),
and the schedule plans its next sweep at the earliest announced moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import select
from sqlalchemy.engine import make_url

from engine import timer_wakeup
from engine.runtime import Runtime
from engine.storage.tables import Timer
from engine.sweep_schedule import DUE_JOB, SweepSchedule
from tests.factories import start_test_case, walk_to_monitoring


def test_a_stored_timer_is_announced_once_committed_with_its_due_moment(rt: Runtime) -> None:
    heard: list[datetime] = []
    stop = timer_wakeup.listen_locally(heard.append)
    listener = None
    if rt.db.dialect.name == "postgresql":
        url = make_url(rt.settings.database_url).set(drivername="postgresql")
        listener = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        listener.execute(f"LISTEN {timer_wakeup.CHANNEL}")
    try:
        case = start_test_case(rt)
        assert heard == []  # no timer yet
        walk_to_monitoring(rt, case.id)
    finally:
        stop()
    with rt.uow() as uow:
        due = uow.session.scalar(select(Timer.due_at).where(Timer.case_id == case.id))
    assert heard and heard[-1] == due
    if listener is not None:
        with listener:  # one note per transaction that stored a timer, in commit order
            notes = [n.payload for n in listener.notifies(timeout=5, stop_after=len(heard))]
        assert [datetime.fromisoformat(note) for note in notes] == heard


def test_the_next_sweep_is_planned_at_the_earliest_announced_moment(rt: Runtime) -> None:
    schedule = SweepSchedule(rt).start(paused=True)
    try:
        soon = datetime.now(UTC) + timedelta(hours=1)
        schedule.plan(soon + timedelta(minutes=30))
        schedule.plan(soon + timedelta(hours=2))  # later: the plan stays
        assert schedule.scheduler.get_job(DUE_JOB).next_run_time == soon + timedelta(minutes=30)
        schedule.plan(soon)  # earlier: the plan moves forward
        assert schedule.scheduler.get_job(DUE_JOB).next_run_time == soon
        schedule.plan(datetime.now(UTC) - timedelta(hours=1))  # past: left to the regular look
        assert schedule.scheduler.get_job(DUE_JOB).next_run_time == soon
        assert schedule.sweeps == 0
    finally:
        schedule.shutdown(wait=False)
