"""Sending ZPL to a label printer over a real TCP socket and a real pseudo-terminal, and failing clearly."""

from __future__ import annotations

import os
import socket
import threading
import tty

import pytest

from devices.printer import PrinterError, send_to_printer, tcp_address
from tests.fake_printer import TcpPrinter

ZPL = b"^XA^FO20,20^A0N,30,30^FDhello^FS^XZ\n" * 200  # 7 kB: more than one write


@pytest.mark.parametrize("scheme", ["tcp://", ""])
def test_zpl_reaches_a_tcp_printer(scheme):
    printer = TcpPrinter()
    try:
        send_to_printer(scheme + printer.address, ZPL)
        assert printer.received() == [ZPL]
    finally:
        printer.close()


def test_a_serial_printer_gets_the_bytes_through_a_pty():
    master, slave = os.openpty()
    tty.setraw(slave)
    got = bytearray()

    def read() -> None:
        while len(got) < len(ZPL):
            got.extend(os.read(master, 65536))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        send_to_printer(os.ttyname(slave), ZPL, timeout=5)
        reader.join(timeout=10)
        assert bytes(got) == ZPL
    finally:
        os.close(slave)
        os.close(master)


def test_a_closed_port_is_a_clear_error():
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    # nothing listens on the port any more
    with pytest.raises(PrinterError, match=rf"printer 127.0.0.1:{port} cannot be reached"):
        send_to_printer(f"tcp://127.0.0.1:{port}", ZPL, timeout=2)


def test_a_missing_serial_port_is_a_clear_error(tmp_path):
    with pytest.raises(PrinterError, match="cannot be opened"):
        send_to_printer(str(tmp_path / "ttyUSB9"), ZPL)


@pytest.mark.parametrize(
    ("address", "target"),
    [
        ("tcp://printer.local:9100", ("printer.local", 9100)),
        ("10.0.0.5:9100", ("10.0.0.5", 9100)),
        ("[::1]:9100", ("::1", 9100)),
        ("/dev/ttyUSB0", None),
        ("COM3", None),
        ("socket://10.0.0.5:9100", None),
        ("loop://", None),
    ],
)
def test_addresses_are_tcp_or_serial(address, target):
    assert tcp_address(address) == target


@pytest.mark.parametrize("address", ["tcp://printer", "tcp://host:99999"])
def test_bad_tcp_addresses_are_refused(address):
    with pytest.raises(PrinterError, match="printer address"):
        tcp_address(address)
