"""The real ScannerReader on a pseudo-terminal: framing, noise, unplug and replug, shutdown."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from devices.framing import UNREADABLE
from devices.reader import ScannerReader
from devices.settings import ScannerSettings
from tests.devices.conftest import WAIT, FakeScanner

EAN = b"4006381333931"
OTHER = b"9780306406157"


@pytest.mark.parametrize("terminator", [b"\r", b"\n", b"\r\n"])
def test_each_terminator_ends_a_scan(scanner, recorder, make_reader, terminator):
    make_reader()
    scanner.send(EAN + terminator + OTHER + terminator)
    first, second = recorder.next_scan(), recorder.next_scan()
    assert (first.kind, first.gtin) == ("gtin", EAN.decode())
    assert (second.kind, second.gtin) == ("isbn", OTHER.decode())
    assert first.raw == EAN
    assert recorder.no_scan_within(0.2)  # CRLF did not make an empty scan


def test_no_terminator_ends_after_idle_gap(scanner, recorder, make_reader):
    make_reader(idle_timeout=0.05)
    scanner.send(EAN)
    scan = recorder.next_scan()
    assert scan.gtin == EAN.decode()


def test_custom_terminator(scanner, recorder, make_reader):
    make_reader(terminator=b"\x03", idle_timeout=5)
    scanner.send(b"A-01-03\x03")
    assert recorder.next_scan().code == "A-01-03"


def test_split_reads_make_one_scan(scanner, recorder, make_reader):
    make_reader(idle_timeout=1.0)
    scanner.send(EAN[:5])
    threading.Event().wait(0.05)  # let the reader see the first half on its own
    scanner.send(EAN[5:] + b"\r")
    threading.Event().wait(0.05)
    scanner.send(b"\n")
    assert recorder.next_scan().gtin == EAN.decode()
    assert recorder.no_scan_within(0.2)


def test_noise_is_dropped(scanner, recorder, make_reader):
    make_reader()
    scanner.send(b"\x00\xff" + EAN[:4] + b"\x00" + EAN[4:] + b"\xff\r\n")
    assert recorder.next_scan().gtin == EAN.decode()


def test_overlong_record_is_rejected_and_the_next_scan_survives(scanner, recorder, make_reader):
    make_reader(idle_timeout=1.0)
    scanner.send(b"7" * 5000 + b"\r\n" + EAN + b"\r\n")
    rejected = recorder.next_scan()
    assert rejected.kind == "error" and "too long" in (rejected.error or "")
    assert recorder.next_scan().gtin == EAN.decode()


def test_wrong_baud_garbage_gets_a_hint(scanner, recorder, make_reader):
    make_reader()
    scanner.send(b"\x86\xe3\x9f\x1f\xf8\r\n" + EAN + b"\r\n")
    garbage = recorder.next_scan()
    assert garbage.kind == "error" and garbage.error == UNREADABLE
    assert recorder.next_scan().gtin == EAN.decode()


def test_unplug_and_replug_under_the_same_name(scanner, recorder, make_reader):
    make_reader()
    scanner.send(EAN + b"\r\n")
    assert recorder.next_scan().gtin == EAN.decode()
    scanner.unplug()  # a pty hangup discards bytes the reader has not read yet, as a USB unplug does
    recorder.wait_status("disconnected")
    scanner.plug()
    recorder.wait_status("connected")
    scanner.send(OTHER + b"\r\n")
    assert recorder.next_scan().gtin == OTHER.decode()


def test_a_scan_cut_off_by_an_unplug_is_reported_not_lost(scanner, recorder, make_reader):
    make_reader(idle_timeout=5)
    scanner.send(EAN + b"\r\n" + OTHER[:6])
    assert recorder.next_scan().gtin == EAN.decode()
    threading.Event().wait(0.1)  # the reader has the first six digits of the next scan
    scanner.unplug()
    cut = recorder.next_scan()
    assert (cut.kind, cut.error, cut.raw) == ("error", "scan cut off: scanner disconnected", OTHER[:6])
    recorder.wait_status("disconnected")


def test_a_batch_dump_arrives_as_scans_with_quantities(scanner, recorder, make_reader):
    make_reader()
    scanner.send(b"4006381333931,8,5\r\n9780306406157\r\nA-01-03,2\r\n")
    scans = [recorder.next_scan() for _ in range(3)]
    assert [(scan.kind, scan.gtin or scan.code, scan.quantity) for scan in scans] == [
        ("gtin", "4006381333931", Decimal("8.5")), ("isbn", "9780306406157", None), ("code", "A-01-03", Decimal(2)),
    ]


def test_missing_port_is_reported_once_then_found(tmp_path, recorder):
    reader = ScannerReader(ScannerSettings(port=str(tmp_path / "scanner")), recorder.on_scan, recorder.on_status,
                           min_backoff=0.01, max_backoff=0.02)
    reader.start()
    recorder.wait_status("disconnected")
    fake = FakeScanner(tmp_path)  # plugged in after a few failed attempts
    try:
        status, _ = recorder.statuses.get(timeout=WAIT)
        assert status == "connected"  # the failed retries were not reported again
        fake.send(EAN + b"\n")
        assert recorder.next_scan().gtin == EAN.decode()
    finally:
        reader.close()
        fake.unplug()


def test_callback_errors_do_not_kill_the_reader(scanner, recorder):
    calls = []

    def explode(scan):
        calls.append(scan)
        if len(calls) == 1:
            raise RuntimeError("boom")
        recorder.on_scan(scan)

    reader = ScannerReader(ScannerSettings(port=str(scanner.path)), explode, recorder.on_status)
    reader.start()
    try:
        recorder.wait_status("connected")
        scanner.send(EAN + b"\r\n" + OTHER + b"\r\n")
        assert recorder.next_scan().gtin == OTHER.decode()
        assert reader.running
    finally:
        reader.close()


def test_close_stops_the_thread(scanner, make_reader):
    reader = make_reader()
    reader.close(timeout=1.0)
    assert not reader.running


def test_close_interrupts_the_backoff_wait(tmp_path, recorder):
    reader = ScannerReader(ScannerSettings(port=str(tmp_path / "absent")), recorder.on_scan, recorder.on_status,
                           min_backoff=30, max_backoff=30)
    reader.start()
    recorder.wait_status("disconnected")
    reader.close(timeout=1.0)
    assert not reader.running
