"""Serial scanner throughput and latency: 10,000 EAN-13 scans through a pty into a ScannerReader.

Each scan is written with its own ``os.write`` as fast as the pty accepts
them, and ``time.perf_counter()`` is taken right after the write that holds
its last byte; the reader's callback takes it again on arrival. The writer is
a separate process so it does not compete with the reader for the GIL (a
handheld's scanner does not run inside the app either); ``perf_counter`` is
CLOCK_MONOTONIC, the same clock in both processes.

What the latency depends on: a Linux pty takes about 20 KB (some 1,400 of
these scans) before a write blocks. Bytes written to the master reach the
slave's reader only when the kernel's tty worker (a kworker running
``flush_to_ldisc``) moves them across. A real scanner's bytes arrive by
interrupt and cost the host no CPU; this stand-in is a process on the same
two cores, and written the plain way (blocking writes, normal priority) it
starved that worker: traced, the reader waited 1.8 ms for data while
1,115 writes completed, the pty filled, and every scan behind waited as
long (medians 0.01-3 ms from run to run, reader idle). So the writer runs at
nice 19 and retries a full pty at once instead of sleeping in ``write`` (a
sleeping writer lets its virtual CPU halt, and the worker woken there then
waits for the host to wake it). Nice 19 alone does not give the worker the
core: the scheduler lets a running task finish its slice before a task woken
on its core, and sees the slice end at the next tick (4 ms at 250 Hz). Traced,
the writer's first write woke the worker on the writer's core, which ran it
1.4 ms later, at the tick, with the other core idle all along; a 4 ms stall
like it made the p99 3-5 ms in a third of the runs. So the writer also yields
(``sched_yield``) after each scan, once its time is taken, and on a full pty:
a worker waiting on its core runs at once, and the writer is still as fast as
the pty takes the writes. Then a scan waits only for the few
read with it, as long as the reader decodes faster than the writer writes
(compare reader_capacity with write_rate) and has a core of its own: on a
busy machine the figures measure the scheduler more than the reader. The
worker is also often woken on the reader's core and waits there until the
reader has decoded its batch (ftrace: up to 0.4 ms), so every microsecond a
scan costs the reader delays the next bytes too: a do-nothing reader meets
both targets in every run, one spending 1.5 us a scan misses in 1 of 5.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import tty
from pathlib import Path

from bench.codes import ean13
from bench.report import Report, median, percentile
from devices.reader import ScannerReader
from devices.scan import Scan
from devices.settings import ScannerSettings

SCANS = 10_000
WRITER = """
import os, sys, time
os.nice(19)  # yield the core to the kernel's tty worker, as a scanner on a wire does (see above)
fd = int(sys.argv[1])
os.set_blocking(fd, False)  # retry a full pty at once rather than sleep in write (see above)
codes = sys.stdin.read().split()
out = []
for code in codes:
    data = (code + "\\r\\n").encode()
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            os.sched_yield()  # the pty is full: let the tty worker run if it waits on this core
    out.append(repr(time.perf_counter()))
    os.sched_yield()  # and after each scan, once its time is taken (see above)
print(" ".join(out))
"""


def main() -> int:
    """Run the benchmark, print its figures, return 0 when every target is met."""
    codes = [ean13(n) for n in range(SCANS)]
    # What the callback keeps: each scan's arrival time and GTIN. Floats and strings, so that
    # holding 10,000 of them gives the garbage collector nothing to walk on the reader thread;
    # and nothing else, since everything it does delays the scans behind.
    arrived: list[float] = []
    gtins: list[str | None] = []
    keep_time, keep_gtin, clock = arrived.append, gtins.append, time.perf_counter
    statuses: queue.Queue[str] = queue.Queue()
    reader_thread: list[int] = []

    def on_scan(scan: Scan) -> None:
        keep_time(clock())
        keep_gtin(scan.gtin)

    def on_status(status: str, detail: str) -> None:
        reader_thread.append(threading.get_native_id())  # this runs on the reader thread
        statuses.put(status)

    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    with tempfile.TemporaryDirectory() as directory:
        link = Path(directory) / "scanner"
        link.symlink_to(os.ttyname(slave))
        reader = ScannerReader(ScannerSettings(port=str(link), baudrate=115200), on_scan, on_status)
        reader.start()
        if statuses.get(timeout=5) != "connected":
            print("bench_scanner: the reader did not connect", file=sys.stderr)
            return 1
        cpu_before = _thread_cpu(reader_thread[0])
        writer = subprocess.run(
            [sys.executable, "-c", WRITER, str(master)],
            input=" ".join(codes), capture_output=True, text=True, pass_fds=(master,), check=True,
        )
        deadline = time.monotonic() + 5  # the writer has finished: every scan is in the pty or read
        while len(arrived) < SCANS and time.monotonic() < deadline:
            time.sleep(0.01)
        cpu_used = _thread_cpu(reader_thread[0]) - cpu_before
        reader.close()
    os.close(master)
    os.close(slave)
    written = [float(t) for t in writer.stdout.split()]
    arrivals: dict[str, float] = {}
    merged = 0
    for arrival, gtin in zip(arrived, gtins, strict=True):
        if gtin is None or gtin in arrivals:
            merged += 1
        else:
            arrivals[gtin] = arrival
    latencies = [(arrivals[code] - sent) * 1000 for code, sent in zip(codes, written, strict=True) if code in arrivals]
    report = Report()
    report.figure("scanner.scans_lost", SCANS - len(arrivals), "scans", 0)
    report.figure("scanner.scans_merged", merged, "scans", 0)
    report.figure("scanner.latency_median", median(latencies), "ms", 1.0)
    report.figure("scanner.latency_p99", percentile(latencies, 99), "ms", 5.0)
    report.figure("scanner.write_rate", SCANS / (written[-1] - written[0]), "scans/s", None)
    first, last = min(arrivals.values()), max(arrivals.values())
    report.figure("scanner.read_rate", len(arrivals) / (last - first), "scans/s", None)
    if cpu_used > 0:
        # What the reader thread could keep up with given a whole core: scans per CPU-second it used
        # (reading, framing, decoding, this callback). read_rate can't show it: it follows the writer.
        report.figure("scanner.reader_capacity", len(arrived) / cpu_used, "scans/s", None)
    return report.exit_code()


def _thread_cpu(native_id: int) -> float:
    """CPU seconds thread ``native_id`` of this process has run, to the nanosecond (Linux schedstat)."""
    return int(Path(f"/proc/self/task/{native_id}/schedstat").read_text().split()[0]) / 1e9


if __name__ == "__main__":
    sys.exit(main())
