"""kill -9 a counting process mid-session: every scan it had shown is there when a new process resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from store.count_lines import count_state
from store.counting import current_location, get_session, open_sessions, start_session
from store.database import open_store
from store.locations import get_location

COUNTER = textwrap.dedent(
    """
    import sys
    from store.database import open_store
    from store.counting import get_session, record_scan
    from store.scanned import Reading
    store = open_store(sys.argv[1], operator="worker", terminal="rf-9")
    session = get_session(sys.argv[2])
    record_scan(store, session, Reading(raw="LOC-A02", code="LOC-A02"))
    n = 0
    while True:
        code = "15901234123454" if n % 7 == 0 else "5901234123457"
        outcome = record_scan(store, session, Reading(raw=code, code=code))
        print(outcome.record.id, outcome.line_total, flush=True)  # what the screen would show
        n += 1
    """
)


def test_kill_minus_nine_loses_no_shown_scan(shop, db_url):
    session = start_session(shop, get_location("WH/STOCK"), children=True)
    child = subprocess.Popen(
        [sys.executable, "-c", COUNTER, db_url, str(session.id)],
        stdout=subprocess.PIPE, text=True, cwd=os.getcwd(),
    )
    shown = []
    try:
        for raw in child.stdout:
            shown.append(raw.split())
            if len(shown) == 150:
                child.send_signal(signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    last_id, last_total = shown[-1]

    resumed = open_store(db_url, operator="worker", terminal="rf-9")
    session = get_session(session.id)
    assert session in open_sessions()
    assert current_location(session, "rf-9").code == "A-02"  # resumes where it was
    [line] = count_state(resumed, session).lines
    assert line.location.code == "A-02"
    assert line.counted >= int(last_total.split(".")[0])  # every shown scan; perhaps one more it had not shown
    ids = {record.id for record in session.records}
    assert {int(record_id) for record_id, _ in shown} <= ids
