"""A fake serial scanner: a pseudo-terminal whose slave is reached through a stable symlink."""

from __future__ import annotations

import os
import queue
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.reader import ScannerReader
from devices.scan import Scan
from devices.settings import ScannerSettings

WAIT = 5.0  # seconds to wait for a callback before a test fails; never an assertion on speed


class FakeScanner:
    """The scanner end of a pty; ``path`` is a symlink that replug() points at a new pty."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "scanner"
        self.master: int | None = None
        self._slave: int | None = None
        self.plug()

    def plug(self) -> None:
        """A new pty, reachable under the same stable path."""
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        link = self.path.with_name("scanner.new")
        link.unlink(missing_ok=True)
        os.symlink(os.ttyname(slave), link)
        os.replace(link, self.path)
        self.master, self._slave = master, slave

    def unplug(self) -> None:
        """Close both ends: the reader's next read fails as on a pulled USB cable."""
        for fd in (self.master, self._slave):
            if fd is not None:
                os.close(fd)
        self.master = self._slave = None

    @property
    def slave(self) -> int:
        """The pty's device end, as the reader opened it (to read back its line settings)."""
        assert self._slave is not None
        return self._slave

    def send(self, data: bytes) -> None:
        """What the scanner transmits."""
        assert self.master is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view):]


class Recorder:
    """Collects callbacks from the reader thread into queues."""

    def __init__(self) -> None:
        self.scans: queue.Queue[Scan] = queue.Queue()
        self.statuses: queue.Queue[tuple[str, str]] = queue.Queue()

    def on_scan(self, scan: Scan) -> None:
        self.scans.put(scan)

    def on_status(self, status: str, detail: str) -> None:
        self.statuses.put((status, detail))

    def next_scan(self) -> Scan:
        return self.scans.get(timeout=WAIT)

    def wait_status(self, wanted: str) -> str:
        """Skip to the next status ``wanted``; return its detail."""
        while True:
            status, detail = self.statuses.get(timeout=WAIT)
            if status == wanted:
                return detail

    def no_scan_within(self, seconds: float) -> bool:
        try:
            self.scans.get(timeout=seconds)
        except queue.Empty:
            return True
        return False


@pytest.fixture
def scanner(tmp_path: Path) -> Iterator[FakeScanner]:
    fake = FakeScanner(tmp_path)
    yield fake
    fake.unplug()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_reader(scanner: FakeScanner, recorder: Recorder) -> Iterator:
    """Start a reader on the fake scanner with the given settings; waits until it is connected."""
    readers: list[ScannerReader] = []

    def start(**settings: object) -> ScannerReader:
        reader = ScannerReader(
            ScannerSettings(port=str(scanner.path), **settings),  # type: ignore[arg-type]
            recorder.on_scan,
            recorder.on_status,
            min_backoff=0.01,
            max_backoff=0.1,
        )
        readers.append(reader)
        reader.start()
        recorder.wait_status("connected")
        return reader

    yield start
    for reader in readers:
        reader.close()
