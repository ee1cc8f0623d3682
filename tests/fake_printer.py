"""A label printer on a real local socket: a thread accepts on 127.0.0.1 and keeps what it receives."""

from __future__ import annotations

import socket
import threading


class TcpPrinter:
    """Listens on 127.0.0.1:<free port>; ``received()`` is the bytes of each connection, once closed."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.address = f"127.0.0.1:{self.server.getsockname()[1]}"
        self._connections: list[bytes] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.server.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(10)
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        self._connections.append(b"".join(chunks))

    def received(self) -> list[bytes]:
        """What each connection sent, after waiting for the one connection to end."""
        self._thread.join(timeout=10)
        return self._connections

    def close(self) -> None:
        self.server.close()
        self._thread.join(timeout=10)
