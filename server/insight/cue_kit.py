"""Hold what the cue lists are written with: the Cue, `cues()` and shared words.

A cue is a regular expression over the folded comment, of one of three kinds (see
`cues.py`): COMPLAINT (cancelled by a negator just before it), NEGATED (carries its own
negation, always counts) and TOPIC (a mention of the subject, cancelled by praise in its
clause). A cue with a `Context` instead of a theme ("slow", "took ages", "after ten days",
"wachten") takes its theme from the nearest context word of its clause. "n't" in a pattern
also matches the apostrophe-less "nt" ("didnt", "cant"), "niet" the Flemish "nie". Patterns
stay inside a clause unless they say otherwise, and every repetition is bounded, so each cue
scans a comment in linear time. The lists are in `site_cues.py`, `unresolved_cues.py`,
`waiting_cues.py` and `contact_cues.py`.
"""

import heapq
import re
from dataclasses import dataclass
from itertools import chain

from .cues import (
    Context,
)
from .gates import split_by_gate

#: A count of time units and the units themselves ("three working days", "twee weken").
NUMBER = (
    r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|ninety|several|a few|a couple of|many|een|twee|drie|"
    r"vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|vijftien|twintig|dertig|veertig|"
    r"vijftig|zestig|paar|enkele|meerdere|ruim|bijna|anderhalf|anderhalve|a full|a whole)"
)
HOURS = (
    r"(seconds?|secs?|minutes?|mins?|hours?|hrs?|seconden|seconde|minuten|minuut|uur|uren|"
    r"kwartier)\b"
)
DAYS = (
    r"(working |business |whole |full |hele |volle )?(days?|weeks?|months?|fortnight|"
    r"werkdagen|werkdag|dagen|dag|weken|week|maanden|maand)\b"
)
#: "twenty minutes", "een half uur"; "ten working days", "drie weken".
AMOUNT = rf"{NUMBER} (\w+ )?{HOURS}"
AMOUNT_DAYS = rf"{NUMBER} (\w+ )?{DAYS}"
MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januari|februari|maart|mei|juni|juli|augustus|oktober)"
)
DATE = rf"(\d{{1,2}}(st|nd|rd|th|e)? (of )?{MONTH}|{MONTH} \d{{1,2}}(st|nd|rd|th)?\b)"
#: How often someone got in touch: "3x", "four times", "al drie keer", "twice".
COUNT = (
    r"(\d+ ?x|x ?\d+|(\d+|two|three|four|five|six|several|multiple|many|numerous|countless|"
    r"a dozen|twee|drie|vier|vijf|zes|meerdere|zoveel|talloze|tig) (keer|maal|times)|twice|"
    r"tweemaal)"
)
#: Ways of getting in touch, as repeat contacts are told ("called", "gemaild", "reported").
CONTACT_VERB = (
    r"(called|phoned|rang|emailed|e-mailed|mailed|contacted|chatted|wrote|messaged|asked|"
    r"reported|complained|explained|transferred|chased|gebeld|gemaild|gechat|gecontacteerd|"
    r"geschreven|contact|gevraagd|gemeld|geklaagd|uitgelegd|aangegeven|doorverbonden|"
    r"doorgeschakeld)"
)
WEEKDAY = (
    r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|maandag|dinsdag|woensdag|"
    r"donderdag|vrijdag|zaterdag|zondag)"
)
ORDINAL = (
    r"(third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|umpteenth|nth|\d+(rd|th)|"
    r"derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|zoveelste|\d+e|\d+ste)"
)


#: Above this many of a cue's word beginnings in one comment, the whole cue runs at once.
MAX_PARTS = 3
#: A word between the words of a cue; a quoted word ("solved") counts as one.
GAP = r"([\w\"'-]+ )"


@dataclass(frozen=True)
class Cue:
    """One documented pattern that signals a theme, or a Context that picks one."""

    theme: str | Context
    kind: str
    pattern: re.Pattern
    within_clause: bool = True
    #: Word beginnings one of which the comment must have for the cue to match (see gates.py).
    gate: frozenset[str] | None = None
    #: The cue's alternatives per word beginning, to run only those of the comment's words.
    parts: dict | None = None

    def matches(self, text: str, prefixes: frozenset[str]):
        """Return an iterator over the cue's matches in `text`, whose word beginnings are
        `prefixes`, in the order of the text (None when none of its words is there)."""
        if self.gate is None:
            return self.pattern.finditer(text)
        # Sorted, so that matches starting at the same place always come in the same order.
        relevant = [self.parts[gate] for gate in sorted(self.parts.keys() & prefixes)]
        if not relevant:
            return None
        if len(relevant) > MAX_PARTS:
            return self.pattern.finditer(text)
        if len(relevant) == 1:
            return relevant[0].finditer(text)
        return heapq.merge(*(part.finditer(text) for part in relevant), key=re.Match.start)


def cues(theme, kind: str, *patterns: str, within_clause: bool = True) -> list[Cue]:
    """Compile `patterns` (word-bounded regular expressions) into cues for `theme`.

    Each pattern becomes up to two cues: its alternatives that start with a word, run only
    when the comment has one of those words, and the others, always run.
    """
    compiled = []
    for pattern in patterns:
        spelled = pattern.replace("n't", "n'?t").replace("niet", "niet?").replace(r"(\w+ )", GAP)
        gated, ungated = split_by_gate(spelled)
        if gated:
            parts = {gate: word_bounded(alternatives) for gate, alternatives in gated.items()}
            everything = list(dict.fromkeys(chain.from_iterable(gated.values())))
            compiled.append(
                Cue(theme, kind, word_bounded(everything), within_clause, frozenset(parts), parts)
            )
        if ungated:
            compiled.append(Cue(theme, kind, word_bounded(ungated), within_clause))
    return compiled


def word_bounded(alternatives: list[str]) -> re.Pattern:
    """Compile alternatives into one regular expression that starts at a word."""
    return re.compile(rf"\b(?:{'|'.join(alternatives)})")
