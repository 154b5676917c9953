"""Resolve a page's customer-journey phase from a site's ordered path-glob rules."""

import re
from collections.abc import Iterable


def compile_phase_rules(rules: Iterable[dict]) -> tuple[tuple[re.Pattern, str], ...]:
    """Compile a site's ordered `{"match": glob, "phase": …}` rules into whole-path regexes."""
    compiled = []
    for rule in rules:
        pattern = "".join(
            ".*" if char == "*" else "." if char == "?" else re.escape(char)
            for char in rule["match"]
        )
        compiled.append((re.compile(pattern, re.DOTALL), rule["phase"]))
    return tuple(compiled)


def first_match(compiled_rules: tuple[tuple[re.Pattern, str], ...], path: str) -> int | None:
    """Return the 1-based number of the first compiled rule that fits the whole `path`, or None."""
    for number, (pattern, _) in enumerate(compiled_rules, 1):
        if pattern.fullmatch(path):
            return number
    return None


def match_phase(compiled_rules: tuple[tuple[re.Pattern, str], ...], path: str) -> str | None:
    """Return the phase of the first compiled rule that fits the whole `path`, or None."""
    number = first_match(compiled_rules, path)
    return None if number is None else compiled_rules[number - 1][1]
