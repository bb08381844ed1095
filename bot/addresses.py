"""E-mail addresses as the bookkeeper types them in a setting: checked, normalised (an IDN domain in ASCII), and
``InvalidRecipient`` naming the setting and cell when one is malformed. Used by the settings, the rules (a
customer's usable addresses) and the mailers alike, so it sits below all of them."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.errors import SettingProblem, SettingsError


class InvalidRecipient(SettingsError):
    """A malformed e-mail address, named with the setting (field) and cell it came from."""

    def __init__(self, field: str, address: str, cell: str = "") -> None:
        self.address = address
        self.field = field
        if address.strip():
            message = f"'{address}' er ikke en gyldig e-mailadresse. Ret adressen, fx navn@firma.dk."
        else:
            message = "Der er ingen modtager. Skriv mindst én e-mailadresse, fx navn@firma.dk."
        super().__init__(SettingProblem(cell=cell, field=field, message=message))

    def summary(self) -> str:
        p = self.problems[0]
        where = f"{p.cell} ({p.field})" if p.cell else p.field
        return f"{where}: {p.message}"


_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"  # letters incl. æøå (IDN), digits, inner hyphens
_ADDRESS = re.compile(rf"({_LOCAL})@((?:{_LABEL}\.)+{_LABEL})")
_SEPARATORS = re.compile(r"[,;\s]+")


def normalize_address(value: str, field: str, cell: str = "") -> str:
    """The address trimmed, with an IDN domain in ASCII; ``InvalidRecipient`` naming ``field`` if malformed."""
    address = value.strip()
    match = _ADDRESS.fullmatch(address)
    if match is None or len(address) > 254:
        raise InvalidRecipient(field, value, cell)
    local, domain = match.groups()
    tld = domain.rsplit(".", 1)[1]
    if tld.isdigit() or len(tld) < 2:
        raise InvalidRecipient(field, value, cell)
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidRecipient(field, value, cell) from None
    return f"{local}@{ascii_domain.lower()}"


def parse_recipients(raw: str | Iterable[str], field: str, cell: str = "", required: bool = True) -> tuple[str, ...]:
    """Addresses from a setting ("a@x.dk, b@y.dk; c@z.dk" or a list), checked; duplicates dropped."""
    items = _SEPARATORS.split(raw) if isinstance(raw, str) else [a for v in raw for a in _SEPARATORS.split(v)]
    result: list[str] = []
    for item in items:
        if item and (address := normalize_address(item, field, cell)) not in result:
            result.append(address)
    if required and not result:
        raise InvalidRecipient(field, "", cell)
    return tuple(result)


def usable_recipients(raw: str) -> tuple[str, ...]:
    """The well-formed addresses of a setting, skipping the malformed ones (for telling the user about those)."""
    result: list[str] = []
    for item in _SEPARATORS.split(raw):
        try:
            address = normalize_address(item, "") if item else ""
        except InvalidRecipient:
            continue
        if address and address not in result:
            result.append(address)
    return tuple(result)
