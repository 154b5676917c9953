"""Resolve a page's customer-journey phase from a site's ordered path-glob rules.

A glob is matched without backtracking: it is cut at its `*`s into pieces holding only
literal characters and `?`. The first piece must start the path, the last must end it, and
the pieces between are found left to right, each at its leftmost place after the one before
(taking the leftmost place never loses a match, since a `*` can absorb any run). A piece is a
regular expression without repetition, so finding it costs at most the piece's length per
place tried: a match costs O(len(path) * len(glob)) whatever the glob, where the regular
expression `.*a.*a.*b` once took minutes on a few hundred characters.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .normalize import iri_path


def piece_pattern(piece: str) -> re.Pattern:
    """Compile a `*`-free piece of a glob: `?` is any one character, the rest literal."""
    return re.compile("".join("." if char == "?" else re.escape(char) for char in piece), re.DOTALL)


@dataclass(frozen=True)
class Glob:
    """A phase rule's glob, compiled: `*` fits any run of characters, `/` included, `?` one."""

    head: re.Pattern
    middle: tuple[re.Pattern, ...]
    tail: re.Pattern | None
    tail_length: int

    @classmethod
    def compile(cls, glob: str) -> "Glob":
        """Cut `glob` at its stars into the pieces its matcher looks for."""
        pieces = glob.split("*")
        if len(pieces) == 1:
            return cls(piece_pattern(glob), (), None, 0)
        middle = tuple(piece_pattern(piece) for piece in pieces[1:-1] if piece)
        return cls(piece_pattern(pieces[0]), middle, piece_pattern(pieces[-1]), len(pieces[-1]))

    def fits(self, path: str) -> bool:
        """Tell whether the glob fits the whole `path`."""
        if self.tail is None:
            return self.head.fullmatch(path) is not None
        end = len(path) - self.tail_length
        if end < 0:
            return False
        start = self.head.match(path, 0, end)
        if start is None or self.tail.fullmatch(path, end) is None:
            return False
        position = start.end()
        for piece in self.middle:
            found = piece.search(path, position, end)
            if found is None:
                return False
            position = found.end()
        return True


CompiledRules = tuple[tuple[Glob, str], ...]


def compile_phase_rules(rules: Iterable[dict]) -> CompiledRules:
    """Compile a site's ordered `{"match": glob, "phase": …}` rules into whole-path matchers.

    A glob is read in the form paths are stored in (`iri_path`), so `/caf%C3%A9/*` and
    `/café/*` are one rule, and fit the same stored paths.
    """
    return tuple((Glob.compile(iri_path(rule["match"])), rule["phase"]) for rule in rules)


def first_match(compiled_rules: CompiledRules, path: str) -> int | None:
    """Return the 1-based number of the first compiled rule that fits the whole `path`, or None."""
    for number, (glob, _) in enumerate(compiled_rules, 1):
        if glob.fits(path):
            return number
    return None


def match_phase(compiled_rules: CompiledRules, path: str) -> str | None:
    """Return the phase of the first compiled rule that fits the whole `path`, or None."""
    number = first_match(compiled_rules, path)
    return None if number is None else compiled_rules[number - 1][1]
