"""Measure how often `changes` reports a change on data with none: its calibration figure.

    python bench/changes_calibration.py --runs 10000

Each run samples a site that never changes (`no_change_rows` of tests/insight/test_changes.py:
five phases that differ from one another but not over time, a week of 200 to 600 responses
against four weeks of the same traffic) and runs the statistics layer `changes` runs on the
database's sums. Per metric it prints the share of runs reporting any change, with its 95 %
interval, and the share of single tests (one key, one run) with p < 0.05.
"""

import argparse
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "insight"))

from test_changes import MIXES, no_change_rows

from server.insight.changes import significant_changes, tested_keys

MIN_COUNT = 30


def measure(metric: str, runs: int) -> tuple[float, float]:
    """Return the share of `runs` reporting a change and the share of single tests at p < 0.05."""
    rng = random.Random(f"measure-{metric}")
    reporting = rejected = tests = 0
    for _ in range(runs):
        window = rng.randrange(200, 600)
        rows = no_change_rows(rng, metric, window, 4 * window)
        reporting += bool(significant_changes(metric, rows, MIN_COUNT))
        p_values = [p_value for *_, p_value in tested_keys(metric, rows, MIN_COUNT)]
        tests += len(p_values)
        rejected += sum(p_value < 0.05 for p_value in p_values)
    return reporting / runs, rejected / tests


def main() -> None:
    """Print each metric's calibration figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10000)
    runs = parser.parse_args().runs
    print(f"{'metric':8} {'runs reporting a change':>28} {'single tests p < 0.05':>22}")
    for metric in sorted(MIXES):
        share, single = measure(metric, runs)
        margin = 1.96 * math.sqrt(share * (1 - share) / runs)
        print(f"{metric:8} {share:>20.2%} ± {margin:.2%} {single:>22.2%}")


if __name__ == "__main__":
    main()
