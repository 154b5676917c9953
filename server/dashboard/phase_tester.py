"""Tell which journey phase a page URL would get under a list of phase rules."""

from marshmallow import ValidationError

from ..errors import flatten_errors
from ..ingest.normalize import InvalidURL, normalize_url
from ..ingest.phases import compile_phase_rules, first_match
from ..schemas.sites import PhaseRuleSchema
from .forms import filled_rule_rows


def phase_verdict(
    url: str, matches: list[str], phases: list[str], keep_query_params: list[str]
) -> tuple[dict, dict]:
    """Return (verdict, errors) for `url` under the rules given as parallel lists.

    Blank form rows are skipped as the settings form skips them on save. The verdict names
    the phase (or None), the 1-based number of the rule that set it and the normalised path
    the rules were matched against.
    """
    rows = filled_rule_rows(zip(matches, phases, strict=False))
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
    number = first_match(compile_phase_rules(rules), path)
    phase = None if number is None else rules[number - 1]["phase"]
    return {"phase": phase, "rule": number, "path": path}, {}
