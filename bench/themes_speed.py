"""Time the complaint-theme tagger per comment: normal comments against pathological ones.

    python bench/themes_speed.py
    python bench/themes_speed.py --repeat 20

Normal comments are the labelled sets' (tests/data, tests/insight/labelled); pathological
ones are 2,000 characters (the longest comment ingest accepts) of one phrase repeated, the
kind that made the tagger quadratic ("wait " x 400 took ~140 ms), and one "mixed" comment
holding a little of every cue's first words, which makes every cue run. Each comment is
tagged `--repeat` times and the best time is kept (the box is shared; the best time is the
tagger's, the rest is other people's load).
"""

import argparse
import json
import statistics
import time
from pathlib import Path

from server.insight.theme_cues import CUES
from server.insight.themes import MAX_TAGGED_LENGTH, comment_mask

ROOT = Path(__file__).resolve().parent.parent
SETS = [
    *sorted((ROOT / "tests/data").glob("themes_*.tsv")),
    *sorted((ROOT / "tests/insight/labelled").glob("*.jsonl")),
]
PATHOLOGICAL = {
    "wait x 400": "wait ",
    "wachten op x 180": "wachten op ",
    "slow delivery x 143": "slow delivery ",
    "no return x 200": "no return ",
    "said says x 200": "said says ",
    "where? x 285": "where? ",
    "loading. x 222": "loading. ",
    "after 3 weeks x 142": "after 3 weeks ",
    "1 may 2 may x 181": "1 may 2 may ",
    "one letter x 2000": "a",
    '"easy" x 285': '"easy" ',
}


def labelled_comments() -> list[str]:
    """Return every comment of the labelled sets."""
    comments = []
    for path in SETS:
        for line in path.read_text(encoding="utf-8").splitlines():
            comments.append(
                json.loads(line)["comment"] if path.suffix == ".jsonl" else line.split("\t")[0]
            )
    return comments


def mixed_comment() -> str:
    """Return 2,000 characters that open every gated cue: a word for each of their gates."""
    gates = sorted({gate for cue in CUES for gate in (cue.gate or ())})
    text = " ".join(f"{gate} wait on hold after 3 weeks" for gate in gates)
    return (text * (1 + MAX_TAGGED_LENGTH // len(text)))[:MAX_TAGGED_LENGTH]


def best_time(comment: str, repeat: int) -> float:
    """Return the best of `repeat` timings of tagging `comment`, in seconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        comment_mask(comment)
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    comments = labelled_comments()
    per_comment = [best_time(comment, repeat) for comment in comments]
    lengths = [len(comment) for comment in comments]
    print(f"labelled comments: {len(comments)}, median {statistics.median(lengths):.0f} chars")
    print(f"  median {statistics.median(per_comment) * 1e6:8.1f} µs per comment")
    print(f"  mean   {statistics.fmean(per_comment) * 1e6:8.1f} µs per comment")
    print(f"  worst  {max(per_comment) * 1e6:8.1f} µs per comment")
    cases = {
        name: (phrase * MAX_TAGGED_LENGTH)[:MAX_TAGGED_LENGTH]
        for name, phrase in PATHOLOGICAL.items()
    }
    cases["every cue's words (mixed)"] = mixed_comment()
    print("pathological comments of 2,000 characters:")
    for name, comment in cases.items():
        print(f"  {name:<28} {best_time(comment, repeat) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
