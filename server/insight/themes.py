"""Tag comments with the six complaint themes, in English and Dutch, by documented patterns.

Each comment is folded (lower-cased, accent-free) and cut into clauses, and the cues listed
in `theme_cues.py` are matched against it (`matching.py`): a cue counts unless a negator
stands just before it or, for a mere mention of the subject, its clause praises it. Time and
slowness phrases ("took ages", "traag", "after ten days") take their theme from the nearest
context word in their clause. Every theme comes with the words of the comment that raised it
(`comment_evidence`). The themes a visitor picked (`reasons`) are stored apart, in the same
bits, and shown as the union of both. The order of THEMES is the bit order of
`responses.themes` and `responses.reasons`: append only.
"""

from dataclasses import dataclass

from .matching import fold, match_cues

THEMES = ("speed", "findability", "unresolved", "returns", "waiting", "human_contact")
THEME_BITS = {name: 1 << index for index, name in enumerate(THEMES)}
#: The longest comment the tagger reads; ingest accepts no longer one (SPEC's comment limit).
MAX_TAGGED_LENGTH = 2000


@dataclass(frozen=True)
class ThemeMatch:
    """Why a comment got a theme: the theme, the cue's kind and the words that matched."""

    theme: str
    kind: str
    text: str


def explain_themes(comment: str | None) -> list[ThemeMatch]:
    """Return every cue that fired on `comment` with the comment's own words, in THEMES order."""
    if not comment:
        return []
    comment = comment[:MAX_TAGGED_LENGTH]
    text, origins = fold(comment)
    matches = []
    for found in match_cues(text):
        if origins is None:
            words = comment[found.start : found.end]
        else:
            words = comment[origins[found.start] : origins[found.end - 1] + 1]
        matches.append(ThemeMatch(found.theme, found.kind, words))
    return sorted(matches, key=lambda match: THEMES.index(match.theme))


def comment_evidence(comment: str | None) -> dict[str, str]:
    """Return each theme of `comment` with the first words that raised it, in THEMES order."""
    evidence = {}
    for match in explain_themes(comment):
        evidence.setdefault(match.theme, match.text)
    return evidence


def comment_themes(comment: str | None) -> list[str]:
    """Return the complaint themes of `comment`, in the order of THEMES."""
    return list(comment_evidence(comment))


#: The evidence of a theme the visitor picked themselves (`reasons`).
REPORTED = "reported"


def stored_evidence(comment: str | None, mask: int, reasons: int = 0) -> dict[str, str | None]:
    """Return what lies behind each theme of a response, in THEMES order.

    A theme the visitor reported (`reasons`) is marked `REPORTED`, whatever the comment says.
    For the tagger's themes (`mask`) the evidence is worked out from the comment when it is
    read (deterministic, so it is what ingest saw): a theme stored by an older tagger that the
    current one no longer finds has None until `touchpoint themes retag` runs.
    """
    reasons = reasons or 0
    themes = mask_themes((mask or 0) | reasons)
    evidence = comment_evidence(comment) if (mask or 0) & ~reasons else {}
    return {
        theme: REPORTED if reasons & THEME_BITS[theme] else evidence.get(theme) for theme in themes
    }


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
