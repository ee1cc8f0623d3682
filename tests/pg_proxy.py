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
        self._pairs: list[_Pair] = []
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
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            pair.close()

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
                    client.close()
                    continue
                pair = _Pair(client, socket.create_connection(self._server))
                self._pairs.append(pair)
            threading.Thread(target=self._pump, args=(pair, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(pair, False), daemon=True).start()

    def _pump(self, pair: _Pair, upstream: bool) -> None:
        source, target = (pair.client, pair.server) if upstream else (pair.server, pair.client)
        try:
            while data := source.recv(65536):
                if upstream and b"COMMIT" in data:
                    with self._lock:
                        if self._lose_commit_answer:
                            self._lose_commit_answer = False
                            pair.committing = True
                elif not upstream and pair.committing:
                    break  # the server's answer to the commit: dropped with the connection
                target.sendall(data)
        except OSError:
            pass
        pair.close()


class _Pair:
    """A client's connection and the proxy's to the server, closed together exactly once."""

    def __init__(self, client: socket.socket, server: socket.socket) -> None:
        self.client, self.server = client, server
        self.committing = False
        self._lock = threading.Lock()
        self._closed = False

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for sock in (self.client, self.server):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
