"""Property tests: nothing scanned raises, and every valid GTIN survives framing and decoding."""

from __future__ import annotations

from biip.checksums import gs1_standard_check_digit
from hypothesis import given
from hypothesis import strategies as st

from devices.decode import decode
from devices.framing import Framer, Rejected

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
