"""GmailSentLookup at the HTTP level: a local server stands in for gmail.googleapis.com's messages.list."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import pytest
from google.auth.credentials import AnonymousCredentials

from bot.errors import MailUnavailable
from bot.mail.errors import MailAuthError
from bot.mail.gmail import GmailConfig
from bot.mail.gmail_lookup import GmailSentLookup, query_for
from sandbox.serving import ServerThread, free_port


@dataclass
class FakeMailbox:
    """Answers users.messages.list like Gmail: the messages whose Message-ID the rfc822msgid: search names."""

    sent: set[str] = field(default_factory=set)  # Message-IDs without < >
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    fail_with: int | None = None
    reason: str = ""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        query = parse_qs(environ["QUERY_STRING"])
        self.queries.append(query)
        self.paths.append(environ["PATH_INFO"])
        if self.fail_with:
            start_response(f"{self.fail_with} Error", [("Content-Type", "application/json")])
            errors = [{"reason": self.reason, "message": "nope"}] if self.reason else []
            return [json.dumps({"error": {"code": self.fail_with, "message": "nope", "errors": errors}}).encode()]
        wanted = query.get("q", [""])[0].removeprefix("rfc822msgid:")
        body: dict[str, Any] = {"resultSizeEstimate": 0}
        if wanted in self.sent:
            body = {"messages": [{"id": "18c0", "threadId": "18c0"}], "resultSizeEstimate": 1}
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]


@pytest.fixture
def mailbox() -> Iterator[tuple[FakeMailbox, str]]:
    app = FakeMailbox()
    with ServerThread(app, port=free_port()) as server:
        yield app, server.url + "/"


def lookup(url: str) -> GmailSentLookup:
    return GmailSentLookup(GmailConfig(from_address="bogholderi@klient.dk", api_endpoint=url, timeout=10),
                           AnonymousCredentials())


def test_a_sent_mail_is_found_by_its_message_id(mailbox: tuple[FakeMailbox, str]) -> None:
    app, url = mailbox
    app.sent.add("rykker.job-1.R-1001-DKK-1-10234@klient.dk")
    gmail = lookup(url)
    assert gmail.was_sent("<rykker.job-1.R-1001-DKK-1-10234@klient.dk>") is True
    assert gmail.was_sent("<rykker.job-1.R-1002-DKK-1-10300@klient.dk>") is False
    assert app.paths == ["/gmail/v1/users/me/messages"] * 2
    first = app.queries[0]
    assert first["q"] == ["rfc822msgid:rykker.job-1.R-1001-DKK-1-10234@klient.dk"]
    assert first["includeSpamTrash"] == ["true"]


@pytest.mark.parametrize(("status", "reason", "error"), [
    (429, "", MailUnavailable), (503, "", MailUnavailable), (403, "userRateLimitExceeded", MailUnavailable),
    (403, "insufficientPermissions", MailAuthError), (401, "", MailAuthError)])
def test_an_unanswered_search_is_never_taken_for_not_sent(mailbox: tuple[FakeMailbox, str], status: int, reason: str,
                                                          error: type[Exception]) -> None:
    app, url = mailbox
    app.fail_with, app.reason = status, reason
    with pytest.raises(error):
        lookup(url).was_sent("<a@klient.dk>")


def test_an_endpoint_that_does_not_answer_is_unavailable() -> None:
    with pytest.raises(MailUnavailable):
        lookup(f"http://127.0.0.1:{free_port()}/").was_sent("<a@klient.dk>")


def test_a_message_id_that_could_widen_the_search_is_refused() -> None:
    assert query_for(" <x.y@klient.dk> ") == "rfc822msgid:x.y@klient.dk"
    for bad in ("", "<>", "<a@b.dk> OR in:inbox", '<a"@b.dk>'):
        with pytest.raises(ValueError):
            query_for(bad)
