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


def port_if_free(port: int) -> int | None:
    """``port`` when nothing listens on it now; None (meaning: any free port) when it is 0 or taken."""
    if not port:
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return None
    return port


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
