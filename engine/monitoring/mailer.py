"""The outbox: mails every pending notification once, from any number of workers.

Exactly once without help from the receiving server: a worker claims one pending row (FOR UPDATE
SKIP LOCKED on PostgreSQL; SQLite has one writer), talks SMTP up to the message text, records
the row as sent and commits, and only then sends the final "." that makes the server accept the
mail. A worker killed before that commit leaves an unfinished SMTP transaction, which the server
discards, and a pending row another worker mails; after the commit only the five terminating
bytes remain. The mail carries a reference and a link, nothing of the case."""

from __future__ import annotations

import logging
import re
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select

from engine.runtime import Runtime
from engine.storage.tables import Notification, User

log = logging.getLogger(__name__)
SUBJECT = "MDA++ Flow: nieuwe melding"


@dataclass
class MailResult:
    sent: int = 0
    skipped: int = 0
    failed: list[int] = field(default_factory=list)


class SmtpRefused(Exception):
    pass


def send_pending(rt: Runtime, *, max_mails: int = 1000) -> MailResult:
    """Mail every pending notification once; rows that fail stay pending for the next sweep."""
    result = MailResult()
    last_id = 0
    while result.sent + result.skipped + len(result.failed) < max_mails:
        notification_id = _send_next(rt, last_id, result)
        if notification_id is None:
            break
        last_id = notification_id
    return result


def _send_next(rt: Runtime, after_id: int, result: MailResult) -> int | None:
    settings = rt.settings
    with rt.uow() as uow:
        query = (
            select(Notification)
            .where(Notification.mail_status == "pending", Notification.id > after_id)
            .order_by(Notification.id)
            .limit(1)
        )
        if uow.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = uow.session.scalar(query)
        if row is None:
            return None
        address = uow.session.scalar(select(User.email).where(User.id == row.user_id))
        if not address or not settings.smtp_host:
            row.mail_status = "none"
            uow.commit()
            result.skipped += 1
            return row.id
        message = _message(rt, row, address)
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
                _send_text(smtp, settings.mail_from, address, message)
                row.mail_status, row.mail_sent_at = "sent", rt.clock.now()
                uow.commit()  # recorded before the server may accept: never twice
                _finish(smtp)
            result.sent += 1
        except (OSError, smtplib.SMTPException, SmtpRefused):
            log.exception("mail for notification %s failed", row.id)
            result.failed.append(row.id)
        return row.id


def _message(rt: Runtime, row: Notification, address: str) -> bytes:
    message = EmailMessage()
    message["From"] = rt.settings.mail_from
    message["To"] = address
    message["Subject"] = SUBJECT
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = f"<notification-{row.id}@mda-flow>"
    message.set_content(
        f"{row.text}\n\nBekijk het in MDA++ Flow: {rt.settings.base_url}{row.link}\n\n"
        "Deze e-mail bevat bewust geen inhoud van de zaak.\n"
    )
    text = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    return re.sub(rb"(?m)^\.", b"..", text)  # SMTP dot-stuffing (RFC 5321 4.5.2)


def _send_text(smtp: smtplib.SMTP, sender: str, to: str, text: bytes) -> None:
    """Everything of one SMTP transaction except the final '.'."""
    smtp.ehlo_or_helo_if_needed()
    for code, reply in (smtp.mail(sender), smtp.rcpt(to)):
        if code not in (250, 251):
            raise SmtpRefused(f"{code} {reply!r}")
    smtp.putcmd("data")
    code, reply = smtp.getreply()
    if code != 354:
        raise SmtpRefused(f"{code} {reply!r}")
    smtp.send(text if text.endswith(b"\r\n") else text + b"\r\n")


def _finish(smtp: smtplib.SMTP) -> None:
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:  # recorded as sent already; a refused mail is logged, not retried twice
        log.error("mail server refused a notification: %s %r", code, reply)
