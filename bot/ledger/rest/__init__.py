"""The Ledger port's read verbs over e-conomic's REST API (https://restapi.e-conomic.com).

``client`` speaks the protocol (tokens, paging, backoff, whose fault an error is), ``mapping`` turns its JSON
into domain types, ``ledger`` offers the read verbs. Sending reminders is not in the API (e-conomic does not
send documents by e-mail through it), so ``bot.ledger.composed`` pairs these reads with the web UI's sends.
"""
