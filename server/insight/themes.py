"""Tag comments with the six complaint themes, in English and Dutch, by documented patterns.

Each comment is lower-cased, stripped of accents and cut into clauses, and the cues listed in
`cues.py` (regular expressions of three kinds: COMPLAINT, NEGATED, TOPIC) are matched clause
by clause. Clauses end at punctuation and at "but"/"maar", so "fast delivery but returning
was a pain" praises the delivery and complains about the return. A few phrases ("takes
ages", "duurt lang") mean `waiting` when the comment is about customer service and `speed`
otherwise. The order of THEMES is the bit order of `responses.themes`: append only.
"""

import unicodedata
from dataclasses import dataclass

from .cues import (
    CLAUSE_BREAK,
    COMPLAINT,
    CUES,
    DELIVERY_CONTEXT,
    DURATION,
    FIND_CONTEXT,
    NEGATION_BREAKERS,
    NEGATION_WINDOW,
    NEGATORS,
    PAGE_CONTEXT,
    PRAISE,
    RETURNS_CONTEXT,
    SERVICE_CONTEXT,
    TOPIC,
    WAIT,
    WISH,
    WORD,
)

THEMES = ("speed", "findability", "unresolved", "returns", "waiting", "human_contact")
THEME_BITS = {name: 1 << index for index, name in enumerate(THEMES)}


@dataclass(frozen=True)
class ThemeMatch:
    """Why a comment got a theme: the theme, the cue's kind and the words that matched."""

    theme: str
    kind: str
    text: str


def normalize(comment: str) -> str:
    """Return `comment` lower-cased, without accents and with plain apostrophes."""
    if comment.isascii():
        # ASCII has no accents to take off and no typographic apostrophe (ingest's common case).
        return comment.lower().replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", comment.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.replace("\u2019", "'").replace("`", "'")


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the clauses of `text`."""
    spans, start = [], 0
    for breaker in CLAUSE_BREAK.finditer(text):
        spans.append((start, breaker.start()))
        start = breaker.end()
    spans.append((start, len(text)))
    return spans


def is_negated(before: str, window: int = NEGATION_WINDOW) -> bool:
    """Tell whether one of the last `window` words before a cue negates it."""
    words = WORD.findall(before)[-window:]
    for index, word in enumerate(words):
        if word in NEGATORS or word.endswith("n't"):
            following = words[index + 1] if index + 1 < len(words) else ""
            if following not in NEGATION_BREAKERS:
                return True
    return False


def is_praised(clause: str) -> bool:
    """Tell whether a clause praises its subject ("returning was easy", "handig")."""
    if WISH.search(clause):
        return False
    return any(not is_negated(clause[: praise.start()]) for praise in PRAISE.finditer(clause))


def clause_matches(clause: str, about_service: bool) -> list[ThemeMatch]:
    """Return the theme matches of one clause."""
    matches = []
    for cue in CUES:
        # Most cues find nothing in a clause: one search says so without building an iterator.
        if cue.pattern.search(clause) is None:
            continue
        for found in cue.pattern.finditer(clause):
            before = clause[: found.start()]
            if cue.kind == COMPLAINT and is_negated(before):
                continue
            if cue.kind == TOPIC and (is_negated(before, window=1) or is_praised(clause)):
                continue
            matches.append(ThemeMatch(cue.theme, cue.kind, found.group(0)))
            break
    for pattern, default in ((DURATION, "speed"), (WAIT, "waiting")):
        for found in pattern.finditer(clause):
            theme = contextual_theme(clause, about_service, default)
            if theme and not is_negated(clause[: found.start()]):
                matches.append(ThemeMatch(theme, COMPLAINT, found.group(0)))
    return matches


def contextual_theme(clause: str, about_service: bool, default: str) -> str | None:
    """Return the theme a time phrase ("took ages", "wachten") raises in its clause.

    Waiting on customer service is `waiting`, on a refund `returns`, on a page `speed`,
    on a search `findability`; waiting for a parcel is none of the six.
    """
    if SERVICE_CONTEXT.search(clause):
        return "waiting"
    if RETURNS_CONTEXT.search(clause):
        return "returns"
    if FIND_CONTEXT.search(clause):
        return "findability"
    if PAGE_CONTEXT.search(clause):
        return "speed"
    if DELIVERY_CONTEXT.search(clause):
        return None
    return "waiting" if about_service else default


def explain_themes(comment: str | None) -> list[ThemeMatch]:
    """Return every cue that fired on `comment`, in the order of THEMES."""
    if not comment:
        return []
    text = normalize(comment)
    about_service = SERVICE_CONTEXT.search(text) is not None
    matches = []
    for start, end in clause_spans(text):
        matches.extend(clause_matches(text[start:end], about_service))
    return sorted(matches, key=lambda match: THEMES.index(match.theme))


def comment_themes(comment: str | None) -> list[str]:
    """Return the complaint themes of `comment`, in the order of THEMES."""
    found = {match.theme for match in explain_themes(comment)}
    return [theme for theme in THEMES if theme in found]


def themes_mask(themes) -> int:
    """Return the bit mask that stores the theme names `themes`."""
    mask = 0
    for theme in themes:
        mask |= THEME_BITS[theme]
    return mask


def comment_mask(comment: str | None) -> int:
    """Return the bit mask of the complaint themes of `comment` (0 for none)."""
    return themes_mask(comment_themes(comment))


def mask_themes(mask: int) -> list[str]:
    """Return the theme names stored in bit mask `mask`, in the order of THEMES."""
    return [theme for theme in THEMES if mask & THEME_BITS[theme]]
