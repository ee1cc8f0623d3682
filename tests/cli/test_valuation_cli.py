"""``stockroom export valuation`` as a script runs it: columns, 4-decimal money, layers, filters, refusals."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOCATIONS = (
    "code,name,type,parent,cost_method\nEAST,East,warehouse,,fifo\nWEST,West,warehouse,,avco\n"
)
PRODUCTS = "code,name,uom\nBOLT,Bolt,pc\n=NUT,Nut,kg\n"
MOVES = (
    "date,product,quantity,from,to,unit_cost,reason\n"
    "2026-01-10T09:00:00+00:00,BOLT,1,SUPPLIER,EAST/STOCK,100,received\n"
    "2026-01-11T09:00:00+00:00,BOLT,1,SUPPLIER,EAST/STOCK,200,received\n"
    "2026-01-12T09:00:00+00:00,BOLT,3,SUPPLIER,WEST/STOCK,\"0,1\",received\n"
    "2026-01-13T09:00:00+00:00,BOLT,3,SUPPLIER,WEST/STOCK,\"0,2\",received\n"
    "2026-01-14T09:00:00+00:00,=NUT,0.5,SUPPLIER,WEST/STOCK,3.33333,received\n"
    "2026-02-01T09:00:00+00:00,BOLT,1,EAST/STOCK,CUSTOMER,,sold\n"
)


def stockroom(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", url, *args], cwd=ROOT, capture_output=True, timeout=60
    )


def loaded(make_db_url: Callable[[str], str], tmp_path: Path) -> str:
    url = make_db_url("v")
    for kind, text in (("locations", LOCATIONS), ("products", PRODUCTS), ("moves", MOVES)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        done = stockroom(url, "import", kind, str(path))
        assert done.returncode == 0, done.stderr
    return url


def test_valuation_columns_and_four_decimals(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    done = stockroom(url, "export", "valuation")
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout.decode().splitlines() == [
        "warehouse,product,quantity,unit_cost,value",
        "EAST,BOLT,1,200.0000,200.0000",  # FIFO: the unit at 100 was sold first
        "WEST,'=NUT,0.5,3.3333,1.6667",  # 0.5 x 3.33333 = 1.666665 to 4 decimals
        "WEST,BOLT,6,0.1500,0.9000",
    ]


def test_valuation_at_a_past_time_for_one_warehouse_and_by_layer(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    past = stockroom(url, "export", "valuation", "--warehouse", "EAST", "--at", "2026-01-20T00:00:00+00:00")
    assert past.stdout.decode().splitlines() == [
        "warehouse,product,quantity,unit_cost,value",
        "EAST,BOLT,2,150.0000,300.0000",
    ]
    out = tmp_path / "layers.csv"
    by_layer = stockroom(url, "export", "valuation", "--layers", "--at", "2026-01-20T00:00:00+00:00", "-o", str(out))
    assert by_layer.returncode == 0, by_layer.stderr
    assert out.read_text(encoding="utf-8").splitlines() == [
        "warehouse,product,date,quantity,unit_cost,value",
        "EAST,BOLT,2026-01-10T09:00:00+00:00,1,100.0000,100.0000",
        "EAST,BOLT,2026-01-11T09:00:00+00:00,1,200.0000,200.0000",
        "WEST,'=NUT,2026-01-14T09:00:00+00:00,0.5,3.3333,1.6667",
        "WEST,BOLT,2026-01-13T09:00:00+00:00,6,0.1500,0.9000",
    ]


def test_wrong_options_and_codes_are_refused(make_db_url, tmp_path):
    url = loaded(make_db_url, tmp_path)
    usage = stockroom(url, "export", "valuation", "--location", "EAST/STOCK")
    assert usage.returncode == 2 and b"--location does not apply to export valuation" in usage.stderr
    layers_on_stock = stockroom(url, "export", "stock", "--layers")
    assert layers_on_stock.returncode == 2 and b"--layers does not apply to export stock" in layers_on_stock.stderr
    not_a_warehouse = stockroom(url, "export", "valuation", "--warehouse", "EAST/STOCK")
    assert not_a_warehouse.returncode == 1 and b"not a warehouse" in not_a_warehouse.stderr
    unknown = stockroom(url, "export", "valuation", "--warehouse", "NORTH")
    assert unknown.returncode == 1 and b"no location 'NORTH'" in unknown.stderr
