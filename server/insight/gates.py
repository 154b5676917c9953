"""Tell from a cue's text which words a comment must contain for the cue to be worth running.

Python's regular expressions try every alternative of a cue at every word of a comment, so
a cue costs its number of alternatives per word even when none of its words is there. Most
alternatives begin with a plain word ("hapert", "on hold", "(wist|weet) van"): such an
alternative can only match where a word of the comment begins with that word's first
letters (its *gate*). `split_by_gate` sorts a cue's alternatives into those with gates and
those without, so the matcher can skip the first group when the comment has none of its
gates (`word_prefixes`), and a comment made of few distinct words ("wait wait wait …")
runs few cues.
"""

import re

#: Gates are compared on at most this many first letters of a word.
GATE_LENGTH = 4
LITERAL = re.compile(r"[a-z0-9]+")
QUANTIFIERS = ("?", "*", "+", "{")
WORD_START = re.compile(r"[a-z0-9]+")
DIGITS = frozenset("0123456789")


def scan(pattern: str, start: int = 0):
    """Yield (index, character, group depth after it) outside escapes and character classes."""
    depth, index = 0, start
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = pattern.index("]", index + 2) + 1
            continue
        depth += (char == "(") - (char == ")")
        yield index, char, depth
        index += 1


def top_level(pattern: str, separator: str = "|") -> list[str]:
    """Split `pattern` at the `separator`s outside groups and character classes."""
    parts, start = [], 0
    for index, char, depth in scan(pattern):
        if char == separator and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def group_end(pattern: str, start: int) -> int:
    """Return the index just after the group that opens at `start`."""
    for index, _, depth in scan(pattern, start):
        if depth == 0:
            return index + 1
    raise ValueError(f"the group at {start} of {pattern!r} is not closed")


def gates(alternative: str) -> frozenset[str] | None:
    """Return the word beginnings one of which `alternative` must start at, or None."""
    while alternative.startswith(("\\b", "(?<!", "(?<=")):
        # Zero-width at the start: a word boundary or a look-behind matches no letter.
        alternative = (
            alternative[2:] if alternative[1] == "b" else alternative[group_end(alternative, 0) :]
        )
    if alternative.startswith("\\d"):
        return DIGITS
    literal = LITERAL.match(alternative)
    if literal:
        text = literal.group(0)
        if alternative[literal.end() : literal.end() + 1] in QUANTIFIERS:
            text = text[:-1]  # "slo+w": the last letter may repeat or be absent
        return frozenset({text[:GATE_LENGTH]}) if text else None
    if not alternative.startswith("(") or alternative.startswith("(?"):
        return None
    end = group_end(alternative, 0)
    if alternative[end : end + 1] in QUANTIFIERS:
        return None  # an optional group: the word may start after it
    found = set()
    for inner in top_level(alternative[1 : end - 1]):
        inner_gates = gates(inner)
        if inner_gates is None:
            return None
        found |= inner_gates
    return frozenset(found)


def split_by_gate(pattern: str) -> tuple[dict[str, list[str]], list[str]]:
    """Return the alternatives of `pattern` by gate, and those without one."""
    gated, ungated = {}, []
    for alternative in top_level(pattern):
        found = gates(alternative)
        if found is None:
            ungated.append(alternative)
        for gate in sorted(found or ()):
            gated.setdefault(gate, []).append(alternative)
    return gated, ungated


def word_prefixes(text: str) -> frozenset[str]:
    """Return the first 1…GATE_LENGTH letters of every word of `text`."""
    words = set(WORD_START.findall(text))
    return frozenset(word[:length] for word in words for length in range(1, GATE_LENGTH + 1))
