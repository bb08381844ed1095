"""Invoice and reminder PDFs (fpdf2, core fonts: Latin-1 text, so æøå work)."""

from __future__ import annotations

from collections.abc import Iterable

from fpdf import FPDF

from sandbox.ledger import fmt
from sandbox.ledger.records import Company, Customer, Invoice, Reminder


def _t(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def _doc(company: Company, customer: Customer, title: str) -> FPDF:
    doc = FPDF(format="A4")
    doc.set_title(_t(title))
    doc.add_page()
    doc.set_font("Helvetica", "B", 14)
    doc.cell(0, 8, _t(company.name), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 9)
    for line in (f"{company.address}, {company.postal_code} {company.city}", f"CVR {company.cvr}",
                 f"{company.email}  {company.phone}"):
        doc.cell(0, 5, _t(line), new_x="LMARGIN", new_y="NEXT")
    doc.ln(8)
    doc.set_font("Helvetica", "", 11)
    for line in (customer.name, customer.address, f"{customer.postal_code} {customer.city}", customer.country):
        if line.strip():
            doc.cell(0, 6, _t(line), new_x="LMARGIN", new_y="NEXT")
    doc.cell(0, 6, _t(f"Kundenr. {customer.number}"), new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("Helvetica", "B", 16)
    doc.cell(0, 10, _t(title), new_x="LMARGIN", new_y="NEXT")
    doc.set_font("Helvetica", "", 11)
    return doc


def _line(doc: FPDF, label: str, value: str) -> None:
    doc.cell(60, 7, _t(label))
    doc.cell(0, 7, _t(value), new_x="LMARGIN", new_y="NEXT")


def _footer(doc: FPDF, company: Company) -> None:
    doc.ln(8)
    doc.set_font("Helvetica", "", 9)
    doc.multi_cell(0, 5, _t(f"Betaling til {company.bank_account}. Angiv kundenummer ved betaling."))


def invoice_pdf(company: Company, customer: Customer, inv: Invoice) -> bytes:
    title = f"Kreditnota {inv.number}" if inv.amount < 0 else f"Faktura {inv.number}"
    doc = _doc(company, customer, title)
    _line(doc, "Fakturanr.", str(inv.number))
    _line(doc, "Dato", fmt.day(inv.date))
    _line(doc, "Forfaldsdato", fmt.day(inv.due_date))
    _line(doc, "Beløb", f"{fmt.amount(inv.amount)} {inv.currency}")
    _line(doc, "Heraf moms (25%)", f"{fmt.amount((inv.amount / 5).quantize(inv.amount))} {inv.currency}")
    _line(doc, "Restbeløb", f"{fmt.amount(inv.remaining)} {inv.currency}")
    _footer(doc, company)
    return bytes(doc.output())


def reminder_pdf(company: Company, customer: Customer, rem: Reminder, invoices: Iterable[Invoice]) -> bytes:
    doc = _doc(company, customer, f"Rykker {rem.level} - nr. {rem.number}")
    _line(doc, "Dato", fmt.day(rem.date))
    doc.ln(2)
    if rem.text:
        doc.multi_cell(0, 6, _t(rem.text))
        doc.ln(2)
    doc.set_font("Helvetica", "B", 10)
    for head, width in (("Faktura", 35), ("Forfald", 35), ("Beløb", 45), ("Restbeløb", 45)):
        doc.cell(width, 7, _t(head), border="B")
    doc.ln()
    doc.set_font("Helvetica", "", 10)
    for inv in invoices:
        doc.cell(35, 6, str(inv.number))
        doc.cell(35, 6, fmt.day(inv.due_date))
        doc.cell(45, 6, fmt.amount(inv.amount))
        doc.cell(45, 6, fmt.amount(inv.remaining), new_x="LMARGIN", new_y="NEXT")
    doc.ln(3)
    _line(doc, "Rykkergebyr", fmt.amount(rem.fee))
    _line(doc, "I alt at betale", fmt.amount(rem.amount + rem.fee))
    _footer(doc, company)
    return bytes(doc.output())
