"""``stockroom import`` and ``stockroom export`` as a script runs them: exit codes, stdout, stderr."""

from __future__ import annotations

import csv
import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOCATIONS = "code,name,type,parent,negative\nWH,Main,warehouse,,forbid\nA-01,Shelf 1,storage,WH/STOCK,\n"
PRODUCTS = "\ufeffcode,name,uom,barcodes\nBEANS,Beans,pc,5901234123457\n-X,Minus,kg,\n"
MOVES = (
    "date,product,quantity,from,to,unit_cost,reason\n"
    "2026-01-10T09:00:00+00:00,BEANS,24,SUPPLIER,A-01,\"0,80\",received\n"
    "2026-01-11T09:00:00+00:00,-X,\"8,5\",SUPPLIER,A-01,,\n"
    "2026-02-01T09:00:00+00:00,BEANS,4,A-01,CUSTOMER,,sold\n"
)


def stockroom(url: str, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, "--operator", "cli-test", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        timeout=60,
    )


def load(url: str, tmp_path: Path) -> None:
    for kind, text in (("locations", LOCATIONS), ("products", PRODUCTS), ("moves", MOVES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        done = stockroom(url, "import", kind, str(path))
        assert (done.returncode, done.stderr) == (0, b""), done.stderr
        assert done.stdout.decode().strip() == f"imported {text.count(chr(10)) - 1} {kind}"


def rows(output: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output.decode())))


def test_import_export_round_trip_through_the_command(make_db_url, tmp_path):
    url = make_db_url("a")
    load(url, tmp_path)
    stock = stockroom(url, "export", "stock")
    assert stock.returncode == 0
    assert stock.stdout.decode() == (
        "product,location,on_hand,reserved,available,uom\n'-X,A-01,8.5,0,8.5,kg\nBEANS,A-01,20,0,20,pc\n"
    )
    moves_file = tmp_path / "out.csv"
    assert stockroom(url, "export", "moves", "-o", str(moves_file)).returncode == 0
    exported = rows(moves_file.read_bytes())
    assert [(m["product"], m["quantity"], m["operator"], m["origin"]) for m in exported] == [
        ("BEANS", "24", "cli-test", "import"),
        ("'-X", "8.5", "cli-test", "import"),
        ("BEANS", "4", "cli-test", "import"),
    ]

    fresh = make_db_url("b")
    for kind in ("locations", "products"):
        assert stockroom(fresh, "import", kind, str(tmp_path / f"{kind}.csv")).returncode == 0
    again = stockroom(fresh, "import", "moves", "-", stdin=moves_file.read_bytes())
    assert (again.returncode, again.stdout) == (0, b"imported 3 moves\n")
    assert stockroom(fresh, "export", "moves").stdout == moves_file.read_bytes()
    assert stockroom(fresh, "export", "stock").stdout == stock.stdout


def test_export_filters_at_and_location(make_db_url, tmp_path):
    url = make_db_url("a")
    load(url, tmp_path)
    past = stockroom(url, "export", "stock", "--location", "WH", "--at", "2026-01-10T12:00:00+00:00")
    assert rows(past.stdout) == [
        {"product": "BEANS", "location": "A-01", "on_hand": "24", "reserved": "0", "available": "24", "uom": "pc"}
    ]
    customer = stockroom(url, "export", "stock", "--location", "CUSTOMER")
    assert [(r["product"], r["on_hand"]) for r in rows(customer.stdout)] == [("BEANS", "4")]
    since = stockroom(url, "export", "moves", "--since", "2026-01-11", "--product", "BEANS")
    assert [r["reason"] for r in rows(since.stdout)] == ["sold"]


def test_refusals_exit_1_with_the_reason_and_change_nothing(make_db_url, tmp_path):
    url = make_db_url("a")
    load(url, tmp_path)
    before = stockroom(url, "export", "moves").stdout
    bad = "date,product,quantity,from,to\n2026-02-02,BEANS,1,SUPPLIER,A-01\n2026-02-02,BEANS,30,A-01,CUSTOMER\n"
    refused = stockroom(url, "import", "moves", "-", stdin=bad.encode())
    assert refused.returncode == 1 and refused.stdout == b""
    assert refused.stderr.decode().startswith("stockroom: line 3, column 'quantity': A-01 forbids negative stock")
    control = stockroom(url, "import", "products", "-", stdin=b"code,name,uom\nNEW,New \x1b[31mred,pc\n")
    assert control.returncode == 1
    assert "line 2, column 'name'" in control.stderr.decode()
    unknown = stockroom(url, "export", "stock", "--location", "NOWHERE", "-o", str(tmp_path / "never.csv"))
    assert unknown.returncode == 1 and "no location 'NOWHERE'" in unknown.stderr.decode()
    assert not (tmp_path / "never.csv").exists()
    missing = stockroom(url, "import", "moves", str(tmp_path / "missing.csv"))
    assert missing.returncode == 1 and "cannot read" in missing.stderr.decode()
    assert stockroom(url, "export", "moves").stdout == before


def test_usage_errors_exit_2(make_db_url):
    url = make_db_url("a")
    for args, message in (
        (("import", "widgets", "x.csv"), "invalid choice"),
        (("import", "moves"), "required"),
        (("export", "stock", "--since", "2026-01-01"), "--since does not apply to export stock"),
        (("export", "moves", "--at", "2026-01-01"), "--at does not apply to export moves"),
        (("export", "stock", "--at", "yesterday"), "not an ISO 8601 date"),
    ):
        done = stockroom(url, *args)
        assert done.returncode == 2, args
        assert message in done.stderr.decode(), (args, done.stderr)


def test_import_picks_from_stdin_and_a_refused_file(make_db_url, tmp_path):
    url = make_db_url("cli")
    load(url, tmp_path)
    done = stockroom(url, "import", "picks", "-", stdin=b"pick,product,quantity,customer\nORD-1,BEANS,2,Ana\n")
    assert (done.returncode, done.stdout.decode().strip(), done.stderr) == (0, "imported 1 picks", b"")
    refused = stockroom(url, "import", "picks", "-", stdin=b"pick,product,quantity\nORD-1,BEANS,2\n")
    assert refused.returncode == 1
    assert refused.stderr.decode().strip() == "stockroom: line 2, column 'pick': pick list ORD-1 already exists"


def test_demo_commands_fill_a_new_demo_database_and_a_closed_pipe_ends_them_quietly(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    env.pop("STOCKROOM_DB", None)
    exported = subprocess.run([sys.executable, "-m", "tui", "--demo", "export", "stock"],
                              cwd=ROOT, env=env, capture_output=True, timeout=120)  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) > 10  # the header and the demo's stock, not the header alone
    piped = subprocess.run(f"{shlex.quote(sys.executable)} -m tui --demo export moves | head -1",
                           shell=True, cwd=ROOT, env=env, capture_output=True, timeout=120)  # fmt: skip
    assert piped.stdout.count(b"\n") == 1 and piped.stderr == b""
