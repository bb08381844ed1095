"""Is the worker configured? Checked before a command talks to Google, so a missing setting is one clear line
naming the environment variable instead of a traceback from deep inside google-auth."""

from __future__ import annotations

import json
from pathlib import Path

import google.auth
import google.auth.exceptions

from bot.config import Settings
from bot.errors import SettingsError
from bot.sheets.client import SCOPES

DOCS = 'Se README.md, afsnittet "Configuration", og docs/going-live.md.'
MAILERS = ("outbox", "smtp", "gmail")
KEY_TYPES = ("service_account", "authorized_user", "external_account")


def queue_problem(settings: Settings) -> str | None:
    if settings.queue_spreadsheet:
        return None
    return ("RYKKERBOT_QUEUE_SPREADSHEET er ikke sat: sæt den til id'et på kø-regnearket "
            "(worker.py bootstrap --queue opretter et og skriver id'et).")


def credentials_problem(settings: Settings, for_sheets: bool = True) -> str | None:
    """None when Google can be reached: the Sheets emulator needs no key; otherwise a readable key file in
    GOOGLE_APPLICATION_CREDENTIALS, or application-default credentials (gcloud, a Google Cloud machine)."""
    if for_sheets and settings.sheets_endpoint:
        return None
    if settings.google_credentials:
        return key_file_problem(settings.google_credentials)
    try:
        google.auth.default(scopes=list(SCOPES))
    except google.auth.exceptions.DefaultCredentialsError:
        return ("GOOGLE_APPLICATION_CREDENTIALS er ikke sat, og der er ingen application-default credentials: "
                "sæt den til stien til service-kontoens JSON-nøgle.")
    return None


def key_file_problem(path: str) -> str | None:
    """What is wrong with a key file, naming the variable and the path, never the file's content."""
    where = f"GOOGLE_APPLICATION_CREDENTIALS ({path})"
    file = Path(path)
    if not file.is_file():
        return f"{where}: filen findes ikke. Ret stien til service-kontoens JSON-nøgle."
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as e:
        return f"{where}: filen kan ikke læses af denne bruger ({type(e).__name__}). Ret filens rettigheder."
    except ValueError:
        return f"{where}: filen er ikke JSON. Hent en ny nøgle (JSON) til service-kontoen."
    if not isinstance(data, dict) or data.get("type") not in KEY_TYPES:
        return f"{where}: filen er ikke en Google-nøgle (type service_account). Hent en ny nøgle (JSON)."
    return None


def key_account(settings: Settings) -> str:
    """The service account's e-mail address (what the sheets must be shared with), when the key names it."""
    try:
        data = json.loads(Path(settings.google_credentials).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str(data.get("client_email", "")) if isinstance(data, dict) else ""


def mailer_problem(settings: Settings) -> str | None:
    if settings.mailer not in MAILERS:
        return f"RYKKERBOT_MAILER er {settings.mailer!r}: skal være outbox, smtp eller gmail."
    if settings.mailer == "smtp":
        from bot.mail.smtp import SmtpConfig

        try:
            SmtpConfig.from_settings(settings)
        except SettingsError as e:
            return e.summary()
    if settings.mailer == "gmail":
        problem = credentials_problem(settings, for_sheets=False)
        if problem:
            return f"RYKKERBOT_MAILER=gmail: {problem}"
    return None


def missing_configuration(settings: Settings, queue: bool = False, mailer: bool = False) -> list[str]:
    """Every problem a command would run into, before it starts: the Google key always, the queue's id and the
    mailer when the command needs them."""
    problems = [queue_problem(settings) if queue else None, credentials_problem(settings),
                mailer_problem(settings) if mailer else None]
    return [p for p in problems if p]


def report(command: str, problems: list[str]) -> str:
    lines = [f"worker.py {command}: konfigurationen er ikke komplet:", *(f"  - {p}" for p in problems), DOCS]
    return "\n".join(lines)
