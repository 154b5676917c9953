"""Tell which journey phase a page URL would get under a list of phase rules."""

from marshmallow import ValidationError

from .errors import flatten_errors
from .normalize import InvalidURL, compile_phase_rules, match_phase, normalize_url
from .schemas import PhaseRuleSchema


def phase_verdict(
    url: str, matches: list[str], phases: list[str], keep_query_params: list[str]
) -> tuple[dict, dict]:
    """Return (verdict, errors) for `url` under the rules given as parallel lists.

    Rows with neither a pattern nor a phase are blank form rows and are skipped, as the
    settings form skips them on save. The verdict names the phase (or None), the 1-based
    number of the rule that set it and the normalised path the rules were matched against.
    """
    rows = [
        {"match": match.strip(), "phase": phase}
        for match, phase in zip(matches, phases, strict=False)
        if match.strip() or phase
    ]
    errors: dict = {}
    try:
        rules = PhaseRuleSchema(many=True).load(rows)
    except ValidationError as exc:
        errors.update(flatten_errors({"phase_rules": exc.messages}))
        rules = []
    try:
        _, path = normalize_url(url.strip(), keep_query_params)
    except InvalidURL as exc:
        errors["url"] = [str(exc) or "Not an absolute http or https URL."]
        path = None
    if errors:
        return {}, errors
    compiled = compile_phase_rules(rules)
    phase = match_phase(compiled, path)
    number = next(
        (index for index, (pattern, _) in enumerate(compiled, 1) if pattern.fullmatch(path)),
        None,
    )
    return {"phase": phase, "rule": number, "path": path}, {}
