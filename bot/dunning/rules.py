"""Who is due which reminder: the robot's policy applied to the ledger's reminder candidates.

The ledger's reminder page lists candidates per (customer, level) by the ledger's own, lenient settings. The
policy from the Instruks tab filters them and prices them. A candidate is left out, with the first reason
that applies, when:

1. its level is not 1, 2 or 3, or it names no invoices (a ledger oddity: nothing to remind of);
2. the customer is not in the ledger's customer list, or is inactive;
3. the customer is excluded by number, by customer group or by payment-term name (names compare
   case-insensitively, trimmed, inner whitespace collapsed; see ``name_key``);
4. the amount is 0 or less (credit notes cover it) or below the policy's minimum (equal is due);
5. level 1: fewer days overdue than the policy's level-1 days (equal is due);
   levels 2 and 3: fewer days since the previous reminder than that level's days (equal is due), or no
   previous reminder date known;
6. an earlier candidate already gave the same proposal id (the ledger listed a line twice).

Everything else becomes a ``ReminderProposal`` with the fee and text of its level.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from bot import formats
from bot.dunning.models import Policy, ReminderProposal
from bot.ledger.models import Customer, PaymentTerm, ReminderCandidate

__all__ = ["explain_skips", "kroner", "name_key", "proposal_id", "propose_reminders"]


def kroner(amount: Decimal) -> str:
    """Danish money text: ``Decimal("1234.5")`` -> "1.234,50 kr."."""
    return formats.money(amount)


def name_key(name: str) -> str:
    """How names from the sheet and the ledger are compared: case-insensitive, trimmed, single spaces."""
    return " ".join(name.split()).casefold()


def proposal_id(candidate: ReminderCandidate) -> str:
    """Stable id of a proposal: customer, level and the lowest invoice number."""
    return f"R-{candidate.customer_number}-{candidate.level}-{min(candidate.invoice_numbers)}"


class _Judge:
    def __init__(self, customers: Sequence[Customer], terms: Sequence[PaymentTerm], policy: Policy,
                 today: date) -> None:
        self.customers = {c.number: c for c in customers}
        self.term_names = {t.number: name_key(t.name) for t in terms}
        self.groups = {name_key(g) for g in policy.exclude_groups}
        self.terms = {name_key(t) for t in policy.exclude_terms}
        self.policy = policy
        self.today = today
        self.seen: set[str] = set()

    def reason(self, c: ReminderCandidate) -> str | None:
        """Why ``c`` is left out (Danish, for the overview mail), or None when it is due."""
        if c.level not in (1, 2, 3):
            return f"Ukendt rykkerniveau {c.level} fra regnskabet."
        if not c.invoice_numbers:
            return "Linjen fra regnskabet nævner ingen fakturaer."
        customer = self.customers.get(c.customer_number)
        if customer is None:
            return "Kunden findes ikke i regnskabets kundeliste."
        if not customer.active:
            return "Kunden er markeret som inaktiv i regnskabet."
        if c.customer_number in self.policy.exclude_customers:
            return "Kundenummeret er undtaget i Instruks."
        if name_key(customer.group) in self.groups:
            return f"Kundegruppen '{customer.group}' er undtaget i Instruks."
        term = self.term_names.get(customer.payment_term)
        if term is not None and term in self.terms:
            return "Kundens betalingsbetingelse er undtaget i Instruks."
        if c.amount <= 0:
            return "Intet skyldigt beløb (kreditnotaer dækker fakturaerne)."
        if c.amount < self.policy.minimum_amount:
            return f"Beløbet {kroner(c.amount)} er under minimumsbeløbet {kroner(self.policy.minimum_amount)}"
        days = self.policy.level(c.level).days
        if c.level == 1:
            if c.days_overdue < days:
                return f"Kun {c.days_overdue} dage over forfald; rykker 1 sendes efter {days} dage."
        elif c.last_reminder_date is None:
            return f"Datoen for rykker {c.level - 1} kendes ikke."
        else:
            since = (self.today - c.last_reminder_date).days
            if since < days:
                return (f"Kun {since} dage siden rykker {c.level - 1}; "
                        f"rykker {c.level} sendes efter {days} dage.")
        pid = proposal_id(c)
        if pid in self.seen:
            return f"Samme forslag ({pid}) står allerede på listen."
        self.seen.add(pid)
        return None

    def proposal(self, c: ReminderCandidate) -> ReminderProposal:
        level = self.policy.level(c.level)
        return ReminderProposal(
            proposal_id=proposal_id(c),
            customer_number=c.customer_number,
            customer_name=c.customer_name,
            invoice_numbers=tuple(sorted(c.invoice_numbers)),
            amount=c.amount,
            oldest_due=c.oldest_due_date,
            days_overdue=c.days_overdue,
            level=c.level,
            fee=level.fee,
            text=level.text,
        )


def _judged(candidates: Sequence[ReminderCandidate], customers: Sequence[Customer],
            terms: Sequence[PaymentTerm], policy: Policy, today: date
            ) -> tuple[list[ReminderProposal], list[tuple[ReminderCandidate, str]]]:
    judge = _Judge(customers, terms, policy, today)
    proposals: list[ReminderProposal] = []
    skips: list[tuple[ReminderCandidate, str]] = []
    for c in candidates:
        why = judge.reason(c)
        if why is None:
            proposals.append(judge.proposal(c))
        else:
            skips.append((c, why))
    proposals.sort(key=lambda p: (-p.level, -p.days_overdue, p.customer_number, p.proposal_id))
    return proposals, skips


def propose_reminders(candidates: Sequence[ReminderCandidate], customers: Sequence[Customer],
                      terms: Sequence[PaymentTerm], policy: Policy, today: date) -> list[ReminderProposal]:
    """The candidates due under ``policy`` on ``today``, priced, sorted by level (3 first), then days overdue
    (most first), then customer number."""
    return _judged(candidates, customers, terms, policy, today)[0]


def explain_skips(candidates: Sequence[ReminderCandidate], customers: Sequence[Customer],
                  terms: Sequence[PaymentTerm], policy: Policy, today: date
                  ) -> list[tuple[ReminderCandidate, str]]:
    """The candidates ``propose_reminders`` leaves out, in input order, each with a Danish reason."""
    return _judged(candidates, customers, terms, policy, today)[1]
