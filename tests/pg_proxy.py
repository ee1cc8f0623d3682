"""A TCP proxy in front of the test's PostgreSQL server that a test can cut and restore, to lose the server for real."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit, urlunsplit


class Proxy:
    """Forwards 127.0.0.1:``port`` to the server while up.

    ``cut()`` closes every connection and refuses new ones (they are closed
    as soon as they are accepted) until ``restore()``. ``lose_next_commit_answer()``
    lets the next COMMIT reach the server and cuts that connection when the
    server answers, before the answer reaches the client.
    """

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self._server = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._up = True
        self._stopped = False
        self._lose_commit_answer = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        """``url`` (a database on the proxied server) reached through the proxy."""
        parts = urlsplit(url)
        user = parts.netloc.rpartition("@")[0]
        netloc = f"{user}@127.0.0.1:{self.port}" if user else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    def cut(self) -> None:
        """Lose the server: close every connection, refuse new ones."""
        with self._lock:
            self._up = False
            for sock in self._sockets:
                _close(sock)
            self._sockets.clear()

    def restore(self) -> None:
        """The server is back."""
        with self._lock:
            self._up = True

    def lose_next_commit_answer(self) -> None:
        """The next COMMIT is done by the server, but its answer never comes back."""
        with self._lock:
            self._lose_commit_answer = True

    def close(self) -> None:
        self.cut()
        self._stopped = True
        self._listener.close()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                if not self._up:
                    _close(client)
                    continue
                server = socket.create_connection(self._server)
                self._sockets += [client, server]
            committing = threading.Event()
            threading.Thread(target=self._pump, args=(client, server, committing, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, committing, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, committing: threading.Event, upstream: bool) -> None:
        try:
            while data := source.recv(65536):
                if upstream and b"COMMIT" in data:
                    with self._lock:
                        if self._lose_commit_answer:
                            self._lose_commit_answer = False
                            committing.set()
                elif not upstream and committing.is_set():
                    break  # the server's answer to the commit: dropped with the connection
                target.sendall(data)
        except OSError:
            pass
        _close(source)
        _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
