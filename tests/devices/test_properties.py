"""Property tests: nothing scanned raises, and every valid GTIN survives framing and decoding."""

from __future__ import annotations

import json

from biip.checksums import gs1_standard_check_digit
from hypothesis import example, given, settings
from hypothesis import strategies as st

from devices.decode import (
    _decode,
    _plain_gtin_kind,
    _restricted_circulation,
    decode,
    decode_record,
    parse_config,
)
from devices.framing import Framer, Rejected
from devices.scan import KINDS

TERMINATORS = [b"\r", b"\n", b"\r\n"]


@st.composite
def gtins(draw: st.DrawFn) -> str:
    length = draw(st.sampled_from([8, 12, 13, 14]))
    payload = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    return payload + str(gs1_standard_check_digit(payload))


@given(st.binary(max_size=300), st.lists(st.integers(min_value=0, max_value=300), max_size=5))
def test_framer_never_raises(data, cuts):
    framer = Framer()
    points = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    frames = []
    for start, end in zip(points, points[1:], strict=False):
        frames += framer.feed(data[start:end], float(start))
    frames += framer.flush_if_idle(1e9) + framer.abort("end")
    for frame in frames:
        assert isinstance(frame, bytes | Rejected)


@given(st.binary(max_size=200), st.sampled_from([None, "]C1", "]E0", "]d2", "]Q3", "]C0"]))
def test_decoder_never_raises_on_bytes(data, symbology):
    scan = decode(data, symbology=symbology)
    assert scan.raw == data
    assert "\x1b" not in scan.raw_text and "\x1b" not in (scan.error or "")


@given(st.text(max_size=100))
def test_decoder_never_raises_on_text(text):
    scan = decode(text)
    assert scan.kind in {"gtin", "gs1", "sscc", "isbn", "issn", "in_store", "code", "error"}


@given(gtins(), st.sampled_from(TERMINATORS), st.integers(min_value=0, max_value=16))
def test_every_valid_gtin_framed_and_split_decodes_to_itself(gtin, terminator, cut):
    data = gtin.encode() + terminator
    cut = min(cut, len(data))
    framer = Framer()
    frames = framer.feed(data[:cut], 0.0) + framer.feed(data[cut:], 0.001)
    assert frames == [gtin.encode()]
    scan = decode(frames[0])
    assert scan.error is None
    assert scan.kind in {"gtin", "isbn", "issn", "in_store"}
    assert scan.gtin == gtin


@st.composite
def digit_records(draw: st.DrawFn) -> str:
    """Bare digit strings of GTIN lengths: valid or not, often with prefixes that matter
    (ISBN/ISSN, in-store 02/2x/04, leading zeros, 14-digit indicators)."""
    length = draw(st.sampled_from([8, 12, 13, 14]))
    prefix = draw(st.sampled_from(["", "0", "00", "000000", "978", "979", "977", "02", "2", "20", "04", "05",
                                   "09", "1978", "0978", "0977", "00978", "100"]))[: length - 1]
    rest = draw(st.text(alphabet="0123456789", min_size=length - 1 - len(prefix), max_size=length - 1 - len(prefix)))
    payload = prefix + rest
    if draw(st.booleans()):
        return payload + str(gs1_standard_check_digit(payload))
    return payload + draw(st.sampled_from("0123456789"))


@settings(max_examples=1000)
@example("19780306406154", None, True)  # 14 digits with an indicator: not an ISBN
@example("09780306406157", None, True)  # a zero-padded EAN-13 ISBN
@example("2012345000001", "se", False)  # in-store
@given(digit_records(), st.sampled_from([None, "se", "de", "gb"]), st.booleans())
def test_fast_gtin_path_gives_the_general_paths_scan(record, region, as_bytes):
    data = record.encode() if as_bytes else record
    general = _decode(data, None, parse_config(region), 1.0)
    assert decode(data, region=region, received_at=1.0) == general
    assert decode_record(record.encode(), region, 1.0) == general  # the reader's entry


@given(digit_records())
def test_fast_check_digit_agrees_with_biip(record):
    valid = gs1_standard_check_digit(record[:-1]) == int(record[-1])
    if not valid:
        assert _plain_gtin_kind(record.encode()) is None
    elif len(record) > 8 and len(record.lstrip("0")) > 8 and not _restricted_circulation(record.zfill(14)[1:4]):
        assert _plain_gtin_kind(record.encode()) is not None  # taken for all but in-store and short codes


def test_fast_gtin_path_is_taken_for_common_codes():
    assert _plain_gtin_kind(b"4006381333931") == "gtin"
    assert _plain_gtin_kind(b"036000291452") == "gtin"
    assert _plain_gtin_kind(b"10614141000019") == "gtin"
    assert _plain_gtin_kind(b"9780306406157") == "isbn"
    assert _plain_gtin_kind(b"09771234567003") == "issn"
    assert _plain_gtin_kind(b"4006381333932") is None  # wrong check digit: the general path words it
    assert _plain_gtin_kind(b"2012345000001") is None  # in-store prefix: biip's parse


class _PerRecordFramer(Framer):
    """The framer with its whole-chunk fast path turned off: every record through _end_record."""

    def _all_plain(self, data, parts):
        return False


_FRAMER_BYTES = st.sampled_from([b"0", b"5", b"A", b" ", b"\r", b"\n", b"\r\n", b"#", b"\x03", b"\x1d", b"\x00",
                                 b"\xff", b"\x07", b"\x80", b"40063813339", b"ab##cd"])


@settings(max_examples=500)
@given(
    st.lists(_FRAMER_BYTES, max_size=60).map(b"".join),
    st.lists(st.integers(min_value=0, max_value=300), max_size=6),
    st.sampled_from([None, b"\r\n", b"#", b"##", b"\x03"]),
    st.sampled_from([4, 12, 4096]),
)
def test_framer_fast_path_gives_the_per_record_frames(data, cuts, terminator, max_record):
    fast, slow = Framer(terminator, 0.05, max_record), _PerRecordFramer(terminator, 0.05, max_record)
    points = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    for start, end in zip(points, points[1:], strict=False):
        now = start * 0.01
        assert fast.feed(data[start:end], now) == slow.feed(data[start:end], now)
    assert fast.flush_if_idle(1e9) + fast.abort("end") == slow.flush_if_idle(1e9) + slow.abort("end")


@settings(max_examples=300)
@given(
    st.lists(st.one_of(st.binary(max_size=80), st.lists(_FRAMER_BYTES, max_size=20).map(b"".join)), max_size=8),
    st.sampled_from([None, b"\r\n", b"#"]),
)
def test_arbitrary_bytes_never_raise_out_of_the_drivers_framing_and_decoding(chunks, terminator):
    """What the reader does with each read, without its safety net: every record becomes a Scan
    whose text is safe to print and whose JSON form (``scanner test --json``) can be written."""
    framer = Framer(terminator, 0.05)
    frames = []
    for number, chunk in enumerate(chunks):
        frames += framer.feed(chunk, number * 0.03)
    frames += framer.flush_if_idle(1e9) + framer.abort("end")
    for frame in frames:
        if isinstance(frame, Rejected):
            assert frame.reason
            continue
        scan = decode_record(frame, None, 0.0)
        assert scan.raw == frame and scan.kind in KINDS
        assert "\x1b" not in scan.raw_text + (scan.error or "")
        json.dumps(scan.to_json_dict())
