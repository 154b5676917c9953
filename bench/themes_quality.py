"""Measure the complaint-theme tagger's precision and recall on labelled comment sets.

    python bench/themes_quality.py tests/data/themes_en.tsv tests/insight/labelled/dev_en.jsonl
    python bench/themes_quality.py --misses tests/insight/labelled/dev_nl.jsonl

A set is either `comment<TAB>theme;theme` lines (tests/data/*.tsv) or JSON lines
`{"comment": …, "themes": […]}`. For each set it prints precision and recall per theme and
micro-averaged over the six, with the set's size; `--misses` also lists every comment whose
themes differ from its labels, with the words behind each tag the tagger gave.
"""

import argparse
import json
from pathlib import Path

from server.insight.themes import THEMES, comment_evidence


def read_set(path: Path) -> list[tuple[str, set[str]]]:
    """Return the (comment, themes) pairs of a labelled file, TSV or JSON lines."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if path.suffix == ".jsonl":
            record = json.loads(line)
            rows.append((record["comment"], set(record["themes"])))
        else:
            comment, labels = line.split("\t")
            rows.append((comment, set(filter(None, labels.split(";")))))
    return rows


def tally(rows, tagged) -> dict[str, list[int]]:
    """Return [hits, extras, misses] per theme and for "all" (micro-averaged)."""
    counts = {theme: [0, 0, 0] for theme in (*THEMES, "all")}
    for (_, expected), found in zip(rows, tagged, strict=True):
        for theme in THEMES:
            kind = (
                0
                if theme in found and theme in expected
                else 1
                if theme in found
                else 2
                if theme in expected
                else None
            )
            if kind is not None:
                counts[theme][kind] += 1
                counts["all"][kind] += 1
    return counts


def ratio(part: int, whole: int) -> str:
    """Format part/whole with two decimals, or "—" when nothing was counted."""
    return f"{part / whole:.2f}" if whole else "—"


def report(path: Path, show_misses: bool) -> None:
    """Print one set's figures (and its misses)."""
    rows = read_set(path)
    evidence = [comment_evidence(comment) for comment, _ in rows]
    counts = tally(rows, [set(found) for found in evidence])
    print(f"\n{path} ({len(rows)} comments)")
    print(f"{'theme':<14} {'labels':>6} {'P':>5} {'R':>5}")
    for theme, (hits, extras, misses) in counts.items():
        labels = hits + misses
        print(f"{theme:<14} {labels:>6} {ratio(hits, hits + extras):>5} {ratio(hits, labels):>5}")
    if show_misses:
        for (comment, expected), found in zip(rows, evidence, strict=True):
            if set(found) != expected:
                missing = sorted(expected - set(found))
                extra = {theme: found[theme] for theme in found if theme not in expected}
                print(f"- {comment}\n    missed {missing} extra {extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="List the comments tagged wrong.")
    arguments = parser.parse_args()
    for path in arguments.sets:
        report(path, arguments.misses)


if __name__ == "__main__":
    main()
