"""Reminder channels: how a reminder reaches the customer besides the ledger's own Send.

- ``roles``: who at the customer gets the mail (contact-role patterns, the customer's own address as fallback).
- ``templating``: the bookkeeper's subject and body templates, rendered sandboxed and checked before a send.
- ``claim``: the fields a reminder template can use, and the letter of one reminder.
- ``customer_mail``: the reminder mail to the customer (From the client, Reply-To the bookkeeper, a copy to
  finance, the overdue invoices and the letter attached).
- ``letter``: one print-ready PDF with every letter of a run (address in a left window envelope).
- ``delivery``: exactly once: journalled before and after the hand-over; a rerun asks the provider or a person.
- ``report``: after every run: who was notified by which channel and step, who was skipped, every error.
"""
