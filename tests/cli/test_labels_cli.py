"""``stockroom labels`` as a script runs it: files written and listed, ZPL sent to a printer, refusals."""

from __future__ import annotations

import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from store.catalog import create_product, get_product
from store.database import open_store
from store.locations import create_location, get_location
from store.models import Barcode
from store.units import get_uom
from tests.fake_printer import TcpPrinter
from tests.label_reading import read_label, read_sheet

ROOT = Path(__file__).resolve().parents[2]


def stockroom(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, *args], cwd=ROOT, capture_output=True, timeout=60
    )


def closed_port() -> str:
    """The address of a local port nothing listens on any more."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return f"127.0.0.1:{probe.getsockname()[1]}"


def stocked(url: str) -> str:
    store = open_store(url, operator="tester")
    try:
        create_location(store, "WH", "Main", "warehouse")
        create_location(
            store, "A-01", "Shelf <1> & ^XZ", "storage", parent=get_location("WH/STOCK"), barcode="LOC-A01"
        )
        create_product(store, "FLOUR", "Flour", get_uom("pc"), [("4006381333931", Decimal(1))])
        create_product(store, "TAPE", "Tape", get_uom("pc"))
    finally:
        store.close()
    return url


def test_labels_are_written_and_listed(make_db_url, tmp_path):
    url = stocked(make_db_url("l"))
    out = tmp_path / "labels"
    done = stockroom(url, "labels", "products", "-o", str(out), "--format", "png")
    assert (done.returncode, done.stderr) == (0, b"")
    paths = [Path(line) for line in done.stdout.decode().splitlines()]
    assert paths == [out / "FLOUR.png", out / "TAPE.png"]
    assert [read_label(path) for path in paths] == [("EAN13", "4006381333931"), ("Code128", "TAPE")]


def test_named_locations_copies_on_a_sheet(make_db_url, tmp_path):
    url = stocked(make_db_url("l"))
    done = stockroom(
        url, "labels", "locations", "A-01", "WH/STOCK", "--copies", "13", "--sheet", "-o", str(tmp_path)
    )
    assert done.returncode == 0, done.stderr
    pages = [Path(line) for line in done.stdout.decode().splitlines()]
    assert [page.name for page in pages] == ["locations-sheet-1.svg", "locations-sheet-2.svg"]
    assert read_sheet(pages[1])[:3] == [("Code128", "WH/STOCK"), ("Code128", "WH/STOCK"), None]


def test_zpl_goes_to_a_file_and_to_a_tcp_printer(make_db_url, tmp_path):
    url = stocked(make_db_url("l"))
    printer = TcpPrinter()
    try:
        done = stockroom(
            url, "labels", "locations", "A-01", "--format", "zpl", "--copies", "2",
            "--printer", f"tcp://{printer.address}", "-o", str(tmp_path),
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        written = tmp_path / "locations.zpl"
        assert done.stdout.decode().splitlines() == [
            str(written),
            f"sent 1 labels x 2 to tcp://{printer.address}",
        ]
        assert printer.received() == [written.read_bytes()]
    finally:
        printer.close()
    zpl = written.read_text(encoding="ascii")
    assert "^FDShelf <1> & _5EXZ^FS" in zpl and "^FD>:LOC-A01^FS" in zpl and "^PQ2" in zpl


def test_printing_alone_needs_no_directory(make_db_url):
    url = stocked(make_db_url("l"))
    printer = TcpPrinter()
    try:
        done = stockroom(url, "labels", "products", "TAPE", "--format", "zpl", "--printer", printer.address)
        assert done.returncode == 0, done.stderr
        (sent,) = printer.received()
        assert b"^FD>:TAPE^FS" in sent
    finally:
        printer.close()


def test_refusals_exit_1_with_a_message(make_db_url, tmp_path):
    url = make_db_url("l")
    stocked(url)
    store = open_store(url)
    Barcode.create(code="4006381333932", product=get_product("TAPE"), quantity=Decimal(1))
    store.close()
    out = tmp_path / "out"
    bad_digit = stockroom(url, "labels", "products", "-o", str(out))
    assert bad_digit.returncode == 1
    assert b"product TAPE: barcode 4006381333932: wrong check digit, expected 1" in bad_digit.stderr
    unknown = stockroom(url, "labels", "locations", "NOPE", "A-01", "-o", str(out))
    assert unknown.returncode == 1 and b"no location 'NOPE'" in unknown.stderr
    sheet_zpl = stockroom(url, "labels", "locations", "--format", "zpl", "--sheet", "-o", str(out))
    assert sheet_zpl.returncode == 1 and b"a sheet is for SVG or PNG" in sheet_zpl.stderr
    offline = stockroom(url, "labels", "locations", "--format", "zpl", "--printer", closed_port())
    assert offline.returncode == 1 and b"cannot be reached" in offline.stderr
    assert not out.exists()


def test_usage_errors_exit_2(make_db_url, tmp_path):
    url = stocked(make_db_url("l"))
    no_output = stockroom(url, "labels", "products")
    assert no_output.returncode == 2 and b"give -o DIR" in no_output.stderr
    svg_printer = stockroom(url, "labels", "products", "--printer", "127.0.0.1:9", "-o", str(tmp_path))
    assert svg_printer.returncode == 2 and b"--printer takes --format zpl" in svg_printer.stderr
    wrong_kind = stockroom(url, "labels", "bins", "-o", str(tmp_path))
    assert wrong_kind.returncode == 2
