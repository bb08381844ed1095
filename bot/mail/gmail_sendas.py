"""Which addresses the Gmail user the robot acts for may send as (users.settings.sendAs.list).

A service account with domain-wide delegation sends as one Workspace user (``RYKKERBOT_GMAIL_DELEGATE``, or the
From address). Gmail keeps the From header only when it is one of that user's send-as addresses: the primary
address, or an alias whose verification status is "accepted". Any other From is silently replaced with the user's
primary address, with no error, so ``worker.py doctor`` asks Gmail for the list before the first mail goes out.

Reading the list takes a settings scope; ``gmail.settings.basic`` is the narrowest one Google accepts for it (the
robot's own sends need only ``gmail.send``). The operator grants it beside gmail.send in the domain-wide delegation;
without it the check says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
from googleapiclient.errors import HttpError

from bot.mail.gmail import GmailConfig, authorized_http, build_gmail, load_credentials
from bot.mail.gmail_errors import google_error

SETTINGS_SCOPE = "https://www.googleapis.com/auth/gmail.settings.basic"


@dataclass(frozen=True)
class SendAs:
    address: str
    primary: bool
    status: str  # verificationStatus: "accepted", "pending", or "" (the primary address has none)

    @property
    def works(self) -> bool:
        return self.primary or self.status == "accepted"


@dataclass(frozen=True)
class SendAsCheck:
    ok: bool
    detail: str  # Danish, for the doctor's line


def sending_user(config: GmailConfig) -> str:
    """The Gmail user whose mailbox (and daily limit) the robot uses."""
    return config.delegate or config.from_address


def send_as_list(config: GmailConfig, credentials: Any = None) -> list[SendAs]:
    """The user's send-as addresses (one GET). Raises ``HttpError`` or google-auth errors for the caller to word."""
    if credentials is None:
        credentials = load_credentials(config, (SETTINGS_SCOPE,))
    service: Any = build_gmail(authorized_http(credentials, min(config.timeout, 20.0)), config.api_endpoint)
    answer = service.users().settings().sendAs().list(userId=config.user_id).execute(num_retries=0)
    return [SendAs(str(item.get("sendAsEmail", "")).strip(), bool(item.get("isPrimary")),
                   str(item.get("verificationStatus", ""))) for item in answer.get("sendAs", [])]


def check_send_as(config: GmailConfig, credentials: Any = None) -> SendAsCheck:
    """Is the From address one the user may send as? Says which addresses work when it is not."""
    user, sender = sending_user(config), config.from_address
    if sender.lower() == user.lower():
        return SendAsCheck(True, f"afsender {sender} er selve Gmail-brugeren (ingen alias at tjekke)")
    grant = (f"Giv service-kontoen scopet {SETTINGS_SCOPE} i domæne-delegeringen (Google Admin → Sikkerhed → "
             "API-styring → Domæne-delegering) ved siden af gmail.send, så kontrollen kan læse listen")
    try:
        found = send_as_list(config, credentials)
    except google.auth.exceptions.RefreshError:
        return SendAsCheck(False, f"Google gav ikke adgang til at læse {user}s send-as-adresser. {grant}; eller "
                                  f"tjek selv i Gmail ({user} → Indstillinger → Konti → Send mail som), at "
                                  f"{sender} står dér som bekræftet.")
    except HttpError as e:
        error = google_error(e)
        if error.status in (401, 403) and not error.rate_limited:
            return SendAsCheck(False, f"Gmail afviste at vise {user}s send-as-adresser ({error.status}: "
                                      f"{error.message}). {grant}.")
        return SendAsCheck(False, f"Gmail API svarede {error.status} ({error.message}). Prøv igen om lidt.")
    except (OSError, google.auth.exceptions.TransportError) as e:
        return SendAsCheck(False, f"Gmail API ({config.api_endpoint}) svarer ikke ({type(e).__name__}). "
                                  "Tjek RYKKERBOT_GMAIL_ENDPOINT og netværket.")
    working = [s.address for s in found if s.works]
    if any(a.lower() == sender.lower() for a in working):
        return SendAsCheck(True, f"{sender} er en bekræftet send-as-adresse for {user} "
                                 f"(virker: {', '.join(working)})")
    pending = any(s.address.lower() == sender.lower() for s in found)
    why = "er ikke bekræftet endnu" if pending else "er ikke en send-as-adresse"
    primary = next((s.address for s in found if s.primary), user)
    return SendAsCheck(False, f"{sender} {why} for {user}: Gmail ville sende som {primary} i stedet, uden fejl. "
                              f"Adresser der virker: {', '.join(working) or primary}. Sæt RYKKERBOT_MAIL_FROM til "
                              f"en af dem, sæt RYKKERBOT_GMAIL_DELEGATE til brugeren, der ejer {sender}, eller "
                              f"tilføj og bekræft {sender} under Send mail som hos {user}.")
