"""Status sets. Each value is the exact Danish text written to the sheet."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["JobType", "JobStatus", "ProposalStatus", "CaseStatus", "LogAction", "Mode", "CaseMailMode", "YesNo",
           "CaseState", "CaseAction"]


class JobType(StrEnum):
    RYKKERFLOW = "rykkerflow"
    SEND_RYKKERE = "send_rykkere"
    INKASSOFORSLAG = "inkassoforslag"
    OPRET_SAGER = "opret_sager"
    SEND_SAGSAENDRINGER = "send_sagsaendringer"


class JobStatus(StrEnum):
    """Queue row status, mirrored in the client's "Robot status" cell."""

    WAITING = "Venter på robot"
    RUNNING = "I gang"
    DONE = "Færdig"
    FAILED = "Fejl"
    RETRYING = "Genforsøger"


class ProposalStatus(StrEnum):
    PROPOSED = "Foreslået"
    SENDING = "Sender"
    SENT = "Sendt"
    REJECTED = "Afvist"
    FAILED = "Fejl"


class CaseStatus(StrEnum):
    PROPOSED = "Foreslået"
    CREATING = "Opretter"
    CREATED = "Oprettet"
    REJECTED = "Afvist"
    FAILED = "Fejl"
    CHECK = "Tjek afsendelse"  # a run died while mailing it: maybe sent; left alone until a person decides


class LogAction(StrEnum):
    """The "Handling" column of the Log tab: the robot's own journal, read back for exactly-once work."""

    REMINDERS_PROPOSED = "Rykkerforslag skrevet"
    REMINDER_INTENT = "Sender rykker"
    REMINDER_SENT = "Rykker sendt"
    REMINDER_FAILED = "Rykker fejlede"
    CASES_PROPOSED = "Inkassoforslag skrevet"
    CASE_MAILING = "Sender sag"  # the intent, journalled before the mail
    CASE_HANDED_OVER = "Sag overdraget"
    CASE_CHECK = "Sag skal tjekkes"  # an intent without a handed-over line, shown to the bookkeeper
    CASE_FAILED = "Sag fejlede"
    MAIL_SENT = "Mail sendt"
    CASE_ACTION_SENDING = "Sender sagsændring"  # key "<case id>/<n>": the intent, before the mail
    CASE_ACTION_SENT = "Sagsændring sendt"
    CASE_ACTION_CHECK = "Sagsændring skal tjekkes"
    CUSTOMER_MAIL_SENDING = "Sender kundemail"  # the intent, before the mail goes to the server
    CUSTOMER_MAIL_SENT = "Kundemail sendt"  # the server took it (or the provider found it in the sent mail)
    CUSTOMER_MAIL_CHECK = "Kundemail skal tjekkes"  # a run died in between and nobody can tell: a person checks
    CUSTOMER_MAIL_FAILED = "Kundemail fejlede"  # refused for good (address, size): surely not sent
    CHANNEL_STEP_SENT = "Rykker sendt (e-mail/brev)"  # per invoice, as "Rykker sendt": the engine's history


class Mode(StrEnum):
    APPROVAL = "Forslag med godkendelse"
    FULL_AUTO = "Fuldautomatisk"


class CaseMailMode(StrEnum):
    PER_CASE = "Én mail pr. sag"
    ALL_IN_ONE = "Én samlet mail"


class YesNo(StrEnum):
    YES = "Ja"
    NO = "Nej"


class CaseState(StrEnum):
    """A handed-over case's state at the collection partner, as far as the robot has told it ("Sager" tab)."""

    OPEN = "Overdraget"
    PAUSED = "På pause"
    POSTPONED = "Udsat forfald"
    WITHDRAWN = "Trukket tilbage"
    PAYMENT = "Betaling registreret"
    PAID = "Betalt"
    CHECK = "Tjek afsendelse"  # a run died while mailing an action: maybe sent; left alone until a person decides


class CaseAction(StrEnum):
    """What the bookkeeper (or, for a payment, the robot) tells the partner about a handed-over case."""

    MESSAGE = "Besked til sagsbehandler"
    POSTPONE = "Udsat forfald"
    PAUSE = "Pause"
    RESUME = "Genoptag"
    WITHDRAW = "Træk sagen tilbage"
    PAYMENT = "Betaling registreret"  # the robot's own, found in the ledger

    @classmethod
    def chosen(cls) -> tuple[CaseAction, ...]:
        """The actions a person picks in the dropdown."""
        return tuple(a for a in cls if a is not cls.PAYMENT)
