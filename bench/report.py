"""The one output format of every benchmark: a JSON object per figure."""

from __future__ import annotations

import json
import statistics


class Report:
    """Collects figures, prints each as it comes, and remembers whether a target was missed."""

    def __init__(self) -> None:
        self.missed = False

    def figure(self, name: str, value: float, unit: str, target: float | None, lower_is_better: bool = True) -> None:
        """Print one figure; ``target`` None means informational (always ok)."""
        if target is None:
            ok = True
        else:
            ok = value <= target if lower_is_better else value >= target
        self.missed |= not ok
        print(json.dumps({"name": name, "value": round(value, 6), "unit": unit, "target": target, "ok": ok}), flush=True)

    def exit_code(self) -> int:
        """0 when every target was met, 1 otherwise."""
        return 1 if self.missed else 0


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (0-100) of samples, by nearest rank."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def median(samples: list[float]) -> float:
    """The median of samples."""
    return statistics.median(samples)
