"""Run a WSGI app on a background thread (tests, demo) and find free ports."""

from __future__ import annotations

import socket
import threading
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


def free_port() -> int:
    """A port that is free now. (Binding port 0 in the server itself is not supported by every server here.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PortTaken(Exception):
    """A port the user asked for is in use; the message names the option and what to do."""


def is_free(port: int) -> bool:
    """Nothing listens on 127.0.0.1:``port`` now (a bind succeeds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def resolve_port(port: int, flag: str, explicit: bool) -> tuple[int | None, str]:
    """The port to serve on (None: any free port) and a one-line note for the user ("" when there is nothing to
    say). 0 means any free port. A port the user typed that is taken raises ``PortTaken``; a default that is
    taken is replaced by a free port, and the note says so."""
    if not port or is_free(port):
        return port or None, ""
    if explicit:
        raise PortTaken(f"Port {port} ({flag}) er optaget af et andet program. Vælg en anden port, "
                        f"eller {flag} 0 for en vilkårlig ledig port.")
    chosen = free_port()
    return chosen, f"Port {port} er optaget; bruger port {chosen} i stedet ({flag} vælger)."


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Tests and the demo make thousands of requests; errors are still logged."""


class ServerThread:
    """A threaded WSGI server on 127.0.0.1 that starts on ``start()`` and stops on ``stop()``."""

    def __init__(self, app: Any, port: int | None = None, host: str = "127.0.0.1", quiet: bool = True) -> None:
        self.host = host
        self.port = port or free_port()
        handler = _QuietHandler if quiet else None
        self._server: BaseWSGIServer = make_server(host, self.port, app, threaded=True, request_handler=handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ServerThread:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
