"""Exactly once for customer mails: the intent is journalled before the mail goes to the server, "sent" after.

A rerun (the same job, after a crash and the lease) finds each mail's last journal line by its key:
- "Kundemail sendt": nothing is sent again.
- "Sender kundemail" without "sent" (the run died in between): it does not guess. With a ``SentLookup`` (Gmail:
  the sent mail searched by the mail's fixed Message-ID) it asks the provider: found -> sent; not found -> sent
  now, with the same Message-ID. Without one (SMTP, the outbox) the mail is marked for a person to check.
- "Kundemail skal tjekkes": still waiting for a person; nothing is sent.
- "Kundemail fejlede" or nothing: sent now.

Too large for the provider (``limit_bytes``): the mail goes in numbered parts that share out the attachments
(``bot.mail.message.split_by_size``, as case mails do), each part with its own fixed Message-ID; a single attachment
larger than the limit on its own is refused with a clear message and nothing is sent (never truncated).
A refusal for good (address, size, policy) journals "fejlede" and is reported; the mail server being down
propagates (``MailUnavailable``: the job is retried) with the intent left for the rerun to settle, except where
the provider surely took nothing (login refused, our daily budget used up): then "fejlede" is journalled first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from bot.errors import MailBudgetExceeded
from bot.mail.errors import MailAuthError, MailRejected, RecipientRefused
from bot.mail.message import DEFAULT_LIMIT_BYTES, Email, estimate_size, split_by_size
from bot.mail.port import Mailer
from sheets_schema import LogAction

__all__ = ["Delivery", "DeliveryJournal", "DeliveryStatus", "SentLookup", "deliver", "mail_key", "mail_parts"]

_ACTIONS = (LogAction.CUSTOMER_MAIL_SENDING, LogAction.CUSTOMER_MAIL_SENT,
            LogAction.CUSTOMER_MAIL_CHECK, LogAction.CUSTOMER_MAIL_FAILED)


class DeliveryJournal(Protocol):
    """What delivery needs of ``bot.flows.journal.Journal`` (actions are passed as enum members: it reads
    ``.value``)."""

    def record(self, action: Any, key: str = "", details: str = "") -> None: ...

    def latest(self, actions: Sequence[Any]) -> Mapping[str, Any]: ...


class SentLookup(Protocol):
    def was_sent(self, message_id: str) -> bool:
        """Whether the provider's mailbox holds a sent mail with this Message-ID ("<id@domain>"). Raises
        ``MailUnavailable`` when it cannot be asked now (the job is retried; nothing is sent meanwhile)."""
        ...


class DeliveryStatus(StrEnum):
    SENT = "Sendt"
    ALREADY_SENT = "Var allerede sendt"
    FOUND = "Fundet i sendt post"  # a run died after the hand-over; the provider had it
    CHECK = "Skal tjekkes"  # a run died in between and the provider cannot be asked: a person checks
    REFUSED = "Ikke sendt"  # refused for good (address, size, policy): nothing went out


@dataclass(frozen=True)
class Delivery:
    key: str
    status: DeliveryStatus
    message_ids: tuple[str, ...]
    message: str = ""  # Danish: what happened and what to do (the report shows it)

    @property
    def sent(self) -> bool:
        return self.status in (DeliveryStatus.SENT, DeliveryStatus.ALREADY_SENT, DeliveryStatus.FOUND)


def mail_key(job_id: str, line_id: str) -> str:
    """The journal key of one customer mail: the same for every attempt of the job, another for another job."""
    return f"{line_id}@{job_id}"


def _part_id(message_id: str, number: int) -> str:
    left, at, domain = message_id.strip("<>").rpartition("@")
    return f"<{left}.del{number}@{domain}>" if at else message_id


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",") + " MB"


def mail_parts(email: Email, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> list[Email] | str:
    """The mail as it goes out: itself, or numbered parts with their own Message-IDs; or why it cannot go."""
    parts = split_by_size(email, limit_bytes)
    too_large = [a for p in parts if estimate_size(p) > limit_bytes for a in p.attachments
                 if estimate_size(replace(email, attachments=(a,))) > limit_bytes]
    if too_large or any(estimate_size(p) > limit_bytes for p in parts):
        names = ", ".join(f"'{a.filename}' ({_mb(len(a.content))})" for a in too_large) or "teksten"
        return (f"Mailen er for stor til at sende: {names} er alene over grænsen på {_mb(limit_bytes)}. Intet er "
                "sendt. Send filen på anden vis, eller skift kanal for kunden til brev.")
    if len(parts) == 1:
        return parts
    return [replace(p, message_id=_part_id(email.message_id, i) if email.message_id else "")
            for i, p in enumerate(parts, start=1)]


def _to(email: Email) -> str:
    return ", ".join(email.to)


def deliver(key: str, email: Email, mailer: Mailer, journal: DeliveryJournal, lookup: SentLookup | None = None,
            limit_bytes: int = DEFAULT_LIMIT_BYTES) -> Delivery:
    """Send ``email`` exactly once under ``key`` (see the module docstring). ``email.message_id`` should be fixed
    (``customer_mail.message_id_for``) so a lookup can find it."""
    planned = mail_parts(email, limit_bytes)
    if isinstance(planned, str):
        journal.record(LogAction.CUSTOMER_MAIL_FAILED, key, planned)
        return Delivery(key, DeliveryStatus.REFUSED, (), planned)
    ids = tuple(p.message_id for p in planned)
    last = journal.latest(_ACTIONS).get(key)
    if last == LogAction.CUSTOMER_MAIL_SENT:
        return Delivery(key, DeliveryStatus.ALREADY_SENT, ids)
    if last == LogAction.CUSTOMER_MAIL_CHECK:
        return Delivery(key, DeliveryStatus.CHECK, ids, _check_text(email, ids))
    if last == LogAction.CUSTOMER_MAIL_SENDING:
        if lookup is None or not all(ids):
            journal.record(LogAction.CUSTOMER_MAIL_CHECK, key, "Afbrudt under afsendelse; afventer bogholderen")
            return Delivery(key, DeliveryStatus.CHECK, ids, _check_text(email, ids))
        missing = [p for p in planned if not lookup.was_sent(p.message_id)]
        if not missing:
            journal.record(LogAction.CUSTOMER_MAIL_SENT, key, f"Fundet i sendt post: {' '.join(ids)}")
            return Delivery(key, DeliveryStatus.FOUND, ids)
        return _send(key, planned, missing, mailer, journal, intent=False)
    return _send(key, planned, planned, mailer, journal, intent=True)


def _send(key: str, planned: list[Email], todo: list[Email], mailer: Mailer, journal: DeliveryJournal,
          intent: bool) -> Delivery:
    ids = tuple(p.message_id for p in planned)
    first = planned[0]
    if intent:
        journal.record(LogAction.CUSTOMER_MAIL_SENDING, key, f"Til {_to(first)}: {' '.join(ids)}")
    notes: list[str] = []
    for number, part in enumerate(todo):
        try:
            mailer.send(part)
        except (MailAuthError, MailBudgetExceeded) as e:  # nothing reached the provider
            if number == 0:
                journal.record(LogAction.CUSTOMER_MAIL_FAILED, key, str(e))
            raise
        except RecipientRefused as e:
            refused = {a.lower() for a in e.refused}
            if e.delivered and any(a.lower() not in refused for a in part.to):
                notes.append(str(e))  # the customer got it; some other address did not
                continue
            reason = str(e)
            if e.delivered:  # only the copy went out: the customer was not reached
                reason = (f"Mailserveren afviste kundens adresse {', '.join(sorted(refused))}; kun kopien "
                          f"({', '.join(a for a in part.recipients if a.lower() not in refused)}) er sendt.")
            return _refused(key, ids, journal, reason, number)
        except MailRejected as e:
            return _refused(key, ids, journal, str(e), number)
    journal.record(LogAction.CUSTOMER_MAIL_SENT, key, f"Til {_to(first)}" + (f"; {len(planned)} dele"
                                                                                  if len(planned) > 1 else ""))
    return Delivery(key, DeliveryStatus.SENT, ids, " ".join(notes))


def _refused(key: str, ids: tuple[str, ...], journal: DeliveryJournal, reason: str, parts_sent: int) -> Delivery:
    if parts_sent:
        message = (f"Kun {parts_sent} af {len(ids)} dele af mailen blev sendt; resten blev afvist: {reason} "
                   "Send resten på anden vis.")
        journal.record(LogAction.CUSTOMER_MAIL_CHECK, key, message)
        return Delivery(key, DeliveryStatus.CHECK, ids, message)
    journal.record(LogAction.CUSTOMER_MAIL_FAILED, key, reason)
    return Delivery(key, DeliveryStatus.REFUSED, ids, reason)


def _check_text(email: Email, ids: tuple[str, ...]) -> str:
    return (f"En tidligere kørsel blev afbrudt, mens rykkeren blev mailet til {_to(email)}; den kan være sendt. "
            f"Tjek den sendte post (emne '{email.subject}', Message-ID {' '.join(ids)}). Er den ikke sendt, så "
            "send den selv, eller godkend rykkeren igen i arket.")
