"""``worker.py doctor``: an operator's pre-flight check before going live.

Each check is a small function returning ``Check`` lines: configuration, the Google key, the browser, the queue
sheet, every client sheet in the queue (or named with ``--client``), the ledger login of each client, and the
mailer. A check whose prerequisite failed is skipped and says so. Nothing is written and no mail is sent.
"""

from bot.doctor.checks import Check
from bot.doctor.run import run_doctor

__all__ = ["Check", "run_doctor"]
