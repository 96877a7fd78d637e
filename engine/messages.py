"""Messages to a running case: a professional brings an evaluation forward after a new incident
(`evaluatie_vervroegen`, Friesland 002:3156) or triggers any other message the model waits for."""

from __future__ import annotations

from engine import access, audit
from engine.case_state import load_case, sync
from engine.errors import Conflict, Invalid
from engine.runtime import Actor, Runtime


def waiting_messages(rt: Runtime, actor: Actor, case_id: int) -> list[str]:
    """The messages the case waits for; logs the read. Raises NotFound."""
    now = rt.clock.now()
    with rt.uow() as uow:
        row, role = access.visible_case(uow.session, actor, case_id)
        audit.log_access(uow.session, now, actor, case_id, role, "messages_read")
        uow.commit()
        return list(row.waiting_messages)


def send_message(rt: Runtime, actor: Actor, case_id: int, name: object) -> list[str]:
    """Deliver a message; returns the messages still waited for. Raises NotFound, Forbidden,
    Invalid (not a name), Conflict (the case does not wait for it now)."""
    if not isinstance(name, str) or not name:
        problems = {"name": ["Verplicht."]}
        raise Invalid("Geef de naam van het bericht op.", code="invalid_message", details=problems)
    now = rt.clock.now()
    with rt.uow() as uow:
        access.visible_case(uow.session, actor, case_id)  # NotFound before Forbidden
        case = load_case(uow.session, case_id)
        access.require(actor, "send_message", case.row.region)
        try:
            case.workflow.deliver_message(name, now)
        except KeyError as error:
            message = f"De zaak wacht nu niet op bericht '{name}'."
            raise Conflict(message, code="message_not_expected") from error
        audit.record(uow.session, now, actor, case_id, "message_delivered", data={"name": name})
        sync(rt, uow.session, actor, case, now)
        uow.commit()
        return case.workflow.waiting_messages()
