"""The Ledger port, driven through the accounting site's web UI with Playwright (sync API).

One browser per worker, one context per job: a ``PlaywrightLedger`` is a job's session. It logs in once and
renews an expired session by itself. Lists are read page by page from the list views, a whole table page per
round trip; ``page_loads`` says what a call cost.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Protocol, TypeVar

from playwright.sync_api import Browser, Page

from bot.errors import NotInLedger
from bot.ledger import parse
from bot.ledger.pages.company import CompanyPage
from bot.ledger.pages.customer import CustomerPage
from bot.ledger.pages.customers import CustomersPage
from bot.ledger.pages.inkasso import InkassoPage
from bot.ledger.pages.invoices import InvoicesPage
from bot.ledger.pages.reminder_history import ReminderHistoryPage
from bot.ledger.pages.reminders import RemindersPage
from bot.ledger.pages.terms import PaymentTermsPage
from bot.ledger.session import LedgerRetry, LedgerSession, Transient
from bot.records import (
    Company,
    Customer,
    InkassoCase,
    Invoice,
    InvoiceFilter,
    PaymentTerm,
    Reminder,
    ReminderCandidate,
    SendResult,
)

_T = TypeVar("_T")


class _ListPage(Protocol):
    def next_page(self) -> str | None: ...


_P = TypeVar("_P", bound=_ListPage)
FILTER_CHUNK = 500  # customers per filtered list read (keeps the address of a list page short)


@dataclass(frozen=True)
class LedgerConfig:
    base_url: str
    username: str
    password: str = field(repr=False)
    agreement_number: str
    timeout_seconds: float = 20.0
    retry: LedgerRetry = LedgerRetry()
    trace_dir: Path | None = None  # record a Playwright trace here (login steps excluded); None = no trace


class PlaywrightLedger:
    def __init__(self, browser: Browser, config: LedgerConfig) -> None:
        self._config = config
        self._context = browser.new_context(locale="da-DK", accept_downloads=True)
        self._session = LedgerSession(self._context, config.base_url,
                                      (config.username, config.password, config.agreement_number),
                                      config.retry, config.timeout_seconds * 1000, config.trace_dir)

    # -- lifecycle ---------------------------------------------------------------------------------------------
    @property
    def page_loads(self) -> int:
        return self._session.page_loads

    @property
    def logins(self) -> int:
        return self._session.logins

    def login(self) -> None:
        self._session.log_in()

    def close(self) -> None:
        """End the job's session; a trace not kept by ``save_artifacts`` is deleted."""
        try:
            self._session.discard_tracing()
        finally:
            self._context.close()

    def __enter__(self) -> PlaywrightLedger:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def save_artifacts(self, directory: Path) -> list[Path]:
        """A screenshot and the HTML of the page the job was on, and the job's trace in parts (open with
        ``playwright show-trace``). No credentials are on any page, and the login steps are never traced."""
        directory.mkdir(parents=True, exist_ok=True)
        shot, html = directory / "ledger.png", directory / "ledger.html"
        self._session.page.screenshot(path=str(shot), full_page=True)
        html.write_text(self._session.page.content(), encoding="utf-8")
        self._session.stop_tracing()
        traces = [Path(shutil.move(str(part), str(directory / part.name))) for part in self._session.traces]
        return [shot, html, *traces]

    # -- master data -------------------------------------------------------------------------------------------
    def company(self) -> Company:
        return parse.company(CompanyPage(self._session.open(CompanyPage.PATH)).details())

    def _paged(self, path: str, page_type: Callable[[Page], _P], read: Callable[[_P], list[_T]]) -> list[_T]:
        """Everything in a paged list view: one page load per list page, following its "next" link."""
        found: list[_T] = []
        next_path: str | None = path
        while next_path:
            page = page_type(self._session.open(next_path))
            found += read(page)
            next_path = page.next_page()
        return found

    def customers(self, numbers: Collection[int] | None = None) -> list[Customer]:
        """The customer list, or the list filtered to these customers (``FILTER_CHUNK`` a list read)."""
        def read(page: CustomersPage) -> list[Customer]:
            return [parse.customer(r, t) for r, t in zip(page.rows(), page.payment_term_numbers(), strict=True)]

        if numbers is None:
            return self._paged(CustomersPage.path(), CustomersPage, read)
        return [c for chunk in _chunks(numbers) for c in self._paged(CustomersPage.path(chunk), CustomersPage, read)]

    def customer(self, number: int) -> Customer:
        page = CustomerPage(self._session.open(CustomerPage.PATH.format(number=number)))
        if not page.exists():
            raise NotInLedger(f"Kunde {number} findes ikke i regnskabet")
        data = page.master_data()
        return parse.customer(data, data["payment_term"], tuple(parse.contact(c) for c in page.contacts()))

    def payment_terms(self) -> list[PaymentTerm]:
        return [parse.term(r) for r in PaymentTermsPage(self._session.open(PaymentTermsPage.PATH)).rows()]

    # -- invoices ----------------------------------------------------------------------------------------------
    def invoices(
        self, status: InvoiceFilter = InvoiceFilter.OPEN, customers: int | Collection[int] | None = None
    ) -> list[Invoice]:
        """The invoice list of this status, or filtered to one customer or to many (``FILTER_CHUNK`` a list)."""
        if customers is None or isinstance(customers, int):
            return self._invoices(status, customers)
        return [i for chunk in _chunks(customers) for i in self._invoices(status, chunk)]

    def _invoices(self, status: InvoiceFilter, customers: int | Collection[int] | None) -> list[Invoice]:
        return self._paged(InvoicesPage.path(status.value, customers), InvoicesPage,
                           lambda page: [parse.invoice(r) for r in page.rows()])

    def invoice_pdf(self, number: int) -> bytes:
        return self._session.download(InvoicesPage.pdf_path(number))

    # -- reminders ---------------------------------------------------------------------------------------------
    def reminder_candidates(self) -> list[ReminderCandidate]:
        return self._paged(RemindersPage.PATH, RemindersPage, lambda page: [parse.candidate(r) for r in page.rows()])

    def reminders(self, customers: int | Collection[int] | None = None) -> list[Reminder]:
        """The history, or the history filtered to one customer or to many (``FILTER_CHUNK`` a list read)."""
        if customers is None or isinstance(customers, int):
            return self._reminders(customers)
        found = [r for chunk in _chunks(customers) for r in self._reminders(chunk)]
        return sorted(found, key=lambda r: (r.date, r.number), reverse=True)  # newest first over every chunk

    def _reminders(self, customers: int | Collection[int] | None) -> list[Reminder]:
        return self._paged(ReminderHistoryPage.path(customers), ReminderHistoryPage,
                           lambda page: [parse.reminder(r) for r in page.rows()])

    def reminder_pdf(self, reminder_number: int) -> bytes:
        return self._session.download(ReminderHistoryPage.pdf_path(reminder_number))

    def send_reminders(self, level: int, customer_numbers: Sequence[int] | Mapping[int, Sequence[int]], fee: Decimal,
                       text: str) -> SendResult:
        """Filter the reminders page to these customers at ``level``, tick them and press Send once, as a person
        would: a batch costs the same however many other candidates the ledger lists. Given invoices per
        customer, each row's "Rykkes for" field names exactly those, and the customer's row at ``level`` is
        ticked, else its other row (the robot's step and the ledger's own level part ways when one letter covers
        invoices at different steps; the robot keeps the steps in its journal). A Send whose answer was lost (a
        timeout, a 503) is never repeated blindly: before trying again, the history is checked for what went
        through."""
        chosen = {c: tuple(sorted(set(n))) for c, n in customer_numbers.items()} \
            if isinstance(customer_numbers, Mapping) else {}
        wanted = list(dict.fromkeys(customer_numbers))
        sent: dict[int, Reminder] = {}
        refused: dict[int, str] = {}
        covered: dict[int, tuple[int, tuple[int, ...]]] = {}  # the row level and invoices each Send covered

        def result() -> SendResult:
            return SendResult(sent=dict(sent), refused=dict(refused))

        def attempt() -> SendResult:
            sent.update(self._sent_already({c: covered[c] for c in wanted
                                            if c in covered and c not in sent and c not in refused}))
            todo = [c for c in wanted if c not in sent and c not in refused]
            if not todo:
                return result()
            page = RemindersPage(self._session.open(RemindersPage.path(todo, None if chosen else level)))
            rows: dict[int, dict[int, dict[str, str]]] = {}
            for row in page.rows():
                rows.setdefault(int(row["customer_number"]), {})[int(row["level"])] = row
            for c in todo:
                mine = rows.get(c, {})
                at = level if level in mine else (max(mine) if c in chosen and mine else None)
                if at is None:
                    refused[c] = (f"Kunde {c} står ikke længere til rykker {level} i regnskabet "
                                  "(betalt, krediteret eller allerede rykket" + (
                                      ", eller regnskabets egne frister for rykkere er ikke nået" if chosen else "")
                                  + ")")
                    continue
                covered[c] = (at, chosen.get(c) or parse.numbers(mine[at]["invoices"]))
                page.tick(c, at)
                if c in chosen:
                    page.remind_of(c, at, ", ".join(map(str, chosen[c])))
            todo = [c for c in todo if c not in refused]
            if not todo:
                return result()
            response = page.send(parse.fee_text(fee), text)
            self._session.page_loads += 1
            if response is not None and response.status >= 500:
                raise Transient(f"regnskabet svarede {response.status} på afsendelse af rykker {level}")
            receipt = ReminderHistoryPage(self._session.page)
            if not receipt.is_receipt():
                raise Transient(f"ingen kvittering efter afsendelse af {len(todo)} rykker(e) {level}")
            for r in (parse.reminder(row) for row in receipt.rows()):
                if r.customer_number in todo and r.level == covered[r.customer_number][0]:
                    sent[r.customer_number] = r
            reason = receipt.not_sent() or "regnskabet sendte den ikke"
            refused.update({c: f"Rykker {level} til kunde {c} blev ikke sendt: {reason}"
                            for c in todo if c not in sent})
            return result()

        return self._session.retrying(attempt, f"send {len(wanted)} rykker(e) {level}")

    def _sent_already(self, covered: dict[int, tuple[int, tuple[int, ...]]]) -> dict[int, Reminder]:
        """Of the customers an earlier Send covered (customer -> the row level and its invoices), those whose
        reminder is in the history (one read of the history filtered to them)."""
        if not covered:
            return {}
        found: dict[int, Reminder] = {}
        for r in self._reminders(covered):
            if r.customer_number in covered and (r.level, set(r.invoice_numbers)) == (
                    covered[r.customer_number][0], set(covered[r.customer_number][1])):
                found.setdefault(r.customer_number, r)
        return found

    # -- inkasso -----------------------------------------------------------------------------------------------
    def inkasso_list(self) -> list[InkassoCase]:
        return [parse.inkasso_case(r) for r in InkassoPage(self._session.open(InkassoPage.PATH)).rows()]


def _chunks(customers: Collection[int]) -> list[list[int]]:
    """The customers in filter-sized lists (the address of a list page stays short)."""
    wanted = sorted(set(customers))
    return [wanted[start:start + FILTER_CHUNK] for start in range(0, len(wanted), FILTER_CHUNK)]
