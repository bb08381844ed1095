"""Opening a gspread client for Google or for the local emulator.

The one seam into gspread: ``gspread.Client(auth, http_client=cls)`` builds its ``HTTPClient`` from the class we
pass. With an endpoint (the emulator's base URL, e.g. "http://127.0.0.1:8765") we pass a subclass of
``gspread.HTTPClient`` whose ``request`` rewrites the Google base URLs gspread builds
(``https://sheets.googleapis.com`` for the Sheets API, ``https://www.googleapis.com`` for the few Drive calls
such as ``Client.create``) to that endpoint, and authenticate with ``AnonymousCredentials`` (the emulator ignores
the Authorization header). Nothing else in gspread is patched; patching ``gspread.urls`` would do nothing,
because gspread copies the URLs into its modules at import time.

Without an endpoint: service-account credentials from ``credentials_file``, else application-default
credentials, and gspread's own ``HTTPClient``.

Either way every request gets a timeout (``TIMEOUT``: connect, read in seconds). gspread has none by default,
so a connection that stalls would block a worker forever; with one, the stall raises ``requests.Timeout``,
which the store's retry treats as transient.
"""

from __future__ import annotations

from typing import Any

import gspread
from google.auth.credentials import AnonymousCredentials
from gspread.http_client import HTTPClient

TIMEOUT = (10.0, 60.0)  # seconds to connect, seconds to wait for the answer (a large read takes a few)
SCOPES = ("https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive")
GOOGLE_BASES = ("https://sheets.googleapis.com", "https://www.googleapis.com")


class EndpointHTTPClient(HTTPClient):
    """gspread's HTTP client with Google's base URLs rewritten to ``endpoint`` (set on a subclass)."""

    endpoint: str = ""

    def request(self, method: str, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, rewrite_url(endpoint, self.endpoint), *args, **kwargs)


def rewrite_url(url: str, endpoint: str) -> str:
    for base in GOOGLE_BASES:
        if url.startswith(base):
            return endpoint.rstrip("/") + url[len(base) :]
    return url


def endpoint_client_class(endpoint: str) -> type[HTTPClient]:
    """An ``HTTPClient`` class bound to one endpoint (gspread instantiates the class itself)."""
    return type("EmulatorHTTPClient", (EndpointHTTPClient,), {"endpoint": endpoint})


def open_client(endpoint: str | None, credentials_file: str | None,
                timeout: tuple[float, float] = TIMEOUT) -> gspread.Client:
    client = _client(endpoint, credentials_file)
    client.set_timeout(timeout)
    return client


def _client(endpoint: str | None, credentials_file: str | None) -> gspread.Client:
    if endpoint:
        anonymous = AnonymousCredentials()  # type: ignore[no-untyped-call]
        return gspread.Client(auth=anonymous, http_client=endpoint_client_class(endpoint))
    if credentials_file:
        from google.oauth2.service_account import Credentials

        creds = Credentials.from_service_account_file(  # type: ignore[no-untyped-call]
            credentials_file, scopes=list(SCOPES)
        )
        return gspread.Client(auth=creds)
    import google.auth

    default_creds, _project = google.auth.default(scopes=list(SCOPES))
    return gspread.Client(auth=default_creds)
