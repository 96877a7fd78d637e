"""The unit of work: one session, one transaction per service call or job. Services commit;
queries never do. Database errors are translated here, once (`translate`): a stale case version or
a unique violation becomes a Conflict, a serialization failure a retryable Conflict, and a
database that cannot be reached (or answer) Unavailable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import TracebackType
from typing import NoReturn

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, MdaError, Unavailable
from engine.storage import read_end

# PostgreSQL serialization failure and deadlock: the loser may simply try again.
RETRYABLE_SQLSTATES = ("40001", "40P01")


def translate(error: BaseException) -> MdaError | None:
    """The engine error a database error stands for, or None when it is not a database error."""
    if isinstance(error, StaleDataError):
        return Conflict("De zaak is intussen door iemand anders gewijzigd.", code="stale_case")
    if isinstance(error, IntegrityError):
        return Conflict("De gegevens botsen met een gelijktijdige wijziging.", code="integrity")
    if isinstance(error, OperationalError) and getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return Conflict("Gelijktijdige wijziging; probeer het opnieuw.", code="concurrent")
    if isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    ):
        return Unavailable("De database is tijdelijk niet bereikbaar. Probeer het zo opnieuw.")
    return None


def _raise_translated(error: BaseException) -> NoReturn:
    engine_error = translate(error)
    if engine_error is None:
        raise error
    raise engine_error from error


class UnitOfWork:
    """One session and its transaction. With `autocommit`, for a service that only reads, or whose
    every write is one statement that stands alone (the access log of what it read), PostgreSQL
    runs each statement as its own transaction: under READ COMMITTED each statement sees its own
    snapshot anyway, so the reads are the same, and the request saves BEGIN and COMMIT (or a
    ROLLBACK, which also drops psycopg's prepared statements). SQLite keeps its transaction."""

    def __init__(self, session_factory: sessionmaker[Session], *, autocommit: bool = False) -> None:
        self.session_factory = session_factory
        self.autocommit = autocommit
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'with'")
        return self._session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    def __enter__(self) -> UnitOfWork:
        self._session = self.session_factory()
        if self.autocommit and self.dialect == "postgresql":
            try:
                self._session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            except DBAPIError as error:
                self._session.close()
                self._session = None
                _raise_translated(error)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        session, self._session = self._session, None
        try:
            if exc is None and not self.autocommit:
                read_end.end_if_only_read(session)  # a read-only transaction: COMMIT, not ROLLBACK
            session.close()  # rolls back anything uncommitted; loaded values stay readable
        except DBAPIError as error:
            if exc is None:
                _raise_translated(error)
        # A database error may surface anywhere inside the service (an autoflush, a query).
        if exc is not None and not isinstance(exc, MdaError) and (engine_error := translate(exc)):
            raise engine_error from exc

    def flush(self) -> None:
        try:
            self.session.flush()
        except (DBAPIError, StaleDataError) as error:
            _raise_translated(error)

    def commit(self) -> None:
        try:
            self.session.commit()
        except (DBAPIError, StaleDataError) as error:
            with suppress(DBAPIError):  # the connection may be gone with the database
                self.session.rollback()
            _raise_translated(error)

    def rollback(self) -> None:
        self.session.rollback()


@contextmanager
def read_only(engine: Engine) -> Iterator[Connection]:
    """One connection for a few reads that change nothing and need no snapshot of their own (who is
    asking, the simulated clock). On PostgreSQL it runs in autocommit, so a read costs one round
    trip, not BEGIN, SELECT and ROLLBACK (a rollback also drops psycopg's prepared statements); on
    SQLite a deferred transaction, so it never queues behind a writer. Database errors are
    translated as in a unit of work."""
    if engine.dialect.name == "postgresql":
        options: dict[str, object] = {"isolation_level": "AUTOCOMMIT"}
    else:
        options = {"mda_read_only": True}
    try:
        with engine.connect() as connection:
            yield connection.execution_options(**options)
    except DBAPIError as error:
        _raise_translated(error)
