"""Match the theme cues against one comment, in time linear in its length.

The comment is folded once (lower-cased, accent-free, plain apostrophes), cut into clauses
and scanned once per cue and once for context words; what a cue's clause says (praise, a
wish, the nearest context word) is worked out once per clause and looked up by bisection.
Each cue looks at no more than MAX_CANDIDATES of its matches, and each look reads a bounded
window of text, so no comment, however repetitive ("wait wait wait …"), costs more than a
fixed amount of work per character.
"""

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from .cues import (
    CLAUSE_BREAK,
    COMPLAINT,
    CONTEXT,
    MEASURED,
    NEGATION_BREAKERS,
    NEGATION_CHARS,
    NEGATION_WINDOW,
    NEGATORS,
    PRAISE,
    SERVICE,
    TOPIC,
    WISH,
    WORD,
    Context,
)
from .gates import word_prefixes
from .theme_cues import CUES

#: How many matches of one cue are looked at, at most: enough for every distinct theme a
#: contextual cue can raise, few enough that a repetitive comment stays cheap.
MAX_CANDIDATES = 12
#: How far (in characters) a context word may stand from its cue to be shown with it.
EVIDENCE_REACH = 40


@dataclass(frozen=True)
class Found:
    """One cue that counted: its theme, kind and the span of the folded text behind it."""

    theme: str
    kind: str
    start: int
    end: int


#: Typographic quotes and apostrophes written as their plain forms (one character each).
PLAIN_QUOTES = str.maketrans("\u2018\u2019`\u201c\u201d\u201e\u00ab\u00bb", '\'\'\'"""""')


@cache
def fold_char(char: str) -> str:
    """Return one character lower-cased and without accents (possibly "" or two characters)."""
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(part for part in decomposed if not unicodedata.combining(part))


def fold(comment: str) -> tuple[str, list[int] | None]:
    """Return the folded comment and, when lengths changed, each folded character's origin."""
    if comment.isascii():
        # ASCII has no accents and no typographic apostrophe: one character each (the common case).
        return comment.lower().replace("`", "'"), None
    plain = comment.translate(PLAIN_QUOTES)
    pieces = [fold_char(char) for char in plain]
    text = "".join(pieces)
    if len(text) == len(comment):
        return text, None
    origins = [index for index, piece in enumerate(pieces) for _ in piece]
    return text, origins


#: A single quote that opens a quotation (not an apostrophe in "didn't") and one that closes.
OPENING_QUOTE = re.compile(r"(?<!\w)'(?=\w)")
CLOSING_QUOTE = re.compile(r"(?<=[\w.!?])'(?!\w)")


def is_negated(before: str, window: int = NEGATION_WINDOW) -> bool:
    """Tell whether one of the last `window` words of `before` negates what follows."""
    words = WORD.findall(before[-NEGATION_CHARS:])[-window:]
    for index, word in enumerate(words):
        if word in NEGATORS or word.endswith("n't"):
            following = words[index + 1] if index + 1 < len(words) else ""
            if following not in NEGATION_BREAKERS:
                return True
    return False


def sincere(before: str) -> bool:
    """Tell whether praise after `before` is meant: not negated, not in scare quotes."""
    # An odd number of quotes before it puts the praise inside quotes: "easy returns"; a
    # single quote opened and not closed does too: closed as 'resolved'.
    if is_negated(before) or before.count('"') % 2:
        return False
    return len(OPENING_QUOTE.findall(before)) <= len(CLOSING_QUOTE.findall(before))


class Clauses:
    """The clauses of a folded comment, with what each one praises and is about."""

    def __init__(self, text: str):
        self.text = text
        self.starts, self.ends = [0], []
        for breaker in CLAUSE_BREAK.finditer(text):
            self.ends.append(breaker.start())
            self.starts.append(breaker.end())
        self.ends.append(len(text))
        self.contexts = [(hit.start(), hit.end(), hit.lastgroup) for hit in CONTEXT.finditer(text)]
        self.context_starts = [start for start, _, _ in self.contexts]
        self.praise = {}

    def of(self, position: int) -> int:
        """Return the index of the clause holding `position`."""
        return bisect_right(self.starts, position) - 1

    def praised(self, index: int) -> bool:
        """Tell whether clause `index` praises its subject ("returning was easy", "handig")."""
        if index not in self.praise:
            clause = self.text[self.starts[index] : self.ends[index]]
            self.praise[index] = not WISH.search(clause) and any(
                sincere(clause[: praise.start()]) for praise in PRAISE.finditer(clause)
            )
        return self.praise[index]

    def praises(self) -> bool:
        """Tell whether any clause of the comment praises ("fine", "very happy", "fijn").

        A one-word sign-off ("… gives me sunglasses. ok", "Top.") is sarcasm, not praise.
        """
        last = len(self.starts) - 1
        while last > 0 and not WORD.search(self.text[self.starts[last] : self.ends[last]]):
            last -= 1
        if len(WORD.findall(self.text[self.starts[last] : self.ends[last]])) == 1:
            last -= 1
        return any(self.praised(index) for index in range(last + 1))

    def nearest_context(self, index: int, start: int, end: int, kinds) -> tuple | None:
        """Return the context word of `kinds` nearest to [start, end) in clause `index`."""
        low, high = self.starts[index], self.ends[index]
        middle = bisect_right(self.context_starts, start)
        best, best_distance = None, None
        # A few neighbours on each side suffice: the nearest word is among the closest starts.
        for hit in self.contexts[max(0, middle - 4) : middle + 4]:
            hit_start, hit_end, kind = hit
            if kind not in kinds or hit_start < low or hit_end > high:
                continue
            distance = max(hit_start - end, start - hit_end, 0)
            if best is None or distance < best_distance:
                best, best_distance = hit, distance
        return best


def resolve(context: Context, clauses: Clauses, index: int, start: int, end: int, service):
    """Return the theme a contextual cue raises and its evidence span, or None."""
    hit = clauses.nearest_context(index, start, end, context.themes)
    if hit is None:
        theme = context.default_service if service else context.default
        return (theme, start, end) if theme else None
    theme = context.themes[hit[2]]
    if theme is None:
        return None
    if hit[0] - end > EVIDENCE_REACH or start - hit[1] > EVIDENCE_REACH:
        return theme, start, end
    return theme, min(start, hit[0]), max(end, hit[1])


def cue_matches(cue, text: str, clauses: Clauses, service: bool, prefixes) -> list[Found]:
    """Return what one cue raises in the folded comment: at most one match per theme."""
    found, themes = [], set()
    for candidate, match in enumerate(cue.matches(text, prefixes) or ()):
        if candidate == MAX_CANDIDATES:
            break
        start, end = match.span()
        index = clauses.of(start)
        if cue.within_clause and end > clauses.ends[index]:
            continue
        before = text[max(clauses.starts[index], start - NEGATION_CHARS) : start]
        if cue.kind == COMPLAINT and is_negated(before):
            continue
        if cue.kind == TOPIC and (is_negated(before, window=1) or clauses.praised(index)):
            continue
        # "took 2 minutes" is a complaint in a complaint, a compliment in a compliment.
        if cue.kind == MEASURED and (is_negated(before) or clauses.praises()):
            continue
        if isinstance(cue.theme, Context):
            resolved = resolve(cue.theme, clauses, index, start, end, service)
            if resolved is None or resolved[0] in themes:
                continue
            theme, start, end = resolved
        else:
            theme = cue.theme
        themes.add(theme)
        found.append(Found(theme, cue.kind, start, end))
        if not isinstance(cue.theme, Context):
            break
    return found


def index_cues_by_gate(cues) -> tuple[dict[str, list[int]], list[int]]:
    """Return which cues each word beginning opens, and the cues that always run."""
    by_gate, ungated = {}, []
    for index, cue in enumerate(cues):
        if cue.gate is None:
            ungated.append(index)
        for gate in cue.gate or ():
            by_gate.setdefault(gate, []).append(index)
    return by_gate, ungated


CUES_BY_GATE, UNGATED_CUES = index_cues_by_gate(CUES)


def cues_to_run(prefixes: frozenset[str]) -> list[int]:
    """Return, in order, the indexes of the cues a comment with these word beginnings opens."""
    indexes = set(UNGATED_CUES)
    for prefix in prefixes:
        indexes.update(CUES_BY_GATE.get(prefix, ()))
    return sorted(indexes)


def match_cues(text: str) -> list[Found]:
    """Return every cue that counts in the folded comment `text`, in the order of the cues."""
    clauses = Clauses(text)
    service = SERVICE.search(text) is not None
    prefixes = word_prefixes(text)
    found = []
    for index in cues_to_run(prefixes):
        found.extend(cue_matches(CUES[index], text, clauses, service, prefixes))
    return found
