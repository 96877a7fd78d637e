"""Database engines and schema upgrades. SQLite gets WAL, foreign keys and a busy timeout;
PostgreSQL a liveness check of connections that sat idle in the pool, generic plans and no JIT.
The schema only ever changes through alembic migrations."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from engine.storage import read_end, with_commit

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# A pooled connection idle for longer is pinged before use (a restarted database, a dropped link).
# One used more recently is as alive as a ping would show: a busy server pings nothing, where
# SQLAlchemy's pool_pre_ping costs a round trip on every checkout, two or three per request.
PING_AFTER_IDLE_S = 1.0
_RETURNED_AT = "mda_returned_at"
# Connections a pool keeps open: a serving process's threads (8) and its timer sweep, with one to
# spare. A busy process that needs more than the pool keeps opens and closes the extra connections
# (up to 10 more) over and over: a new PostgreSQL backend, and no prepared statements, each time.
POOL_SIZE = 10
# Every PostgreSQL session: a prepared statement is planned once, for any parameters (the lists'
# statements cost more to plan than to run: the inbox page 0.85 ms to plan on every custom-planned
# execution, 0.03 ms to run), and never JIT-compiled (a generic plan's cost estimate passes
# jit_above_cost and each execution spent 30 ms compiling what ran in 11 ms; JIT is for long
# analytic queries, not this workload's short ones).
POSTGRESQL_SESSION = "-c plan_cache_mode=force_generic_plan -c jit=off"


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; take the write lock up front so
        # two writers serialize instead of failing on lock upgrade.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_size=POOL_SIZE, connect_args={"options": POSTGRESQL_SESSION})
    event.listen(engine, "checkin", _note_return)
    event.listen(engine, "checkout", _ping_if_idle(engine))
    with_commit.listen(engine)
    read_end.listen(engine)
    return engine


def _note_return(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED_AT] = time.monotonic()


def _ping_if_idle(engine: Engine) -> Any:
    """The pool's checkout listener. A dead connection raises DisconnectionError, and the pool
    opens a fresh one instead (a database error on a connection in use invalidates the whole pool:
    SQLAlchemy's disconnect handling)."""
    dialect = engine.dialect
    driver_error = dialect.loaded_dbapi.Error

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned_at = record.info.get(_RETURNED_AT)
        if returned_at is None or time.monotonic() - returned_at < PING_AFTER_IDLE_S:
            return  # fresh from connect, or recently in use
        try:
            dialect.do_ping(dbapi_connection)
        except driver_error as error:
            raise DisconnectionError() from error

    return check


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (see make_engine)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    read_only = connection.get_execution_options().get("mda_read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
