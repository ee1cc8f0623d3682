"""Framer: terminators across reads, idle gaps, noise, overlong and unreadable records."""

from __future__ import annotations

from devices.framing import UNREADABLE, Framer, Rejected


def test_cr_at_end_of_one_read_and_lf_at_start_of_next_is_one_terminator():
    framer = Framer()
    assert framer.feed(b"4006381333931\r", 0.0) == [b"4006381333931"]
    assert framer.feed(b"\n", 0.001) == []
    assert framer.feed(b"A-01\r", 0.002) == [b"A-01"]
    assert framer.feed(b"\nB", 0.003) == []
    assert framer.feed(b"\n", 0.004) == [b"B"]


def test_cr_lf_crlf_and_two_scans_in_one_read():
    assert Framer().feed(b"a\rb\nc\r\nd\r\n", 0.0) == [b"a", b"b", b"c", b"d"]


def test_record_split_across_reads():
    framer = Framer(idle_timeout=None)
    assert framer.feed(b"4006", 0.0) == []
    assert framer.feed(b"381333931\r\n", 10.0) == [b"4006381333931"]


def test_idle_gap_ends_a_record_without_terminator():
    framer = Framer(idle_timeout=0.05)
    assert framer.feed(b"4006381333931", 1.0) == []
    assert framer.idle_deadline() == 1.05
    assert framer.flush_if_idle(1.02) == []
    assert framer.flush_if_idle(1.06) == [b"4006381333931"]
    assert framer.idle_deadline() is None


def test_data_after_an_idle_gap_starts_a_new_record():
    framer = Framer(idle_timeout=0.05)
    framer.feed(b"AAA", 1.0)
    assert framer.feed(b"BBB", 1.2) == [b"AAA"]
    assert framer.flush_if_idle(1.3) == [b"BBB"]


def test_custom_terminator_replaces_cr_lf():
    framer = Framer(terminator=b"\x03", idle_timeout=None)
    assert framer.feed(b"AB\x03CD\x03", 0.0) == [b"AB", b"CD"]


def test_multi_byte_terminator_split_across_reads():
    framer = Framer(terminator=b"##", idle_timeout=None)
    assert framer.feed(b"AB#", 0.0) == []
    assert framer.feed(b"#CD##", 0.0) == [b"AB", b"CD"]


def test_noise_is_dropped_silently_and_empty_records_ignored():
    assert Framer().feed(b"\x00\xff\r\n\x00A\xffB\x00\r\n\r\n", 0.0) == [b"AB"]


def test_gs_rs_eot_are_allowed():
    assert Framer().feed(b"01\x1d10\x1e\x04\r", 0.0) == [b"01\x1d10\x1e\x04"]


def test_high_bytes_and_other_controls_are_rejected_with_a_hint():
    frames = Framer().feed(b"\x86\xe3A\rB\x1bC\rok\r", 0.0)
    assert frames == [Rejected(b"\x86\xe3A", UNREADABLE), Rejected(b"B\x1bC", UNREADABLE), b"ok"]


def test_overlong_record_is_discarded_up_to_the_next_terminator():
    framer = Framer(idle_timeout=None)
    frames = []
    for _ in range(5):
        frames += framer.feed(b"9" * 1000, 0.0)
    frames += framer.feed(b"99\r\n4006381333931\r\n", 0.0)
    assert len(frames) == 2
    assert isinstance(frames[0], Rejected) and "5002 bytes" in frames[0].reason
    assert frames[1] == b"4006381333931"


def test_abort_reports_a_partial_record():
    framer = Framer()
    framer.feed(b"40063", 0.0)
    assert framer.abort("cut off") == [Rejected(b"40063", "cut off")]
    assert framer.abort("cut off") == []
