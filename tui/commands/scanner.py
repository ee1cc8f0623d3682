"""``stockroom scanner``: list serial ports, watch a scanner live, decode data given as arguments,
and name the region of the stock room's in-store weight and price codes."""

from __future__ import annotations

import argparse
import json
import queue
import re
import sys

from devices.decode import decode, parse_config
from devices.ports import list_ports
from devices.reader import ScannerReader
from devices.scan import Scan, escape_text
from devices.settings import ScannerSettings, SettingsError
from store.errors import InvalidValue
from store.in_store_codes import in_store_region, set_in_store_region
from tui.commands.common import store_from_args

_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\\\")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``scanner list``, ``scanner test``, ``scanner decode`` and ``scanner region``."""
    parser = subparsers.add_parser("scanner", help="barcode scanners: list, test, decode, region")
    commands = parser.add_subparsers(dest="scanner_command", metavar="ACTION", required=True)

    listing = commands.add_parser("list", help="serial ports with their USB ids and stable names")
    listing.set_defaults(handler=list_command)

    test = commands.add_parser("test", help="print each scan from PORT as it arrives, until Ctrl-C")
    test.add_argument("port", metavar="PORT", help="device path, by-id name, VID:PID or pyserial URL")
    test.add_argument("--baud", type=int, default=9600, help="baud rate (default 9600)")
    test.add_argument("--parity", choices=["N", "E", "O"], default="N", help="parity (default N)")
    test.add_argument("--data-bits", type=int, choices=[7, 8], default=8, help="data bits (default 8)")
    test.add_argument("--stop-bits", type=int, choices=[1, 2], default=1, help="stop bits (default 1)")
    test.add_argument("--region", help="region of in-store weight/price codes, e.g. se, de, gb")
    test.add_argument("--json", action="store_true", help="one JSON object per scan on stdout")
    test.set_defaults(handler=test_command)

    decode_parser = commands.add_parser("decode", help="decode DATA as if scanned (\\x1d stands for GS)")
    decode_parser.add_argument("data", nargs="+", metavar="DATA")
    decode_parser.add_argument("--region", help="region of in-store weight/price codes, e.g. se, de, gb")
    decode_parser.add_argument("--json", action="store_true", help="one JSON object per scan")
    decode_parser.set_defaults(handler=decode_command)

    region = commands.add_parser(
        "region", help="print, or name, the region whose layout the stock room's in-store weight/price codes follow"
    )
    region.add_argument("region", nargs="?", metavar="REGION", help="e.g. se, de, gb; 'none' reads them as plain codes")
    region.set_defaults(handler=region_command)


def list_command(args: argparse.Namespace) -> int:
    """Print the serial ports present now."""
    ports = list_ports()
    if not ports:
        print("no serial ports found")
    for port in ports:
        usb = port.usb_id or "-"
        print(f"{escape_text(port.path)}  {usb}  {escape_text(port.description)}")
        for link in port.links:
            print(f"    {escape_text(link)}")
    return 0


def test_command(args: argparse.Namespace) -> int:
    """Read PORT until Ctrl-C, printing every scan and every connect/disconnect."""
    try:
        settings = line_settings(args)
    except SettingsError as error:
        print(f"stockroom scanner test: {error}", file=sys.stderr)
        return 2
    events: queue.Queue[Scan | tuple[str, str]] = queue.Queue()
    reader = ScannerReader(settings, events.put, lambda status, detail: events.put((status, detail)))
    reader.start()
    try:
        while True:
            event = events.get()
            if isinstance(event, Scan):
                print(format_scan(event, as_json=args.json), flush=True)
            else:
                status, detail = event
                print(f"{status}: {escape_text(detail)}", file=sys.stderr if args.json else sys.stdout, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        reader.close()


def line_settings(args: argparse.Namespace) -> ScannerSettings:
    """The port and line settings ``scanner test`` was given; raises SettingsError for a bad one."""
    return ScannerSettings(
        port=args.port, baudrate=args.baud, bytesize=args.data_bits, parity=args.parity,
        stopbits=args.stop_bits, region=args.region,
    )


def decode_command(args: argparse.Namespace) -> int:
    """Decode each argument; exit 1 when any of them is an error."""
    try:
        scans = [decode(unescape(data), region=args.region) for data in args.data]
    except ValueError as error:
        print(f"stockroom scanner decode: {error}", file=sys.stderr)
        return 2
    for scan in scans:
        print(format_scan(scan, as_json=args.json))
    return 0 if all(scan.ok for scan in scans) else 1


def region_command(args: argparse.Namespace) -> int:
    """Print the stock room's in-store code region ('none' when unset), or set it to REGION first."""
    store = store_from_args(args)
    if args.region is not None:
        region = args.region.strip().lower()
        region = None if region == "none" else region
        try:
            parse_config(region)
        except ValueError as error:
            raise InvalidValue(str(error)) from None
        set_in_store_region(store, region)
    print(in_store_region() or "none")
    return 0


def unescape(text: str) -> str:
    """Turn ``\\x1d``-style escapes (and ``\\\\``) in a command-line argument into characters."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)) if m[1] else "\\", text)


def format_scan(scan: Scan, *, as_json: bool) -> str:
    """One line describing ``scan``; every scanned character is escaped, so it is safe to print."""
    fields = scan.to_json_dict()
    if as_json:
        return json.dumps(fields)
    if scan.error:
        return f"error  {scan.raw_text}  {escape_text(scan.error, double_backslashes=False)}"
    details = "  ".join(
        f"{name}={escape_text(str(value))}"
        for name, value in fields.items()
        if name not in ("raw", "kind", "error", "symbology")
    )
    symbology = f" {scan.symbology}" if scan.symbology else ""
    return f"{scan.kind}{symbology}  {scan.raw_text}  {details}".rstrip()
