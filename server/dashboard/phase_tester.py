"""Tell which journey phase a page would get under a site's saved phase rules."""

from ..ingest.normalize import InvalidURL, normalize_url
from ..ingest.phases import compile_phase_rules, first_match
from ..models import Site
from .field_errors import N_

NOT_A_PAGE = N_("Give a path like /checkout/pay or a full http or https URL.")

#: A path alone is tested as if on this origin (the rules only look at the path).
PATH_ORIGIN = "https://phase-test.invalid"


def phase_verdict(text: str, site: Site) -> tuple[dict, str | None]:
    """Return (verdict, error) for a path (`/checkout/pay`) or a full URL under the saved rules.

    The verdict names the phase (or None), the 1-based number of the rule that set it, that
    rule, and the normalised path the rules were matched against, as ingest normalises it.
    The error is the English reason the text is neither a path nor an http(s) URL.
    """
    text = text.strip()
    if text.startswith("/") and not text.startswith("//"):
        text = PATH_ORIGIN + text
    try:
        _, path = normalize_url(text, site.keep_query_params or [])
    except InvalidURL:
        return {}, NOT_A_PAGE
    rules = site.phase_rules or []
    number = first_match(compile_phase_rules(rules), path)
    verdict = {"phase": None, "rule": None, "match": None, "path": path}
    if number is not None:
        rule = rules[number - 1]
        verdict.update(phase=rule["phase"], rule=number, match=rule["match"])
    return verdict, None
