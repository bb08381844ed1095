"""One declarative schema of every sheet Rykkerbot reads or writes.

Python code imports it; the Apps Script constants are generated from ``export_json()``.
"""

from sheets_schema.schema import *  # noqa: F403
from sheets_schema.statuses import *  # noqa: F403

# isort: split
# after schema: the rule tabs are built from its classes
from sheets_schema.events_tab import *  # noqa: F403
from sheets_schema.rules_tabs import *  # noqa: F403
