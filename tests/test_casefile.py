"""The case file's attachments: a reminder covering several invoices is named by all of them (issue 14: "Rykker 1 -
11122.pdf" covered two)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.flows.case_rows import CaseTarget
from bot.flows.casefile import gather_case
from bot.records import Company, Customer, Invoice, Reminder


class _Ledger:
    def customer(self, number: int) -> Customer:
        return Customer(number, "Byg og Bo ApS", "12345674", "DK", "a@b.dk", "Erhverv", 1, True, "Vej 1", "8000",
                        "Aarhus C", "12345678")

    def invoices(self, *_: Any, **__: Any) -> list[Invoice]:
        return [Invoice(n, 1042, date(2026, 9, 1), date(2026, 9, 15), Decimal(100), Decimal(100))
                for n in (11122, 11149, 11150)]

    def reminders(self, customer_number: int) -> list[Reminder]:
        d = date(2026, 10, 1)
        return [Reminder(57, customer_number, 1, d, (11122, 11149), Decimal(0), Decimal(200)),
                Reminder(58, customer_number, 1, d, (11150,), Decimal(0), Decimal(100)),
                Reminder(59, customer_number, 2, d, (11122, 11149, 11150, 99999), Decimal(100), Decimal(300)),
                Reminder(60, customer_number, 2, d, (11122, 11149, 11150), Decimal(100), Decimal(300))]

    def invoice_pdf(self, number: int) -> bytes:
        return b"%PDF-1.4 invoice"

    def reminder_pdf(self, number: int) -> bytes:
        return b"%PDF-1.4 reminder"


def test_a_reminder_is_named_by_every_invoice_of_the_case_it_covers() -> None:
    target = CaseTarget(2, "I-1042-11122-11149-11150", 1042, "Byg og Bo ApS", (11122, 11149, 11150), "")
    creditor = Company("Demo Byg ApS", "12345674", "Vestergade 12", "8000", "Aarhus C", "a@demo.dk", "1", "1234")
    case = gather_case(_Ledger(), creditor, target)  # type: ignore[arg-type]
    names = [a.filename for a in case.attachments if a.filename.startswith("Rykker")]
    assert names == ["Rykker 1 - faktura 11122 og 11149.pdf", "Rykker 1 - faktura 11150.pdf",
                     "Rykker 2 - faktura 11122, 11149 og 11150.pdf",
                     "Rykker 2 - faktura 11122, 11149 og 11150 (nr. 60).pdf"]
