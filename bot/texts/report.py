"""The run report: who was notified by which channel and step, who was skipped and why, every error with what to
do. Mailed after every run, also one where nothing was sent; the run's letters PDF rides along for printing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot import formats
from bot.dunning.engine import Skip
from bot.mail.message import Email
from bot.records import Attachment
from bot.texts.render import DEFAULT_LANGUAGE, Recipients, render_parts

__all__ = ["ChannelReport", "ErrorKind", "Outcome", "ReportEntry", "render_channel_report"]


class Outcome(StrEnum):
    NOTIFIED = "Underrettet"
    SKIPPED = "Sprunget over"
    ERROR = "Fejl"
    CHECK = "Skal tjekkes"


class ErrorKind(StrEnum):
    """What went wrong for one customer; each has a default of what to do."""

    MISSING_CONTACT = "Mangler kontakt"
    MISSING_ADDRESS = "Mangler postadresse"
    BAD_ADDRESS = "Ugyldig e-mailadresse"
    PDF_MISSING = "PDF mangler"
    MAIL_REFUSED = "Mail afvist"
    NOT_IN_LEDGER = "Ikke i regnskabet"
    NOT_SENT = "Ikke sendt"  # refused at send time (the row, the rules or the ledger said no), with the reason


TODO = {
    ErrorKind.MISSING_CONTACT: "Tilføj en kontakt med rollen og en e-mail, eller kundens egen e-mail, i regnskabet. "
                               "Kunden kommer med igen ved næste kørsel.",
    ErrorKind.MISSING_ADDRESS: "Skriv kundens fulde postadresse (adresse, postnr. og by) i regnskabet.",
    ErrorKind.BAD_ADDRESS: "Ret e-mailadressen i regnskabet; kunden kommer med igen ved næste kørsel.",
    ErrorKind.PDF_MISSING: "Tjek at fakturaen findes og kan åbnes som PDF i regnskabet. Mailen er ikke sendt uden "
                           "den; robotten prøver igen ved næste kørsel.",
    ErrorKind.MAIL_REFUSED: "Ret adressen i regnskabet, eller send rykkeren på anden vis (fx som brev).",
    ErrorKind.NOT_IN_LEDGER: "Tjek kunden og fakturaerne i regnskabet.",
    ErrorKind.NOT_SENT: "Ret det, der står i fejlen, og godkend rækken igen i Rykkerforslag.",
}
CHECK_TODO = ("Se i den sendte post, om mailen gik ud. Gik den ikke, så send den selv eller godkend rykkeren igen "
              "i arket.")


@dataclass(frozen=True)
class ReportEntry:
    customer_number: int
    customer_name: str
    outcome: Outcome
    channel: str = ""  # a ``Channel`` value, "" when the customer got nothing
    step: int | None = None
    detail: str = ""  # notified: to whom; skipped, error, check: why
    todo: str = ""  # errors and checks: what to do
    kind: str = ""  # an ``ErrorKind`` or ``SkipKind`` value


@dataclass
class ChannelReport:
    client_name: str
    run_date: date
    entries: list[ReportEntry] = field(default_factory=list)
    letters: int = 0  # letters in the attached PDF

    def notified(self, number: int, name: str, channel: str, step: int, detail: str = "") -> None:
        self.entries.append(ReportEntry(number, name, Outcome.NOTIFIED, channel, step, detail))

    def error(self, number: int, name: str, kind: ErrorKind, detail: str, channel: str = "",
              step: int | None = None, todo: str = "") -> None:
        self.entries.append(ReportEntry(number, name, Outcome.ERROR, channel, step, detail, todo or TODO[kind],
                                        kind.value))

    def check(self, number: int, name: str, channel: str, step: int, detail: str) -> None:
        self.entries.append(ReportEntry(number, name, Outcome.CHECK, channel, step, detail, CHECK_TODO))

    def skipped(self, number: int, name: str, reason: str, kind: str = "") -> None:
        self.entries.append(ReportEntry(number, name, Outcome.SKIPPED, detail=reason, kind=kind))

    def add_skips(self, skips: Iterable[Skip]) -> None:
        """The engine's customers left out of the plan, each with its reason."""
        for s in skips:
            currency = f" ({s.currency})" if s.currency else ""
            self.skipped(s.customer_number, s.customer_name + currency, s.reason, s.kind.value)

    def of(self, outcome: Outcome) -> list[ReportEntry]:
        return sorted((e for e in self.entries if e.outcome is outcome),
                      key=lambda e: (e.channel, e.step or 0, e.customer_number))

    def by_channel(self) -> list[tuple[str, int, int]]:
        """(channel, step, count) of the notified, in channel then step order."""
        counts = Counter((e.channel, e.step or 0) for e in self.entries if e.outcome is Outcome.NOTIFIED)
        return [(channel, step, n) for (channel, step), n in sorted(counts.items())]

    def summary(self) -> str:
        """ "3 underrettet, 1 sprunget over, 1 fejl" (the parts that are not zero; "intet at gøre" when empty)."""
        parts = [(len(self.of(Outcome.NOTIFIED)), "underrettet"), (len(self.of(Outcome.SKIPPED)), "sprunget over"),
                 (len(self.of(Outcome.ERROR)), "fejl"), (len(self.of(Outcome.CHECK)), "skal tjekkes")]
        return ", ".join(f"{n} {label}" for n, label in parts if n) or "intet at gøre"


def render_channel_report(report: ChannelReport, to: Recipients, letters_pdf: bytes | None = None,
                          sheet_url: str = "", language: str = DEFAULT_LANGUAGE) -> Email:
    """The report mail; ``letters_pdf`` (the run's letters, ``report.letters`` of them) is attached for printing."""
    context = {
        "client_name": report.client_name,
        "run_date": formats.day(report.run_date),
        "summary": report.summary(),
        "notified": report.of(Outcome.NOTIFIED),
        "by_channel": report.by_channel(),
        "skipped": report.of(Outcome.SKIPPED),
        "errors": report.of(Outcome.ERROR),
        "checks": report.of(Outcome.CHECK),
        "letters": report.letters if letters_pdf else 0,
        "letters_file": _letters_name(report) if letters_pdf else "",
        "sheet_url": sheet_url,
    }
    subject, text, html = render_parts("channel_report", context, language)
    attachments: Sequence[Attachment] = (Attachment(_letters_name(report), letters_pdf),) if letters_pdf else ()
    recipients = (to,) if isinstance(to, str) else tuple(to)
    return Email(to=recipients, subject=subject, text=text, html=html, attachments=tuple(attachments))


def _letters_name(report: ChannelReport) -> str:
    return f"Breve {report.run_date.isoformat()}.pdf"
