"""The unit of work: one session, one transaction per service call or job. Services commit;
queries never do. A stale case version or a unique violation becomes a Conflict."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
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
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        self._session.close()  # rolls back anything uncommitted; loaded values stay readable
        self._session = None
        # A stale write can surface from an autoflush inside the service, before commit().
        if isinstance(exc, StaleDataError):
            raise Conflict("De zaak is intussen door iemand anders gewijzigd.", code="stale_case") from exc
        if isinstance(exc, IntegrityError):
            raise Conflict("De gegevens botsen met een gelijktijdige wijziging.", code="integrity") from exc
        if isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", None) in ("40001", "40P01"):
            raise Conflict("Gelijktijdige wijziging; probeer het opnieuw.", code="concurrent") from exc

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError as error:
            raise Conflict("De zaak is intussen door iemand anders gewijzigd.", code="stale_case") from error
        except IntegrityError as error:
            raise Conflict("De gegevens botsen met een gelijktijdige wijziging.", code="integrity") from error

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as error:
            self.session.rollback()
            raise Conflict("De zaak is intussen door iemand anders gewijzigd.", code="stale_case") from error
        except IntegrityError as error:
            self.session.rollback()
            raise Conflict("De gegevens botsen met een gelijktijdige wijziging.", code="integrity") from error
        except OperationalError as error:
            # PostgreSQL serialization failures and deadlocks: the loser retries as a conflict.
            self.session.rollback()
            if getattr(error.orig, "sqlstate", None) in ("40001", "40P01"):
                raise Conflict("Gelijktijdige wijziging; probeer het opnieuw.", code="concurrent") from error
            raise

    def rollback(self) -> None:
        self.session.rollback()
