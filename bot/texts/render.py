"""Rendering: pure functions from domain data to an ``Email`` (text and HTML from the same data).

Templates live in ``templates/<language>/``: ``<name>.txt.j2`` (sets ``subject`` and renders the text part) and
``<name>.html.j2`` (autoescaped). Danish ("da") is the default and the fallback: a language folder only needs
the templates it translates. Undefined variables raise (``StrictUndefined``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from bot import formats
from bot.dunning.engine import Skip, SkipKind
from bot.dunning.models import ReminderProposal
from bot.dunning.outcomes import SendOutcome, SendTarget
from bot.errors import SettingProblem
from bot.inkasso.models import CaseFile, CaseProposal
from bot.mail.message import Email
from bot.records import Attachment
from sheets_schema.statuses import CaseStatus

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "da"

Recipients = str | Sequence[str]


@dataclass(frozen=True)
class CaseResult:
    """What happened to one case when the robot created inkasso cases."""

    case_id: str
    customer_number: int
    customer_name: str
    status: str  # a CaseStatus text: "Oprettet" or "Fejl"
    message: str = ""
    invoice_numbers: tuple[int, ...] = ()
    claim: Decimal | None = None

    @classmethod
    def from_case(cls, case: CaseProposal, status: str, message: str = "") -> CaseResult:
        return cls(
            case.case_id,
            case.customer_number,
            case.customer_name,
            str(status),
            message,
            case.invoice_numbers,
            case.claim,
        )

    @property
    def created(self) -> bool:
        return self.status == CaseStatus.CREATED.value


def languages() -> list[str]:
    return sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


@cache
def environment(language: str = DEFAULT_LANGUAGE) -> Environment:
    """The template environment for ``language``; its missing templates fall back to Danish."""
    if not (TEMPLATES / language).is_dir():
        raise ValueError(f"no mail templates for language {language!r}; available: {', '.join(languages())}")
    folders = [TEMPLATES / language] + ([TEMPLATES / DEFAULT_LANGUAGE] if language != DEFAULT_LANGUAGE else [])
    env = Environment(
        loader=FileSystemLoader(folders),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    locale = formats.locale_for(language)
    env.filters["money"] = lambda value, currency="DKK": formats.money(value, currency, locale)
    env.filters["claim"] = lambda case: claims_text([case], locale)
    env.filters["claims"] = lambda cases: claims_text(cases, locale)
    env.filters["remainings"] = lambda cases: _per_currency(cases, locale, with_fees=False)
    env.filters["number"] = lambda value, decimals=0: formats.number(value, decimals, locale)
    env.filters["date"] = lambda value: formats.day(value, locale)
    return env


def _per_currency(cases: Iterable[Any], locale: str, with_fees: bool) -> str:
    """Amounts per currency, DKK last, joined with " + " and never summed across currencies; with the fees
    (DKK) added to the DKK amount."""
    totals: dict[str, Decimal] = {}
    for c in cases:
        currency = str(getattr(c, "currency", "DKK") or "DKK")
        if with_fees and currency == "DKK":
            totals["DKK"] = totals.get("DKK", Decimal(0)) + c.claim  # remaining and fees, both DKK
            continue
        totals[currency] = totals.get(currency, Decimal(0)) + c.remaining
        if with_fees:
            totals["DKK"] = totals.get("DKK", Decimal(0)) + c.fees
    if not totals:
        totals["DKK"] = Decimal(0)
    order = sorted(totals, key=lambda cur: (cur == "DKK", cur))  # a foreign amount first, then the DKK (fees)
    return " + ".join(formats.money(totals[cur], cur, locale) for cur in order if totals[cur] or len(totals) == 1)


def claims_text(cases: Iterable[Any], locale: str = formats.DANISH) -> str:
    """What the cases claim: remaining plus fees, per currency ("7.000,00 EUR + 300,00 kr." for a EUR case:
    the fees are DKK)."""
    return _per_currency(cases, locale, with_fees=True)


def render_parts(name: str, context: Mapping[str, Any], language: str = DEFAULT_LANGUAGE) -> tuple[str, str, str]:
    """(subject, text, html) of template ``name``. Raises ``jinja2.UndefinedError`` on a missing variable."""
    env = environment(language)
    text_module = env.get_template(f"{name}.txt.j2").make_module(dict(context))
    subject = str(getattr(text_module, "subject", "")).strip()
    if not subject:
        raise ValueError(f"template {name}.txt.j2 sets no subject")
    html = env.get_template(f"{name}.html.j2").render(dict(context))
    return subject, str(text_module).strip() + "\n", html


def _email(
    name: str,
    context: Mapping[str, Any],
    to: Recipients,
    language: str = DEFAULT_LANGUAGE,
    attachments: Iterable[Attachment] = (),
    reply_to: Recipients = (),
) -> Email:
    subject, text, html = render_parts(name, context, language)
    return Email(
        to=_tuple(to), subject=subject, text=text, html=html, attachments=tuple(attachments), reply_to=_tuple(reply_to)
    )


def _tuple(value: Recipients) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))


def render_settings_error(
    problems: Sequence[SettingProblem],
    client_name: str,
    to: Recipients,
    sheet_url: str = "",
    language: str = DEFAULT_LANGUAGE,
) -> Email:
    """The settings cannot be used: which cells to fix; nothing was sent."""
    return _email(
        "settings_error", {"client_name": client_name, "problems": list(problems), "sheet_url": sheet_url}, to, language
    )


def _currency(p: ReminderProposal | SendTarget) -> str:
    return getattr(p, "currency", "DKK") or "DKK"


def step_totals(proposals: Sequence[ReminderProposal | SendTarget]) -> list[dict[str, Any]]:
    """Per step and currency: count, amount and fees (fees are the creditor's, DKK); amounts in
    different currencies are never added."""
    totals = []
    for step, currency in sorted({(p.step, _currency(p)) for p in proposals}, key=lambda k: (k[0], k[1] != "DKK",
                                                                                           k[1])):
        rows = [p for p in proposals if p.step == step and _currency(p) == currency]
        totals.append(
            {
                "step": step,
                "currency": currency,
                "count": len(rows),
                "amount": _sum(p.amount for p in rows),
                "fees": _sum(p.fee for p in rows),
            }
        )
    return totals


def currency_totals(proposals: Sequence[ReminderProposal | SendTarget]) -> list[dict[str, Any]]:
    """The amount per currency (DKK first)."""
    found = sorted({_currency(p) for p in proposals}, key=lambda c: (c != "DKK", c))
    return [{"currency": c, "amount": _sum(p.amount for p in proposals if _currency(p) == c)} for c in found]


def render_reminder_overview(
    client_name: str,
    proposals: Sequence[ReminderProposal],
    sheet_url: str,
    to: Recipients,
    full_auto_sent: bool = False,
    language: str = DEFAULT_LANGUAGE,
    skips: Sequence[Skip] = (),
) -> Email:
    """The day's reminder proposals for approval (or, in full-auto mode, what was sent), and the customers
    left out with the reason (those whose next step is simply not due yet only counted)."""
    rows = sorted(proposals, key=lambda p: (-p.step, -p.days_overdue, p.customer_name.lower()))
    context = {
        "client_name": client_name,
        "proposals": rows,
        "sheet_url": sheet_url,
        "full_auto_sent": full_auto_sent,
        "steps": step_totals(rows),
        "totals": currency_totals(rows),
        "total_amount": _sum(p.amount for p in rows),
        "total_fees": _sum(p.fee for p in rows),
        **_skips(skips),
    }
    return _email("reminder_overview", context, to, language)


def _skips(skips: Sequence[Skip]) -> dict[str, Any]:
    """The customers left out, for a mail: listed with the reason, those only not due yet counted."""
    return {"skips": [s for s in skips if s.kind is not SkipKind.NOT_DUE],
            "not_due": sum(s.kind is SkipKind.NOT_DUE for s in skips)}


def render_send_report(
    client_name: str, outcomes: Sequence[SendOutcome], to: Recipients, language: str = DEFAULT_LANGUAGE,
    skips: Sequence[Skip] = (),
) -> Email:
    """After sending: who got which step, what failed and why (and, in full-auto mode, who was left out)."""
    sent = [o for o in outcomes if o.sent]
    failed = [o for o in outcomes if not o.sent]
    context = {"client_name": client_name, "sent": sent, "failed": failed,
               "steps": step_totals([o.target for o in sent]), **_skips(skips)}
    return _email("send_report", context, to, language)


def render_inkasso_overview(
    client_name: str, cases: Sequence[CaseProposal], sheet_url: str, to: Recipients, language: str = DEFAULT_LANGUAGE
) -> Email:
    """Customers ready for debt collection, for approval in the sheet."""
    rows = sorted(cases, key=lambda c: -c.claim)
    context = {
        "client_name": client_name,
        "cases": rows,
        "sheet_url": sheet_url,
        "total_remaining": _sum(c.remaining for c in rows),
        "total_claim": _sum(c.claim for c in rows),
    }
    return _email("inkasso_overview", context, to, language)


def case_attachments(cases: Sequence[CaseFile]) -> list[tuple[Attachment, ...]]:
    """Each case's attachments; a file name already used by an earlier one gets " (2)" so none hides another."""
    seen: dict[str, int] = {}
    result = []
    for case in cases:
        renamed = []
        for a in case.attachments:
            n = seen.get(a.filename, 0) + 1
            seen[a.filename] = n
            if n > 1:
                stem, dot, ext = a.filename.rpartition(".")
                name = f"{stem} ({n}).{ext}" if dot else f"{a.filename} ({n})"
                a = Attachment(filename=name, content=a.content, mime_type=a.mime_type)
            renamed.append(a)
        result.append(tuple(renamed))
    return result


def render_case_mail(
    client_name: str,
    cases: Sequence[CaseFile],
    to: Recipients,
    language: str = DEFAULT_LANGUAGE,
    reply_to: Recipients = (),
) -> Email:
    """The case file(s) for the collection partner: one case per mail, or all cases in one mail.

    ``reply_to``: where the partner's questions should go (the bookkeeper), if not to the sender.
    """
    if not cases:
        raise ValueError("render_case_mail needs at least one case")
    per_case = case_attachments(cases)
    context = {
        "client_name": client_name,
        "cases": [
            {"case": c, "attachments": [a.filename for a in a_s]} for c, a_s in zip(cases, per_case, strict=True)
        ],
        "creditor": cases[0].creditor,
        "total_claim": _sum(c.claim for c in cases),
    }
    attachments = [a for a_s in per_case for a in a_s]
    return _email("case_mail", context, to, language, attachments=attachments, reply_to=reply_to)


def render_case_status_report(
    client_name: str,
    results: Sequence[CaseResult],
    to: Recipients,
    inkasso_email: str = "",
    language: str = DEFAULT_LANGUAGE,
) -> Email:
    """After "opret sager": which cases were handed over (to ``inkasso_email``), which failed and why."""
    created = [r for r in results if r.created]
    failed = [r for r in results if not r.created]
    context = {
        "client_name": client_name,
        "created": created,
        "failed": failed,
        "inkasso_email": inkasso_email,
        "total_claim": _sum(r.claim for r in created if r.claim is not None),
        "claims_known": all(r.claim is not None for r in created),
    }
    return _email("case_status_report", context, to, language)
