"""Screen stylesheets apply to the whole app once loaded: a rule they share unscoped must say the same."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

TUI = Path(__file__).resolve().parents[2] / "tui"


def test_no_two_stylesheets_style_an_unscoped_selector_differently():
    bodies: defaultdict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(TUI.rglob("*.tcss")):
        text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
        for heads, body in re.findall(r"([^{}]+)\{([^}]*)\}", text):
            for selector in heads.split(","):
                selector = " ".join(selector.split())
                if selector[:1] in "#.":  # no screen type first: matches in every screen
                    bodies[selector][path.name] = " ".join(body.split())
    clashes = {selector: files for selector, files in bodies.items() if len(set(files.values())) > 1}
    assert clashes == {}
