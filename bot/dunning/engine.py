"""The run plan: who gets which reminder today, for which invoices and amount, and why the others do not.

``plan_run`` decides from the ledger's open invoices and the reminder history per invoice (the ledger's
reminders and the robot's journal as ``StepRecord``s), never from the ledger's own candidate list. Per customer
and currency it nets credit notes and part payments first, finds each open invoice's next step on the template
version the invoice started with (new invoices: the latest version of their rule's template; a customer moved
to another rule finishes its started invoices on their template), and makes one
``ReminderLine`` covering every invoice due a step today. The line's step, channel and text are those of its
most advanced invoice; the fee is decided here from the template and the law table, never taken from a cell:
one fee per letter, at most the law's maximum, and no fee for an invoice that has had the law's number of
fee-bearing reminders or had a reminder fewer than the law's days ago (the letter still goes, without it).
A customer or currency left out gets one ``Skip`` with a Danish reason; customers with nothing overdue are
not mentioned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from bot import formats
from bot.addresses import usable_recipients
from bot.dunning.law import CustomerKind, Law
from bot.dunning.money import Money, total
from bot.dunning.netting import Balance, balances, meets_minimum
from bot.dunning.pauses import Pause, PauseScope, active_pause, pause_text
from bot.dunning.rulegroups import Rule, RuleBook, customer_kind, place
from bot.dunning.templates import Channel, StepRecord, Template, TemplateBook, UnknownTemplate, next_step, version_for
from bot.records import Customer, Invoice

__all__ = ["InvoiceStep", "approved_line", "ReminderLine", "RunPlan", "Skip", "SkipKind", "plan_run"]


class SkipKind(StrEnum):
    UNKNOWN_CUSTOMER = "Ukendt kunde"
    EXCLUDED = "Undtaget"
    INACTIVE = "Inaktiv kunde"
    PAUSED = "Pause"
    BLOCKED = "Automatik blokeret"
    BALANCE = "Intet skyldigt beløb"
    NOT_DUE = "Intet trin forfaldent"
    NO_NEXT_STEP = "Reglen har ikke flere trin"
    BELOW_MINIMUM = "Under minimumsbeløb"
    NO_CONTACT = "Mangler kontaktoplysninger"
    TEMPLATE_MISSING = "Skabelon mangler"


@dataclass(frozen=True)
class Skip:
    customer_number: int
    customer_name: str
    currency: str  # "" when the whole customer is left out
    kind: SkipKind
    reason: str  # Danish, for the overview mail and the proposals tab


@dataclass(frozen=True)
class InvoiceStep:
    invoice: Invoice
    template: Template  # the version the invoice is dunned on
    step: int
    due_on: date
    fee: Decimal  # this step's fee where the law allows it for this invoice, else 0 (journal it per invoice)
    compensation: Decimal  # the business compensation claimed for this invoice with this step, else 0


@dataclass(frozen=True)
class ReminderLine:
    customer_number: int
    customer_name: str
    currency: str
    rule: str
    items: tuple[InvoiceStep, ...]  # oldest due date first
    credits: tuple[Invoice, ...]  # unused credit notes netted into ``amount`` (name them in the letter)
    amount: Money  # the items' remaining amounts less the credit, in the invoices' currency
    fee: Money  # in the creditor's currency, once per letter
    compensation: Money  # in the creditor's currency
    step: int  # of the most advanced invoice
    template: Template
    channel: Channel
    text: str
    recipients: tuple[str, ...]  # the customer's usable e-mail addresses
    notes: tuple[str, ...]  # Danish: invoices paused, fees the law left out

    @property
    def invoice_numbers(self) -> tuple[int, ...]:
        return tuple(i.invoice.number for i in self.items)

    @property
    def line_id(self) -> str:
        """Stable: customer, currency, step and lowest invoice number."""
        return f"R-{self.customer_number}-{self.currency}-{self.step}-{min(self.invoice_numbers)}"


@dataclass(frozen=True)
class RunPlan:
    today: date
    lines: tuple[ReminderLine, ...]  # most advanced step first, then customer number, then currency
    skips: tuple[Skip, ...]  # by customer number


@dataclass(frozen=True)
class _Context:
    history: dict[int, list[StepRecord]]
    templates: TemplateBook
    pauses: tuple[Pause, ...]
    law: Law
    today: date
    excluded: Mapping[int, str]


def _recipients(customer: Customer) -> tuple[str, ...]:
    return usable_recipients(", ".join([customer.email, *(c.email for c in customer.contacts)]))


def _missing_contact(customer: Customer, channel: Channel, step: int) -> str | None:
    if channel is Channel.LETTER:
        if customer.address.strip() and customer.postal_code.strip() and customer.city.strip():
            return None
        return f"Trin {step} sendes som brev, men kunden har ingen fuld postadresse. Ret den i regnskabet."
    if _recipients(customer):
        return None
    written = f" (der står '{customer.email.strip()}')" if customer.email.strip() else ""
    return (f"Trin {step} sendes som '{channel.value}', men kunden har ingen gyldig e-mailadresse{written}. "
            "Ret den i regnskabet.")


def _item(invoice: Invoice, template: Template, step: int, due_on: date, kind: CustomerKind, ctx: _Context,
          notes: list[str]) -> InvoiceStep:
    records = ctx.history.get(invoice.number, [])
    wanted = template.step(step)
    fee, law = wanted.fee, ctx.law
    if fee > 0:
        fees_before = sum(1 for r in records if r.fee > 0)
        last = max((r.sent_on for r in records), default=None)
        if fees_before >= law.max_fee_reminders:
            notes.append(f"Intet gebyr for faktura {invoice.number}: den har haft {fees_before} rykkere med "
                         f"gebyr, og loven tillader {law.max_fee_reminders} ({law.cite_fee}).")
            fee = Decimal(0)
        elif last is not None and (ctx.today - last).days < law.min_days_between_fees:
            notes.append(f"Intet gebyr for faktura {invoice.number}: kun {(ctx.today - last).days} dage siden "
                         f"sidste rykker; loven kræver {law.min_days_between_fees} ({law.cite_fee}).")
            fee = Decimal(0)
    claimed = any(r.compensation for r in records)
    comp = law.business_compensation if wanted.compensation and kind is CustomerKind.BUSINESS and not claimed \
        else Decimal(0)
    return InvoiceStep(invoice, template, step, due_on, min(fee, law.max_fee), comp)


def _plan_balance(customer: Customer, rule: Rule, bal: Balance, ctx: _Context) -> ReminderLine | Skip:
    cur = bal.currency

    def skip(kind: SkipKind, reason: str) -> Skip:
        return Skip(customer.number, customer.name, cur, kind, reason)

    if not bal.owes:
        return skip(SkipKind.BALANCE, f"Saldoen i {cur} er {bal.total.text()} efter kreditnotaer og "
                                      "indbetalinger; der er intet at rykke for.")
    kind = customer_kind(customer)
    items: list[InvoiceStep] = []
    notes: list[str] = []
    upcoming: list[date] = []
    finished: list[int] = []
    missing: list[str] = []
    for invoice in bal.debts:
        pause = active_pause(ctx.pauses, ctx.today, customer.number, invoice.number)
        if pause is not None:
            notes.append(pause_text(pause))
            continue
        records = ctx.history.get(invoice.number, [])
        try:
            template = version_for(records, ctx.templates) or ctx.templates.latest(rule.template)
        except UnknownTemplate as e:
            missing.append(f"Faktura {invoice.number}: {e}.")
            continue
        upcoming_step = next_step(template, invoice.due_date, records)
        earliest = invoice.due_date + timedelta(days=ctx.law.min_days_after_due)
        if upcoming_step is None:
            finished.append(invoice.number)
        elif max(upcoming_step[1], earliest) > ctx.today:
            upcoming.append(max(upcoming_step[1], earliest))
        else:
            items.append(_item(invoice, template, *upcoming_step, kind, ctx, notes))
    if not items:
        if missing:
            return skip(SkipKind.TEMPLATE_MISSING, " ".join(missing) + " Gendan skabelonen i arket.")
        if upcoming:
            return skip(SkipKind.NOT_DUE, f"Næste trin forfalder {formats.day(min(upcoming))}.")
        if finished:
            numbers = ", ".join(str(n) for n in finished)
            return skip(SkipKind.NO_NEXT_STEP, f"Alle trin i reglen '{rule.name}' er sendt for faktura "
                                               f"{numbers}; næste skridt er inkasso.")
        return skip(SkipKind.PAUSED, " ".join(notes))
    amount = bal.net_of(i.invoice for i in items)
    if not amount.positive:
        return skip(SkipKind.BALANCE, f"Kreditnotaer på {(-bal.credit).text()} dækker de forfaldne fakturaer.")
    minimum = rule.minimum(cur)
    if not meets_minimum(amount, minimum):
        return skip(SkipKind.BELOW_MINIMUM, f"Beløbet {amount.text()} er under minimumsbeløbet {minimum.text()} "
                                            f"i reglen '{rule.name}'.")
    lead = max(items, key=lambda i: (i.step, i.template.version))
    step = lead.template.step(lead.step)
    problem = _missing_contact(customer, step.channel, lead.step)
    if problem is not None:
        return skip(SkipKind.NO_CONTACT, problem)
    law = ctx.law
    return ReminderLine(
        customer_number=customer.number, customer_name=customer.name, currency=cur, rule=rule.name,
        items=tuple(items), credits=bal.credits, amount=amount,
        fee=law.money(max(i.fee for i in items)),
        compensation=total((law.money(i.compensation) for i in items), law.currency),
        step=lead.step, template=lead.template, channel=step.channel, text=step.text,
        recipients=_recipients(customer), notes=tuple(notes))


def _plan_customer(number: int, customer: Customer | None, bals: Sequence[Balance], rules: RuleBook,
                   ctx: _Context) -> list[ReminderLine | Skip]:
    if customer is None:
        return [Skip(number, "", "", SkipKind.UNKNOWN_CUSTOMER, "Kunden findes ikke i regnskabets kundeliste.")]

    def skip(kind: SkipKind, reason: str) -> list[ReminderLine | Skip]:
        return [Skip(number, customer.name, "", kind, reason)]

    if not customer.active:
        return skip(SkipKind.INACTIVE, "Kunden er markeret som inaktiv i regnskabet.")
    if number in ctx.excluded:
        return skip(SkipKind.EXCLUDED, ctx.excluded[number])
    pause = active_pause(ctx.pauses, ctx.today, number)
    if pause is not None and pause.scope is PauseScope.CUSTOMER:
        return skip(SkipKind.PAUSED, pause_text(pause))
    assignment = place(customer, rules)
    if assignment.rule is None:
        return skip(SkipKind.BLOCKED, assignment.reason)
    return [_plan_balance(customer, assignment.rule, bal, ctx) for bal in bals]


def plan_run(customers: Iterable[Customer], open_invoices: Iterable[Invoice], history: Iterable[StepRecord],
             templates: TemplateBook, rules: RuleBook, pauses: Iterable[Pause], law: Law, today: date,
             excluded: Mapping[int, str] | None = None) -> RunPlan:
    """Today's reminders: one line per customer and currency with something due a step, and a reason for
    every customer (or currency) with overdue invoices that gets none. ``excluded``: customers a person
    excluded, with the Danish reason."""
    by_invoice: dict[int, list[StepRecord]] = {}
    for record in history:
        by_invoice.setdefault(record.invoice_number, []).append(record)
    ctx = _Context(by_invoice, templates, tuple(pauses), law, today, excluded or {})
    known = {c.number: c for c in customers}
    grouped: dict[int, list[Balance]] = {}
    for bal in balances(open_invoices):
        grouped.setdefault(bal.customer_number, []).append(bal)
    lines: list[ReminderLine] = []
    skips: list[Skip] = []
    for number, bals in sorted(grouped.items()):
        overdue = [b for b in bals if any(i.due_date < today for i in b.debts)]
        if not overdue:
            continue  # nothing overdue: nothing to remind, nothing to explain
        for outcome in _plan_customer(number, known.get(number), overdue, rules, ctx):
            if isinstance(outcome, ReminderLine):
                lines.append(outcome)
            else:
                skips.append(outcome)
    lines.sort(key=lambda line: (-line.step, line.customer_number, line.currency))
    return RunPlan(today, tuple(lines), tuple(skips))


def approved_line(plan: RunPlan, customer_number: int, currency: str, approved: Iterable[int]) -> ReminderLine | str:
    """What to send for an approved proposal row: today's line for that customer and currency limited to the
    approved invoices still due a step (an invoice that fell due after the proposal is not added), with step,
    text, fee, compensation and amount recomputed from them. A Danish reason instead when nothing approved is
    still due, or the credit now covers it."""
    wanted = set(approved)
    line = next((x for x in plan.lines if (x.customer_number, x.currency) == (customer_number, currency)), None)
    skip = next((s for s in plan.skips if s.customer_number == customer_number and s.currency in ("", currency)),
                None)
    if line is None:
        return skip.reason if skip is not None else (
            "Kunden skal ikke rykkes i dag: de godkendte fakturaer er betalt, krediteret eller allerede rykket.")
    kept = tuple(i for i in line.items if i.invoice.number in wanted)
    if not kept:
        return "Ingen af de godkendte fakturaer skal rykkes længere (betalt, krediteret eller sat på pause)."
    credit = line.amount - total((Money(i.invoice.remaining, currency) for i in line.items), currency)
    amount = total((Money(i.invoice.remaining, currency) for i in kept), currency) + credit
    if not amount.positive:
        return f"Kreditnotaer dækker nu de godkendte fakturaer; der er intet at rykke for ({amount.text()})."
    lead = max(kept, key=lambda i: (i.step, i.template.version))
    step = lead.template.step(lead.step)
    fee_currency = line.fee.currency
    return replace(line, items=kept, amount=amount, fee=Money(max(i.fee for i in kept), fee_currency),
                   compensation=total((Money(i.compensation, fee_currency) for i in kept), fee_currency),
                   step=lead.step, template=lead.template, channel=step.channel, text=step.text)
