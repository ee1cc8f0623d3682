"""``stockroom export balance|transactions|coverage|counts`` as a script runs them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.cli.test_data_cli import rows, stockroom

NOW = datetime.now(UTC).replace(microsecond=0)
LOCATIONS = "code,name,type,parent\nWH,Main,warehouse,\nA-01,Shelf 1,storage,WH/STOCK\nA-02,Shelf 2,storage,WH/STOCK\n"
PRODUCTS = "code,name,uom,barcodes,category,low_stock\nBEANS,Beans,pc,5901234123457,tins,\n=X,Formula,kg,,dry,10\n"


def day(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def moves() -> str:
    """BEANS: 20 in (day 40), 5 A-01 -> A-02 (day 9), 7 sold (day 8), 1 damaged (day 2); =X: 4 kg in (day 6)."""
    return (
        "date,product,quantity,from,to,unit_cost,reason\n"
        f"{day(40)},BEANS,20,SUPPLIER,A-01,2,received\n"
        f"{day(9)},BEANS,5,A-01,A-02,,\n"
        f"{day(8)},BEANS,7,A-01,CUSTOMER,,sold\n"
        f"{day(6)},=X,4,SUPPLIER,A-02,\"1,5\",received\n"
        f"{day(2)},BEANS,1,A-02,WH/LOST,,damaged\n"
    )


def loaded(make_db_url, tmp_path: Path) -> str:
    url = make_db_url("r")
    for kind, text in (("locations", LOCATIONS), ("products", PRODUCTS), ("moves", moves())):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        done = stockroom(url, "import", kind, str(path))
        assert done.returncode == 0, done.stderr
    return url


def test_export_balance_with_filters(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    done = stockroom(url, "export", "balance")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "product,name,category,location,on_hand,reserved,available,uom,last_change,low"
    # sorted by product code: "=X" before "BEANS"; =X: 4 <= 10 is low; a formula start is neutralised
    assert [(r["product"], r["location"], r["on_hand"], r["available"], r["low"]) for r in rows(done.stdout)] == [
        ("'=X", "A-02", "4", "4", "1"),
        ("BEANS", "A-01", "8", "8", "0"),
        ("BEANS", "A-02", "4", "4", "0"),
    ]
    assert rows(done.stdout)[1]["last_change"] == day(8)
    only = stockroom(url, "export", "balance", "--location", "A-02", "--category", "tins")
    assert [(r["product"], r["location"]) for r in rows(only.stdout)] == [("BEANS", "A-02")]
    missing = stockroom(url, "export", "balance", "--product", "NOPE")
    assert (missing.returncode, missing.stdout) == (1, b"") and b"NOPE" in missing.stderr


def test_export_transactions_in_a_span_by_reason_and_operator(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    out = tmp_path / "t.csv"
    done = stockroom(url, "export", "transactions", "--since", day(10), "--until", day(3), "-o", str(out))
    assert (done.returncode, done.stdout) == (0, b"")
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "date,product,quantity,uom,from,to,reason,operator,terminal,origin"
    assert [(r["date"], r["product"], r["quantity"], r["from"], r["to"]) for r in rows(text.encode())] == [
        (day(9), "BEANS", "5", "A-01", "A-02"),
        (day(8), "BEANS", "7", "A-01", "CUSTOMER"),
        (day(6), "'=X", "4", "SUPPLIER", "A-02"),
    ]
    damaged = stockroom(url, "export", "transactions", "--reason", "damaged", "--by", "cli-test")
    assert [r["quantity"] for r in rows(damaged.stdout)] == ["1"]
    assert rows(stockroom(url, "export", "transactions", "--by", "someone-else").stdout) == []


def test_export_coverage_over_a_period(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    done = stockroom(url, "export", "coverage", "--days", "14", "--under", "30", "--warehouse", "WH")
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines()[0] == (
        "product,name,on_hand,outflow,days,daily_outflow,coverage_days,uom,under"
    )
    # BEANS: 12 on hand, 7 sold + 1 damaged = 8 out in 14 days -> 12 x 14 / 8 = 21 days, under 30
    assert [list(r.values()) for r in rows(done.stdout)] == [
        ["'=X", "Formula", "4", "0", "14", "0.0000", "", "kg", "0"],
        ["BEANS", "Beans", "12", "8", "14", "0.5714", "21.0", "pc", "1"],
    ]
    week = stockroom(url, "export", "coverage", "--days", "7", "--product", "BEANS")
    assert [(r["outflow"], r["coverage_days"], r["under"]) for r in rows(week.stdout)] == [("1", "84.0", "0")]
    wrong = stockroom(url, "export", "coverage", "--days", "10")
    assert wrong.returncode == 2 and b"invalid choice" in wrong.stderr


def test_export_counts(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    number = stockroom(url, "count", "start", "A-01").stdout.decode().strip()
    dump = tmp_path / "dump.txt"
    dump.write_text("5901234123457,6\n", encoding="utf-8")
    assert stockroom(url, "count", "add", number, str(dump)).returncode == 0
    assert stockroom(url, "count", "confirm", number).returncode == 0
    done = stockroom(url, "export", "counts")
    assert done.returncode == 0, done.stderr
    [row] = rows(done.stdout)
    # 8 expected, 6 counted: 2 lost at FIFO cost 2 -> -4
    assert {k: row[k] for k in ("session", "location", "state", "lines", "gained", "lost", "net", "value")} == {
        "session": number, "location": "A-01", "state": "confirmed", "lines": "1", "gained": "0", "lost": "2",
        "net": "-2", "value": "-4.0000",
    }  # fmt: skip
    assert rows(stockroom(url, "export", "counts", "--location", "A-02").stdout) == []


def test_options_of_another_kind_are_usage_errors(make_db_url, tmp_path):
    url = make_db_url("e")
    done = stockroom(url, "export", "balance", "--days", "7")
    assert done.returncode == 2 and b"--days does not apply to export balance" in done.stderr
    done = stockroom(url, "export", "stock", "--category", "x")
    assert done.returncode == 2 and b"--category does not apply to export stock" in done.stderr
