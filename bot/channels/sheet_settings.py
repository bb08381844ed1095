"""The channels' settings as the bookkeeper types them: the Instruks cells for customer mails (sender, Reply-To,
finance copy, contact roles) and, per step of the Skabeloner tab, its subject and text templates.

Every problem names its cell and is found before anything is sent:
- a step by e-mail or letter with a fee: the ledger is the only place a fee can be booked, and it books one only
  with its own reminder, so such a step is refused ("Regnskabets rykker" is the channel for a fee);
- a subject or text template of an e-mail or letter step that names an unknown field or reaches past the fields;
- customer mails wanted but no sender address (or an address that is not one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.channels.customer_mail import ClientIdentity, CopyMode, StepTexts, check_step_texts
from bot.channels.roles import parse_patterns
from bot.dunning.instructions import parse_recipients
from bot.dunning.templates import Channel, parse_label
from bot.errors import SettingProblem, SettingsError
from sheets_schema import INSTRUKS, SKABELONER

__all__ = ["FEE_MESSAGE", "StepBook", "check_channel_steps", "client_identity", "role_patterns", "step_book",
           "uses_email"]

FEE_MESSAGE = ("Et gebyr kan kun opkræves via regnskabets rykker (kanalen 'Regnskabets rykker'): ved en e-mail "
               "eller et brev kan robotten ikke bogføre gebyret i regnskabet, og kunden skal kunne se det dér. "
               "Sæt gebyret til 0, eller vælg kanalen 'Regnskabets rykker' for trinnet.")

StepBook = dict[tuple[str, int, int], StepTexts]
"""(template name casefolded, version, step) -> the step's texts with their cells (e-mail and letter steps)."""


def _cell(key: str, row: int) -> str:
    return f"{SKABELONER.name}!{SKABELONER.letter(key)}{row}"


def _channel(values: Mapping[str, Any]) -> Channel | None:
    text = str(values.get("channel") or "").strip().casefold()
    return next((c for c in Channel if c.value.casefold() == text), None)


def _fee(values: Mapping[str, Any]) -> Decimal:
    raw = values.get("fee")
    try:
        return Decimal(str(raw).replace(",", ".")) if raw not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)  # a fee that is not a number is the rule tabs' own problem (parse_rules names it)


def step_book(rows: Sequence[Any]) -> StepBook:
    """The texts of every e-mail and letter step in the Skabeloner rows."""
    book: StepBook = {}
    for r in rows:
        v = r.values
        channel = _channel(v)
        if channel not in (Channel.EMAIL, Channel.LETTER):
            continue
        try:
            name, version = parse_label(str(v.get("template") or ""))
            step = int(str(v.get("step") or "").strip())
        except ValueError:
            continue  # parse_rules names it
        book[(name.casefold(), version, step)] = StepTexts(
            subject=str(v.get("subject") or ""), body=str(v.get("text") or ""),
            subject_cell=_cell("subject", r.number), body_cell=_cell("text", r.number))
    return book


def check_channel_steps(rows: Sequence[Any]) -> StepBook:
    """The e-mail and letter steps' texts; one ``SettingsError`` with every fee on such a step and every template
    that cannot be used, each naming its cell."""
    problems = [SettingProblem(_cell("fee", r.number), f"{SKABELONER.name}: {SKABELONER.column('fee').header}",
                               FEE_MESSAGE)
                for r in rows if _channel(r.values) in (Channel.EMAIL, Channel.LETTER) and _fee(r.values) > 0]
    book = step_book(rows)
    for key, texts in book.items():
        try:
            check_step_texts({key[2]: texts})
        except SettingsError as e:
            problems.extend(e.problems)
    if problems:
        raise SettingsError(problems)
    return book


def uses_email(rows: Sequence[Any]) -> bool:
    """Whether any step of the Skabeloner rows goes by e-mail to the customer."""
    return any(_channel(r.values) is Channel.EMAIL for r in rows)


def _field(key: str) -> str:
    return next(s.label for s in INSTRUKS.settings if s.key == key)


def client_identity(values: Mapping[str, str], client_name: str,
                    bookkeeper: Sequence[str] = ()) -> ClientIdentity:
    """Who customer mails are from; ``SettingsError`` naming the cells (the sender address is required)."""
    problems: list[SettingProblem] = []

    def addresses(key: str, required: bool = False) -> tuple[str, ...]:
        try:
            return parse_recipients(str(values.get(key, "") or ""), INSTRUKS.ref(key), _field(key),
                                    required=required)
        except SettingsError as e:
            problems.extend(e.problems)
            return ()

    sender = addresses("mail_sender_address", required=True)
    if len(sender) > 1:
        problems.append(SettingProblem(INSTRUKS.ref("mail_sender_address"), _field("mail_sender_address"),
                                       "Skriv kun én afsenderadresse."))
    reply_to = addresses("mail_reply_to") or tuple(bookkeeper)
    finance = addresses("mail_finance")
    mode_text = str(values.get("mail_copy_mode", "") or "").strip().casefold() or CopyMode.BCC.value.casefold()
    mode = next((m for m in CopyMode if m.value.casefold() == mode_text), None)
    if mode is None:
        problems.append(SettingProblem(INSTRUKS.ref("mail_copy_mode"), _field("mail_copy_mode"),
                                       "Vælg 'Cc' eller 'Bcc'."))
    if problems:
        raise SettingsError(problems)
    name = str(values.get("mail_sender_name", "") or "").strip() or client_name
    return ClientIdentity(name=name, address=sender[0], reply_to=reply_to, finance=finance,
                          copy=mode or CopyMode.BCC)


def role_patterns(values: Mapping[str, str]) -> tuple[str, ...]:
    return parse_patterns(str(values.get("mail_roles", "") or ""))
