"""Screens whose store work runs in order on one thread of their own."""

from __future__ import annotations

import queue
from collections.abc import Callable
from typing import Any

from peewee import InterfaceError, OperationalError
from textual import work
from textual.screen import Screen, ScreenResultType

from store.database import connection_lost
from store.errors import StockError

NOT_SAVED_OFFLINE = "The server does not answer: not saved. Try again once online."


class WriterScreen(Screen[ScreenResultType]):
    """A screen that hands its store work to one writer thread, which does it in the order it was given.

    Scans are saved in the order they came, and a post always comes after the
    scans before it; the UI never waits. A refusal from the store
    (``StockError``) goes to ``refused`` on the UI thread; the writer goes on.
    So it does when the server is lost: the app goes offline (scans are kept
    in its journal, see ``StockroomApp.save_scan``; other work is refused).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._jobs: queue.Queue[Callable[[], Any] | None] = queue.Queue()

    def on_mount(self) -> None:
        self._writer()

    def on_unmount(self) -> None:
        self._jobs.put(None)

    def submit(self, job: Callable[[], Any]) -> None:
        """Queue store work for the writer thread."""
        self._jobs.put(job)

    def refused(self, message: str) -> None:
        """Show what the store refused (on the UI thread)."""
        raise NotImplementedError

    @work(thread=True, group="writer", exit_on_error=False)
    def _writer(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                job()
            except StockError as error:
                self.app.call_from_thread(self.refused, str(error))
            except (OperationalError, InterfaceError) as error:
                if not connection_lost(self.app.store, error):
                    raise
                self.app.store.close()
                self.app.call_from_thread(self.app.lost_server)
                self.app.call_from_thread(self.refused, NOT_SAVED_OFFLINE)
