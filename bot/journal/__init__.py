"""The robot's journal lines (tab Log) as values: the entry of one line, the observers told of new lines, the
typed details of a reminder's line (written and read back in one place) and the free-text helpers of the rest.

Pure and below the domain rules, so the rules, the event log and the usage tally read the journal the same way."""

from bot.journal.entry import JournalObserver, LogEntry
from bot.journal.line import JournalItem, JournalLine
from bot.journal.text import after_customer, customer_in, readable

__all__ = ["JournalItem", "JournalLine", "JournalObserver", "LogEntry", "after_customer", "customer_in", "readable"]
