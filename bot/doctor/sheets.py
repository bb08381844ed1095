"""Doctor checks of the spreadsheets: the queue sheet opens and has its tab, each client sheet's tabs are
current (headers and Instruks labels as ``sheets_schema`` says). Read-only: nothing is repaired here; the
fix is ``worker.py bootstrap``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import google.auth.exceptions
import gspread
import requests

from bot.doctor.checks import Check, fail, ok
from bot.errors import SettingsError, SheetsUnavailable
from bot.sheets.store import SheetsRetry, SheetStore
from sheets_schema import CLIENT_TABS, INSTRUKS, QUEUE, Tab

QUICK = SheetsRetry(attempts=2, base=0.5, cap=2.0, quota_seconds=5.0)  # an operator waits at the terminal: fail fast
UNREACHABLE = (SheetsUnavailable, requests.RequestException, gspread.exceptions.APIError,
               google.auth.exceptions.GoogleAuthError, OSError)


@dataclass(frozen=True)
class ClientSheet:
    id: str
    name: str
    login_ref: str
    agreement_number: str


def _unreachable(e: Exception) -> str:
    text = str(e).strip().splitlines()[0][:200] if str(e).strip() else ""
    return (f"Google Sheets svarer ikke som ventet ({type(e).__name__}{': ' + text if text else ''}). "
            "Tjek netværket, nøglen og at Google Sheets API er slået til i projektet.")


def _open(client: gspread.Client, key: str, what: str, share_with: str) -> SheetStore:
    try:
        return SheetStore.open(client, key, retry=QUICK)
    except SettingsError:
        raise SettingsError(f"{what} {key} findes ikke, eller robotten har ikke adgang: tjek id'et, og del arket med "
                            f"{share_with} som redaktør.") from None


def check_queue(client: gspread.Client, key: str, share_with: str) -> tuple[Check, list[str]]:
    """The queue sheet opens and its Kø tab reads; returns the distinct client sheets its jobs name."""
    name = "kø-arket"
    try:
        store = _open(client, key, "Kø-arket", share_with)
    except SettingsError as e:
        return fail(name, e.summary()), []
    except UNREACHABLE as e:
        return fail(name, _unreachable(e)), []
    try:
        rows = store.read_table(QUEUE)
    except SettingsError as e:
        return fail(name, f"{e.summary()} Reparér med: worker.py bootstrap --queue --spreadsheet {key}"), []
    except UNREACHABLE as e:
        return fail(name, _unreachable(e)), []
    clients = list(dict.fromkeys(str(r.values.get("client_sheet", "")).strip() for r in rows))
    clients = [c for c in clients if c]
    return ok(name, f"{store.spreadsheet.title!r} ({key}) åbnet: {len(rows)} job, {len(clients)} klientark"), clients


def check_client(client: gspread.Client, key: str, share_with: str) -> tuple[Check, ClientSheet | None]:
    """A client sheet opens, has every tab, every header and every Instruks label the robot reads."""
    name = f"klientark {key}"
    repair = f"Reparér med: worker.py bootstrap --spreadsheet {key} (beholder det, der er skrevet)."
    try:
        store = _open(client, key, "Klientarket", share_with)
        titles = {ws.title for ws in store.spreadsheet.worksheets()}
        missing = [t.name for t in CLIENT_TABS if t.name not in titles]
        if missing:
            return fail(name, f"fanerne {', '.join(missing)} mangler. {repair}"), None
        problems = [*_each(lambda t: store.load_layouts([t]), [t for t in CLIENT_TABS if isinstance(t, Tab)])]
        values: dict[str, str] = {}
        try:
            values = store.read_settings(INSTRUKS)
        except SettingsError as e:
            problems.append(e.summary())
    except SettingsError as e:
        return fail(name, e.summary()), None
    except UNREACHABLE as e:
        return fail(name, _unreachable(e)), None
    if problems:
        return fail(name, f"{'; '.join(problems)} {repair}"), None
    found = ClientSheet(key, values.get("client_name", ""), values.get("login_ref", ""),
                        values.get("agreement_number", ""))
    label = f"«{found.name}»" if found.name else repr(store.spreadsheet.title)
    return ok(name, f"{label}: alle faner og overskrifter som i skemaet"), found


def _each(read: Callable[[Tab], None], tabs: list[Tab]) -> list[str]:
    problems: list[str] = []
    for tab in tabs:
        try:
            read(tab)
        except SettingsError as e:
            problems.append(e.summary())
    return problems
