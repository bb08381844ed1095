"""Parse the Instruks tab: raw cell texts in, checked ``ClientSettings`` out.

Every problem is collected and raised at once as one ``SettingsError`` whose problems name the cell
(``INSTRUKS.ref(key)``), the label the user sees and, in Danish, what is wrong and what to write instead.
Checks here are about form only; ``bot.dunning.validation`` checks the settings against the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TypeVar

from bot.addresses import InvalidRecipient, normalize_address
from bot.dunning.models import ClientSettings, LevelPolicy, Policy, Schedule
from bot.errors import SettingProblem, SettingsError
from sheets_schema.schema import INSTRUKS
from sheets_schema.statuses import CaseMailMode, Mode, YesNo

__all__ = [
    "MAX_FEE",
    "MIN_DAYS_BETWEEN_LEVELS",
    "WEEKDAYS",
    "parse_money",
    "parse_recipients",
    "parse_settings",
    "parse_times",
    "parse_weekdays",
]

MAX_FEE = Decimal(100)  # Danish law (renteloven § 9 b) caps a reminder fee at 100 DKK
MIN_DAYS_BETWEEN_LEVELS = 10  # and requires at least 10 days between reminders

_E = TypeVar("_E", bound=StrEnum)
_T = TypeVar("_T")

_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+"), ",": re.compile(r"\d{1,3}(?:,\d{3})+")}
_CENT = Decimal("0.01")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})(?::00)?")
_DAY_FRACTION = re.compile(r"0|0?\.\d+")

_DAY_NAMES = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(_DAY_NAMES):
    for _alias in (_name, _name[:3], _name.replace("ø", "oe"), _name[:3].replace("ø", "o"),
                   _name[:3].replace("ø", "oe")):
        WEEKDAYS[_alias] = _i


def parse_money(text: str) -> Decimal:
    """A DKK amount as a user or the Sheets API writes it: "100", "10.0", "100,00", "1.000,50", "1000.50",
    "1 000,50", "kr. 100". A lone separator followed by exactly three digits ("1.000", "2,500") is a
    thousands separator, since an amount has at most two decimals. The result has two decimals.
    Raises ``ValueError`` with a Danish text."""
    s = text.strip().replace("\u00a0", " ")
    s = re.sub(r"(?i)^(?:kr\.?|dkk)\s*|\s*(?:kr\.?|dkk)$", "", s)
    sign = "-" if s.startswith("-") else ""
    s = s.lstrip("+-").strip()
    if re.fullmatch(r"\d{1,3}(?: \d{3})+(?:[.,]\d+)?", s):
        s = s.replace(" ", "")
    if not re.fullmatch(r"[\d.,]*\d[\d.,]*", s) or s[0] in ".,":
        raise ValueError(f"'{text.strip()}' er ikke et tal")
    last = max(s.rfind("."), s.rfind(","))
    integer, fraction = s, ""
    if "." in s and "," in s:
        integer, fraction = s[:last], s[last + 1:]
    elif s.count(".") + s.count(",") == 1:
        head, tail = s[:last], s[last + 1:]
        if not (len(tail) == 3 and len(head) <= 3 and head[0] != "0"):
            integer, fraction = head, tail
    if not integer.isdigit():
        separator = "." if "." in integer else ","
        if not _GROUPED[separator].fullmatch(integer):
            raise ValueError(f"'{text.strip()}' er ikke et tal")
        integer = integer.replace(separator, "")
    if fraction and not fraction.isdigit():
        raise ValueError(f"'{text.strip()}' er ikke et tal")
    if len(fraction.rstrip("0")) > 2:
        raise ValueError(f"'{text.strip()}' har mere end 2 decimaler")
    try:
        return Decimal(f"{sign}{integer}.{fraction or '0'}").quantize(_CENT)
    except InvalidOperation as e:  # pragma: no cover - the patterns above only let digits through
        raise ValueError(f"'{text.strip()}' er ikke et tal") from e


def parse_recipients(text: str, cell: str, field: str, *, required: bool = False) -> tuple[str, ...]:
    """E-mail addresses separated by comma, semicolon, space or line break; duplicates removed (case-insensitive),
    order kept. Raises ``SettingsError`` with one problem per invalid address (and one if required and empty)."""
    found: list[str] = []
    problems: list[SettingProblem] = []
    for address in (a for a in re.split(r"[,;\s]+", text) if a):
        try:
            normalize_address(address, field, cell)  # the mailer's own check: what passes here can be sent
        except InvalidRecipient:
            problems.append(SettingProblem(cell, field, f"'{address}' er ikke en gyldig e-mailadresse. "
                                                        "Skriv adresser som navn@firma.dk adskilt af komma."))
            continue
        if address.casefold() not in (f.casefold() for f in found):
            found.append(address)
    if required and not found and not problems:
        problems.append(SettingProblem(cell, field, "Feltet er tomt. Skriv mindst én e-mailadresse, "
                                                    "f.eks. bogholderi@firma.dk."))
    if problems:
        raise SettingsError(problems)
    return tuple(found)


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Danish weekday names, abbreviated or full, any case ("man,ons,fre", "Mandag-Fredag") -> sorted 0..6."""
    days: set[int] = set()
    for token in (t for t in re.split(r"[,;\s]+", text.strip().casefold()) if t):
        ends = [WEEKDAYS.get(part.strip().rstrip(".")) for part in token.split("-")]
        if len(ends) > 2 or None in ends:
            raise ValueError(f"'{token}' er ikke en ugedag")
        first, last = ends[0], ends[-1]
        assert first is not None and last is not None
        if last < first:
            raise ValueError(f"'{token}': ugedagene skal stå i rækkefølge (man-fre)")
        days.update(range(first, last + 1))
    return tuple(sorted(days))


def parse_times(text: str) -> tuple[str, ...]:
    """Clock times "HH:MM" (also "8:00", "08.00" and "08:00:00") -> sorted, de-duplicated "HH:MM" texts.
    A fraction of a day ("0.5", "0") is a time cell read unformatted (Sheets stores a typed 12:00 as 0.5)."""
    times: set[str] = set()
    for token in (t for t in re.split(r"[,;\s]+", text.strip()) if t):
        if _DAY_FRACTION.fullmatch(token):
            minutes = float(token) * 24 * 60
            if abs(minutes - round(minutes)) < 1e-6 and round(minutes) < 24 * 60:
                token = f"{round(minutes) // 60:02d}:{round(minutes) % 60:02d}"
        m = _TIME.fullmatch(token)
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError(f"'{token}' er ikke et klokkeslæt")
        times.add(f"{int(m[1]):02d}:{m[2]}")
    return tuple(sorted(times))


def _split_names(text: str) -> frozenset[str]:
    return frozenset(" ".join(n.split()) for n in re.split(r"[,;\n]", text) if n.strip())


class _Reader:
    """Reads one setting at a time and collects every problem instead of stopping at the first."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = values
        self.problems: list[SettingProblem] = []

    def raw(self, key: str) -> str:
        return str(self.values.get(key, "") or "").strip()

    def problem(self, key: str, message: str) -> None:
        self.problems.append(SettingProblem(INSTRUKS.ref(key), INSTRUKS.setting(key).label, message))

    def text(self, key: str, what: str) -> str:
        value = self.raw(key)
        if not value:
            self.problem(key, f"Feltet er tomt. Skriv {what}.")
        return value

    def choice(self, key: str, enum: type[_E]) -> _E | None:
        value = self.raw(key)
        for member in enum:
            if member.value.casefold() == " ".join(value.split()).casefold():
                return member
        allowed = " eller ".join(f"'{m.value}'" for m in enum)
        self.problem(key, f"'{value}' er ikke et gyldigt valg. Skriv {allowed}." if value
                     else f"Feltet er tomt. Skriv {allowed}.")
        return None

    def yes(self, key: str) -> bool | None:
        answer = self.choice(key, YesNo)
        return None if answer is None else answer is YesNo.YES

    def number(self, key: str, what: str, *, low: Decimal, high: Decimal | None = None,
               integral: bool = False, too_low: str = "", too_high: str = "") -> Decimal | None:
        """A number in [low, high]; ``too_low``/``too_high`` say why a value outside is wrong."""
        value = self.raw(key)
        try:
            number = parse_money(value) if value else None
        except ValueError as e:
            self.problem(key, f"{e}. Skriv {what}.")
            return None
        if number is None:
            self.problem(key, f"Feltet er tomt. Skriv {what}.")
        elif integral and number != number.to_integral_value():
            self.problem(key, f"'{value}' er ikke et helt tal. Skriv {what}.")
        elif number < low:
            self.problem(key, f"{too_low or f'{value} er for lidt'}. Skriv {what}.")
        elif high is not None and number > high:
            self.problem(key, f"{too_high or f'{value} er for meget'}. Skriv {what}.")
        else:
            return number
        return None

    def parsed(self, key: str, parse: Callable[[str], tuple[str, ...]]) -> tuple[str, ...]:
        try:
            return parse(self.raw(key))
        except SettingsError as e:
            self.problems.extend(e.problems)
            return ()

    def level(self, level: int) -> LevelPolicy | None:
        if level == 1:
            days = self.number("level1_days", "et helt antal dage efter forfald, f.eks. 10", low=Decimal(0),
                               integral=True, too_low="Antal dage kan ikke være negativt")
        else:
            days = self.number(f"level{level}_days", f"et helt antal dage efter rykker {level - 1}, mindst 10",
                               low=Decimal(MIN_DAYS_BETWEEN_LEVELS), integral=True,
                               too_low=f"Der skal gå mindst {MIN_DAYS_BETWEEN_LEVELS} dage mellem to rykkere")
        fee = self.number(f"level{level}_fee", "et gebyr mellem 0 og 100 kroner", low=Decimal(0), high=MAX_FEE,
                          too_low="Gebyret kan ikke være negativt",
                          too_high="Gebyret må efter loven højst være 100 kr. pr. rykker")
        text = self.text(f"level{level}_text", f"den tekst rykker {level} skal indeholde")
        if days is None or fee is None or not text:
            return None
        return LevelPolicy(level=level, days=int(days), fee=fee, text=text)


def _exclude_customers(r: _Reader) -> frozenset[int]:
    numbers: set[int] = set()
    for token in (t for t in re.split(r"[,;\s]+", r.raw("exclude_customers")) if t):
        m = re.fullmatch(r"(\d+)(?:\.0+)?", token)
        if m:
            numbers.add(int(m[1]))
        else:
            r.problem("exclude_customers", f"'{token}' er ikke et kundenummer. "
                                           "Skriv kundenumre adskilt af komma, f.eks. 1001, 1002.")
    return frozenset(numbers)


def _schedule(r: _Reader) -> Schedule:
    enabled = r.yes("schedule_on")

    def read(key: str, parse: Callable[[str], tuple[_T, ...]], example: str) -> tuple[_T, ...]:
        try:
            parsed = parse(r.raw(key))
        except ValueError as e:
            r.problem(key, f"{e}. Skriv {example}.")
            return ()
        if enabled and not parsed:
            r.problem(key, f"Feltet er tomt, men automatisk kørsel er slået til. Skriv {example}.")
        return parsed

    days = read("schedule_days", parse_weekdays, "ugedage som man,tir,ons,tor,fre")
    times = read("schedule_times", parse_times, "klokkeslæt som 08:00,13:00")
    return Schedule(enabled=bool(enabled), weekdays=days, times=times)


def parse_settings(values: Mapping[str, str]) -> ClientSettings:
    """The Instruks tab (setting key -> raw cell text) as ``ClientSettings``; raises one ``SettingsError``
    listing every problem. A missing key counts as an empty cell."""
    r = _Reader(values)
    login_ref = r.text("login_ref", "navnet på det login robotten har fået udleveret (aldrig adgangskoden)")
    agreement = re.sub(r"^(\d+)\.0+$", r"\1", r.text("agreement_number", "aftalenummeret fra regnskabssystemet"))
    mode = r.choice("mode", Mode)
    levels = [r.level(n) for n in (1, 2, 3)]
    exclude_customers = _exclude_customers(r)
    minimum = r.number("minimum_amount", "et beløb på 0 kr. eller mere, f.eks. 100", low=Decimal(0),
                       too_low="Minimumsbeløbet kan ikke være negativt")
    proposal_recipients = r.parsed("proposal_recipients", lambda t: parse_recipients(
        t, INSTRUKS.ref("proposal_recipients"), INSTRUKS.setting("proposal_recipients").label, required=True))
    status_mail = r.yes("status_mail")
    status_recipients = r.parsed("status_recipients", lambda t: parse_recipients(
        t, INSTRUKS.ref("status_recipients"), INSTRUKS.setting("status_recipients").label,
        required=bool(status_mail)))
    inkasso = r.parsed("inkasso_email", lambda t: parse_recipients(
        t, INSTRUKS.ref("inkasso_email"), INSTRUKS.setting("inkasso_email").label))
    if len(inkasso) > 1:
        r.problem("inkasso_email", "Skriv kun én e-mailadresse til inkassopartneren.")
    case_mail_mode = r.choice("case_mail_mode", CaseMailMode)
    schedule = _schedule(r)
    l1, l2, l3 = levels
    if r.problems or mode is None or case_mail_mode is None or status_mail is None or minimum is None \
            or l1 is None or l2 is None or l3 is None:
        raise SettingsError(r.problems)
    policy = Policy(
        levels=(l1, l2, l3),
        exclude_customers=exclude_customers,
        exclude_groups=_split_names(r.raw("exclude_groups")),
        exclude_terms=_split_names(r.raw("exclude_terms")),
        minimum_amount=minimum,
    )
    return ClientSettings(
        client_name=r.raw("client_name"),
        login_ref=login_ref,
        agreement_number=agreement,
        mode=mode,
        policy=policy,
        proposal_recipients=proposal_recipients,
        status_mail=status_mail,
        status_recipients=status_recipients,
        inkasso_email=inkasso[0] if inkasso else "",
        case_mail_mode=case_mail_mode,
        schedule=schedule,
    )
