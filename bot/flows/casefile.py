"""Gather one case file from the ledger: master data, the open invoices, the reminders, and their PDFs."""

from __future__ import annotations

from bot.errors import NotInLedger
from bot.flows.case_rows import CaseTarget
from bot.inkasso.masterdata import MissingMasterData, gaps_text, master_data_gaps
from bot.inkasso.models import CaseFile
from bot.ledger.port import Ledger
from bot.records import Attachment, Company, InvoiceFilter
from sheets_schema import INKASSOFORSLAG


def gather_case(ledger: Ledger, creditor: Company, target: CaseTarget) -> CaseFile:
    debtor = ledger.customer(target.customer_number)
    gaps = master_data_gaps(debtor)
    if gaps and not target.send_anyway:
        raise MissingMasterData(
            f"Mangler i regnskabet: {gaps_text(gaps)}. Ret kunde {debtor.number} i regnskabet og tryk «Opret "
            f"godkendte sager» igen, eller sæt flueben i «{INKASSOFORSLAG.column('send_anyway').header}».")
    wanted = set(target.invoice_numbers)
    invoices = tuple(sorted((i for i in ledger.invoices(InvoiceFilter.ALL, customers=target.customer_number)
                             if i.number in wanted), key=lambda i: i.number))
    missing = wanted - {i.number for i in invoices}
    if missing:
        raise NotInLedger(f"Faktura {', '.join(str(n) for n in sorted(missing))} findes ikke længere i regnskabet")
    reminders = tuple(sorted((r for r in ledger.reminders(target.customer_number)
                              if wanted & set(r.invoice_numbers)), key=lambda r: (r.date, r.level)))
    attachments = [Attachment(f"Faktura {i.number}.pdf", ledger.invoice_pdf(i.number)) for i in invoices]
    names: set[str] = set()
    for r in reminders:
        name = f"Rykker {r.level} - faktura {_listed(sorted(n for n in r.invoice_numbers if n in wanted))}.pdf"
        if name in names:
            name = f"{name.removesuffix('.pdf')} (nr. {r.number}).pdf"
        names.add(name)
        attachments.append(Attachment(name, ledger.reminder_pdf(r.number)))
    return CaseFile(
        case_id=target.case_id,
        creditor=creditor,
        debtor=debtor,
        invoices=invoices,
        reminders=reminders,
        comment=target.comment,
        attachments=tuple(attachments),
    )


def _listed(numbers: list[int]) -> str:
    """"11122", "11122 og 11149", "11122, 11149 og 11150": every invoice a reminder covers, as a person writes it."""
    texts = [str(n) for n in numbers]
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} og {texts[-1]}"
