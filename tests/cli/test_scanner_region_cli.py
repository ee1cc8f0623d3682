"""`stockroom scanner region` in a real process: the stock room's in-store code region, read and named."""

from __future__ import annotations

from store.in_store_codes import in_store_region
from tests.cli.test_count_cli import stockroom


def test_print_name_and_forget_the_region(db_url, store):
    shown = stockroom(db_url, "scanner", "region")
    assert (shown.returncode, shown.stdout.decode()) == (0, "none\n")
    named = stockroom(db_url, "scanner", "region", "SE")
    assert (named.returncode, named.stdout.decode()) == (0, "se\n")
    assert in_store_region() == "se"
    assert stockroom(db_url, "scanner", "region").stdout.decode() == "se\n"
    forgotten = stockroom(db_url, "scanner", "region", "none")
    assert (forgotten.returncode, forgotten.stdout.decode()) == (0, "none\n")
    assert in_store_region() is None


def test_a_region_the_decoder_does_not_know_is_refused(db_url, store):
    refused = stockroom(db_url, "scanner", "region", "xx")
    assert refused.returncode == 1 and refused.stdout == b""
    assert "unknown in-store code region 'xx' (known: de, dk, ee, fi, gb, lt, lv, no, se)" in refused.stderr.decode()
    assert in_store_region() is None
