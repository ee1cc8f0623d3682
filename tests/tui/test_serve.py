"""``stockroom serve``: the page and everything it loads come from the server itself, and the app runs behind it."""

from __future__ import annotations

import asyncio
import re
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import aiohttp
import pytest

from store.database import open_store
from store.operators import add_operator


class Resources(HTMLParser):
    """Every URL the page makes the browser fetch: scripts, stylesheets, images, and url(...) in inline CSS."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.websocket = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("src", "href"):
            if values.get(name):
                self.urls.append(values[name] or "")
        if values.get("data-session-websocket-url"):
            self.websocket = values["data-session-websocket-url"] or ""
        if values.get("style"):
            self.handle_data(values["style"] or "")

    def handle_data(self, data: str) -> None:
        self.urls += re.findall(r"url\(\s*[\"']?([^\"')]+)", data)
        self.urls += re.findall(r"@import\s+[\"']([^\"']+)", data)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def serve(db_url: str, port: int) -> subprocess.Popen:
    """``stockroom serve`` on ``port`` of the loopback."""
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--db", db_url, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_a_database_without_operators_is_not_served(db_url):
    process = serve(db_url, free_port())
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 1
    assert b"serve needs operators" in errors


@pytest.fixture
def server(db_url):
    """``stockroom serve`` on a free port of the loopback, on a database with a supervisor; stopped at the end."""
    store = open_store(db_url, operator="admin")
    add_operator(store, "S1", "Sam Super", "supervisor", "1234")
    store.close()
    port = free_port()
    process = serve(db_url, port)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(200):  # up to about 20 s for the server to listen
            if process.poll() is not None:
                raise AssertionError(f"serve exited: {process.stderr.read().decode()}")
            try:
                get(base)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_page_loads_nothing_from_outside(server):
    status, body = get(server)
    assert status == 200
    page = body.decode()
    assert "googleapis" not in page
    parser = Resources()
    parser.feed(page)
    assert parser.urls, "the page should load its script and styles"
    assert any(url.endswith("textual.js") for url in parser.urls)
    assert any("RobotoMono" in url for url in parser.urls)  # the font, from the package itself
    for url in parser.urls:
        if url.startswith("#") or url.startswith("data:"):
            continue
        parts = urlparse(url)
        assert not parts.scheme and not parts.netloc, f"{url} is fetched from elsewhere"
        status, _ = get(urljoin(server, url))
        assert status == 200, url
    assert parser.websocket == f"ws://{urlparse(server).netloc}/ws"


def test_a_browser_session_runs_the_app_behind_the_operators_login(server):
    async def session() -> bytes:
        received = b""
        async with aiohttp.ClientSession() as client:
            async with client.ws_connect(urljoin(server, "ws?width=40&height=16").replace("http", "ws", 1)) as ws:
                deadline = asyncio.get_running_loop().time() + 60
                while b"Log in" not in received and asyncio.get_running_loop().time() < deadline:
                    try:
                        message = await ws.receive(timeout=5)
                    except TimeoutError:
                        continue
                    if message.type == aiohttp.WSMsgType.BINARY:
                        received += message.data
                    elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                        break
        return received

    output = asyncio.run(session())
    assert b"Log in" in output and b"Count" not in output  # the login screen, not the home screen's jobs
