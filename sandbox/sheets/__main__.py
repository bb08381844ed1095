"""``python -m sandbox.sheets --port PORT [--db PATH] [--queue-id ID]``: serve the emulator."""

from __future__ import annotations

import argparse

from werkzeug.serving import make_server

from sandbox.sheets.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox.sheets", description="Google Sheets API v4 emulator")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", default=":memory:", help="sqlite file (default: in memory, lost on exit)")
    parser.add_argument("--queue-id", default=None, help="id of the queue spreadsheet the view's buttons use")
    args = parser.parse_args(argv)
    server = make_server(args.host, args.port, create_app(args.db, args.queue_id), threaded=True)
    url = f"http://{args.host}:{args.port}"
    print(f"Sheets emulator on {url} (API {url}/v4/spreadsheets, view {url}/view)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


if __name__ == "__main__":
    main()
