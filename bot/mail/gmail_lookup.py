"""Ask Gmail whether a mail went out: users.messages.list with ``q=rfc822msgid:<id>`` on the robot's mailbox.

The ``SentLookup`` of ``bot.channels.delivery`` for the Gmail mailer: a run that died between journalling a
customer mail's intent and its "sent" asks here instead of guessing. A mail sent through the API lands in the
account's sent mail with the Message-ID the robot gave it; a search by it finds it also after it was moved to the
trash. The search needs the ``gmail.readonly`` scope (``gmail.send`` cannot read): a service account's domain-wide
delegation must grant it too, or the lookup answers ``MailAuthError`` naming it.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import google.auth.exceptions
from googleapiclient.errors import HttpError

from bot.errors import MailUnavailable
from bot.mail.errors import MailAuthError
from bot.mail.gmail import GmailConfig, authorized_http, build_gmail, load_credentials
from bot.mail.gmail_errors import google_error

log = logging.getLogger(__name__)

_httplib2: Any = importlib.import_module("httplib2")

LOOKUP_SCOPES = ("https://www.googleapis.com/auth/gmail.readonly",)
_ACCESS = "Gmail-adgangen til at læse sendt post (scope gmail.readonly i delegeringen, RYKKERBOT_GMAIL_DELEGATE)"


def query_for(message_id: str) -> str:
    """The Gmail search for one Message-ID: "<abc@klient.dk>" -> "rfc822msgid:abc@klient.dk"."""
    bare = message_id.strip().strip("<>").strip()
    if not bare or any(c.isspace() or c in '"<>' for c in bare):
        raise ValueError(f"not a Message-ID: {message_id!r}")
    return f"rfc822msgid:{bare}"


class GmailSentLookup:
    def __init__(self, config: GmailConfig, credentials: Any = None) -> None:
        """``credentials``: any google.auth credentials that may read the mailbox; None: the mailer's own key
        (``load_credentials``) with the readonly scope."""
        if credentials is None:
            credentials = load_credentials(config, LOOKUP_SCOPES)
        self._config = config
        self._service: Any = build_gmail(authorized_http(credentials, config.timeout), config.api_endpoint)

    def was_sent(self, message_id: str) -> bool:
        c = self._config
        request = self._service.users().messages().list(userId=c.user_id, q=query_for(message_id),
                                                         includeSpamTrash=True, maxResults=1)
        try:
            response = request.execute(num_retries=0)
        except HttpError as e:
            error = google_error(e)
            status = error.status
            if error.rate_limited or status >= 500:
                raise MailUnavailable(f"Gmail API svarede {status} på søgningen i sendt post ({error.message}). "
                                      "Prøv igen senere.") from None
            if status in (401, 403):
                log.error("Gmail refused the sent-mail search (%s): the operator must grant %s", status, _ACCESS)
                raise MailAuthError(f"Gmail afviste søgningen i sendt post ({status}).", _ACCESS) from None
            raise RuntimeError(f"Gmail API answered {status} to {query_for(message_id)!r}: {error.message}") \
                from None
        except google.auth.exceptions.TransportError as e:
            raise MailUnavailable(f"Googles login-tjeneste svarer ikke ({type(e).__name__}).") from None
        except google.auth.exceptions.GoogleAuthError as e:
            raise MailAuthError(f"Google afviste robottens adgang ({type(e).__name__}).", _ACCESS) from None
        except (OSError, _httplib2.HttpLib2Error) as e:
            raise MailUnavailable(f"Gmail API ({c.api_endpoint}) svarer ikke ({type(e).__name__}).") from None
        found = bool(response.get("messages"))
        log.info("Gmail sent-mail search for %s: %s", message_id, "found" if found else "not found")
        return found
