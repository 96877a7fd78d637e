"""The ORM tables. A case row carries the serialized workflow and a version counter; every list
the application shows is answered from the derived rows (tasks, timers, case summary columns)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every database (SQLite would hand back naive values)."""

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        return dialect.type_descriptor(DateTime(timezone=dialect.name != "sqlite"))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Region(Base):
    __tablename__ = "regions"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    # Coordinator monitoring (issue 12): where notifications are e-mailed (none: in-app only).
    email: Mapped[str | None] = mapped_column(String(254))


class UserRole(Base):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "region", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.key"))
    role: Mapped[str] = mapped_column(String(40))


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class LoginFailure(Base):
    """A failed login, stamped with the wall clock; engine/throttling.py slows the guesser per
    (username, address) pair and per address, never the account itself."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_pair", "username", "address", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class ModelVersion(Base):
    """One immutable version of one BPMN process (or DMN decision) of a region."""

    __tablename__ = "model_versions"
    __table_args__ = (UniqueConstraint("region", "process_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.key"), index=True)
    process_id: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10), default="bpmn")  # bpmn | dmn
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(12), default="draft")  # draft | published | retired
    name: Mapped[str] = mapped_column(String(200), default="")
    file_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = deferred(mapped_column(Text))
    # Frozen at publication: the serialized spec with every called subprocess and decision, so a
    # running case never depends on files or on later versions.
    spec_json: Mapped[str | None] = deferred(mapped_column(Text))
    start_form_key: Mapped[str | None] = mapped_column(String(80))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    # Process designer (migration 0005): where the text came from (repository | upload | designer),
    # who published it with which note, and the problems the checks found when it was last saved.
    origin: Mapped[str] = mapped_column(String(12), default="repository", server_default="repository")
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[list[Any]] = mapped_column(default=list)


class Case(Base):
    """A case is never hard-deleted through the product (no service, command or route does it): it
    closes. Its events and access-log rows restrict deletion, so even retention by hand keeps them."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_region_status", "region", "status"),
        # performance (migration 0009): a region's cases by last activity, for keyset paging
        Index("ix_cases_region_activity", "region", "last_activity_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.key"))
    process_id: Mapped[str] = mapped_column(String(120))
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id"))
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | closed
    phase: Mapped[str] = mapped_column(String(20), default="aanmelding")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    last_activity_at: Mapped[datetime] = mapped_column(index=True)
    closed_at: Mapped[datetime | None]
    # Derived like the task rows: the messages the case waits for now (e.g. evaluatie_vervroegen).
    waiting_messages: Mapped[list[Any]] = mapped_column(default=list)
    state: Mapped[str] = deferred(mapped_column(Text))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    __mapper_args__ = {"version_id_col": version}


class CaseTeamMember(Base):
    __tablename__ = "case_team"
    __table_args__ = (
        UniqueConstraint("case_id", "role"),
        # lists (migration 0010): a person's cases, read from the index alone
        Index("ix_case_team_user_case", "user_id", "case_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))


class Task(Base):
    """A user task as the inbox sees it; the id is SpiffWorkflow's task id."""

    __tablename__ = "tasks"
    __table_args__ = (
        # lists (migration 0010): a pool and a person's tasks each walked in the inbox order (the
        # pool with its case ids and reservations: neither reads the table), and a case's
        # open work asked from the index alone (the case list's claimable branch); a person's tasks with
        # their case ids and roles (the case list's assigned-work branch reads no task row)
        Index(
            "ix_tasks_pool_due",
            "status",
            "region",
            "role",
            "assignee_id",
            "due_at",
            "created_at",
            "id",
            "case_id",
            "phase",  # web inbox (migration 0011): the filter counts per phase from the index alone
            "reserved_for",  # migration 0014: whom a pool task is kept for, read from the index
        ),
        Index(
            "ix_tasks_assignee_due",
            "assignee_id",
            "status",
            "due_at",
            "created_at",
            "id",
            "case_id",
            "role",
            "phase",  # web inbox (migration 0011): filter counts per phase and region
            "region",
        ),
        Index("ix_tasks_case_open", "case_id", "status", "region", "role", "assignee_id", "reserved_for"),
        Index("ix_tasks_due", "status", "due_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(String(40))
    spec_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(40))
    form_key: Mapped[str | None] = mapped_column(String(80))
    phase: Mapped[str | None] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The case team's member holding the task's role, kept with the task so that the pool lists
    # (`access.claimable`) need not probe the case team per task row: set when the row is made and
    # when that place on the team is filled (`tasks.apply_person_fields`).
    reserved_for: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | completed | cancelled
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # While open: the form's fields as the case data fills them; once completed: what was submitted.
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Timer(Base):
    """A waiting timer of a case; the sweep reads due rows from the due_at index."""

    __tablename__ = "timers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    spec_id: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime] = mapped_column(index=True)
    # Coordinator monitoring (issue 12): since when the case waits here (heatmap, element rule).
    created_at: Mapped[datetime | None]


class Event(Base):
    """Append-only audit trail of every change (who, what, when, data changed). It outlives its
    case: the foreign key restricts, so a case with a trail cannot be deleted (migration 0003)."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AccessLog(Base):
    """NEN 7513: who read which case, when, in which role, what kind of access. Kept whatever
    happens to the case: the foreign key restricts deleting a case that was ever read."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_case_at", "case_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="RESTRICT"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(40))


class SystemSetting(Base):
    """Small persisted settings: the simulated clock's now, whether demo data was loaded."""

    __tablename__ = "system_settings"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# ---- coordinator monitoring (issue 12): stuck rules, phases, escalations, notifications --------


class StuckRule(Base):
    """A region's stuck-case rule as its coordinator set it; without a row the default of
    config/monitoring.py applies. `subject` is the phase or BPMN element a rule is about."""

    __tablename__ = "stuck_rules"
    __table_args__ = (UniqueConstraint("region", "kind", "subject"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(ForeignKey("regions.key"))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(120), default="")
    days: Mapped[int]
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime]


class PhasePeriod(Base):
    """When a case entered and left a phase: lead time per phase and the phase-norm rule."""

    __tablename__ = "phase_periods"
    __table_args__ = (Index("ix_phase_periods_region_phase", "region", "phase"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(40))
    phase: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class Escalation(Base):
    """One lapse of one case (a rule caught it at `since_at`) and how far up the ladder it went.
    `lapse_key` is unique, so concurrent sweeps cannot open the same lapse twice."""

    __tablename__ = "escalations"
    __table_args__ = (Index("ix_escalations_due", "status", "next_step_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lapse_key: Mapped[str] = mapped_column(String(250), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    region: Mapped[str] = mapped_column(String(40), index=True)
    rule_kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(120), default="")
    task_id: Mapped[str | None] = mapped_column(String(36))
    since_at: Mapped[datetime]
    level: Mapped[int] = mapped_column(default=0)  # ladder steps taken
    next_step_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(14), default="open")  # open | acknowledged | resolved
    created_at: Mapped[datetime]
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None]
    on_agenda_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]


class Notification(Base):
    """An in-app notice for one person and its e-mail. It carries a reference and a link only;
    `dedupe_key` is unique, so one event never notifies one person twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_mail", "mail_status", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(250), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    mail_status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | sent | none
    mail_sent_at: Mapped[datetime | None]


# ---- sessions (issue 8: logout and revocation end a session at once) ----------------------------


class UserSession(Base):
    """A signed-in browser session, kept server-side: the cookie carries a random secret, this row
    its SHA-256 digest. Deleting the row ends the session (logout, revocation, deactivation, a new
    password); the times are wall-clock times for the idle and absolute limits."""

    __tablename__ = "user_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(index=True)


# ---- web app (issue 9): inbox filters a user saved under a name -------------------------------


class SavedFilter(Base):
    """An inbox filter saved by its user under a name; `query` holds the filter fields only."""

    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]


# --- domain (issue 10): a household that comes back is recognised and its cases are linked ---------


class CaseHousehold(Base):
    """The household a case is about, as a digest of the key the registration gave (for example the
    Veilig Thuis file number), so a later registration of the same household finds it."""

    __tablename__ = "case_households"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    region: Mapped[str] = mapped_column(String(40))
    key_digest: Mapped[str] = mapped_column(String(64))
    __table_args__ = (Index("ix_case_households_region_key", "region", "key_digest"),)


class CaseLink(Base):
    """A later case of a household linked to an earlier one."""

    __tablename__ = "case_links"
    __table_args__ = (UniqueConstraint("case_id", "earlier_case_id", name="uq_case_links_pair"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    earlier_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]


# ---- process designer (migration 0005) --------------------------------------------------------


class ModelTrial(Base):
    """A throw-away case a designer runs on a draft: its own workflow state and its own simulated
    moment, so nothing of it reaches the cases, tasks, timers, lists or metrics."""

    __tablename__ = "model_trials"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(ForeignKey("regions.key"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    now: Mapped[datetime]
    path: Mapped[list[Any]] = mapped_column(default=list)  # BPMN ids in the order they finished
    spec_json: Mapped[str] = deferred(mapped_column(Text))
    state: Mapped[str] = deferred(mapped_column(Text))
    created_at: Mapped[datetime]
