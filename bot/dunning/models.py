"""Dunning domain types (OCA credit-control words: policy, level, line)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sheets_schema.statuses import CaseMailMode, Mode


@dataclass(frozen=True)
class LevelPolicy:
    level: int  # 1, 2 or 3
    days: int  # level 1: days after due date; levels 2 and 3: days after the previous reminder
    fee: Decimal
    text: str


@dataclass(frozen=True)
class Policy:
    levels: tuple[LevelPolicy, ...]  # exactly three, level 1 first
    exclude_customers: frozenset[int] = frozenset()
    exclude_groups: frozenset[str] = frozenset()
    exclude_terms: frozenset[str] = frozenset()  # payment term names
    minimum_amount: Decimal = Decimal(0)

    def level(self, level: int) -> LevelPolicy:
        return self.levels[level - 1]


@dataclass(frozen=True)
class Schedule:
    enabled: bool
    weekdays: tuple[int, ...]  # 0 = Monday
    times: tuple[str, ...]  # "HH:MM"


@dataclass(frozen=True)
class ClientSettings:
    """The Instruks tab, parsed and checked for form (not yet against the ledger)."""

    client_name: str
    login_ref: str
    agreement_number: str
    mode: Mode
    policy: Policy
    proposal_recipients: tuple[str, ...]
    status_mail: bool
    status_recipients: tuple[str, ...]
    inkasso_email: str
    case_mail_mode: CaseMailMode
    schedule: Schedule


@dataclass(frozen=True)
class ReminderProposal:
    """One proposed reminder line: a customer due ``step`` of its template for some invoices in one currency."""

    proposal_id: str  # stable: f"R-{customer_number}-{currency}-{step}-{lowest invoice}"
    customer_number: int
    customer_name: str
    invoice_numbers: tuple[int, ...]
    amount: Decimal
    oldest_due: date
    days_overdue: int
    step: int  # the step of the template version
    fee: Decimal  # in the creditor's currency (DKK)
    text: str
    currency: str = "DKK"  # of ``amount``: never summed with another
    template: str = ""  # "Standard v1"
