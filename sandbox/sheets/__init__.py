"""A local Google Sheets API v4 emulator that gspread talks to over HTTP, with a browser view.

``python -m sandbox.sheets --port 8765 [--db sheets.db] [--queue-id ID]``; in code ``create_app()`` and
``sandbox.serving.ServerThread``.
"""

from sandbox.sheets.app import create_app, emulator_state

__all__ = ["create_app", "emulator_state"]
