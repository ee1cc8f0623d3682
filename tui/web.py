"""``stockroom serve``: the app in a browser through textual-serve, with nothing fetched from outside.

textual-serve's page asks Google Fonts for Roboto Mono and writes absolute URLs
built from ``--host`` (useless when it is ``0.0.0.0``, wrong behind a proxy). A
kiosk on a shop floor may have no internet at all, so :class:`OfflineServer`
serves the same page with the font taken from textual-serve's own ``static/fonts``,
page-relative URLs for scripts, styles and images, and the WebSocket address
taken from the request (``X-Forwarded-Proto``/``X-Forwarded-Host`` from a TLS proxy).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

_REMOTE_STYLESHEET = re.compile(r"<link\b[^>]*href=\"https?://[^\"]*\"[^>]*/?>", re.IGNORECASE | re.DOTALL)
_LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal; font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>"""


def offline_template(templates: Path) -> str:
    """textual-serve's page with its remote stylesheets (the web font) replaced by the bundled font."""
    page = (templates / "app_index.html").read_text(encoding="utf-8")
    return _REMOTE_STYLESHEET.sub(lambda _: _LOCAL_FONT, page)


class OfflineServer(Server):
    """A textual-serve server whose page loads only from itself."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        loader = jinja2.DictLoader({"app_index.html": offline_template(self.templates_path)})
        aiohttp_jinja2.setup(app, loader=loader)
        return app

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page: static files relative to it, the WebSocket on the host the browser asked for."""
        secure = request.headers.get("X-Forwarded-Proto", request.scheme) == "https"
        host = request.headers.get("X-Forwarded-Host", request.host)
        return {
            "font_size": _int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{'wss' if secure else 'ws'}://{host}/ws",
            "config": {"static": {"url": "static/"}},
            "application": {"name": self.title},
        }


def _int(text: str, default: int) -> int:
    try:
        return int(text)
    except ValueError:
        return default
