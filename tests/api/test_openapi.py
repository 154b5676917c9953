"""The OpenAPI document: valid OpenAPI 3, complete, and true to the server under fuzzing."""

import re
from datetime import UTC, datetime

import pytest
import schemathesis
from conftest import base_config
from hypothesis import HealthCheck, settings
from marshmallow import ValidationError
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from server import create_app
from server.extensions import db
from server.models import AlertRule, Response, Site
from server.schemas.fields import Instant

OPENAPI = "/api/v1/openapi.json"
ADMIN = "/api/v1/admin/"
METHODS = {"get", "put", "post", "patch", "delete", "options", "head", "trace"}
#: The reports, whose window ends now unless `to` says otherwise.
REPORTS = ("/stats", "/moments")
#: SPEC's endpoints outside /api/ (HTML pages such as the dashboard are not API operations).
ENDPOINTS_OUTSIDE_API = {"/healthz", "/readyz", "/widget.js"}
#: The interactive docs: an HTML page and its files, which present the document, not part of it.
DOCS_PAGE = "/api/v1/docs"

#: The site every fuzzed request names. It allows every origin, and the fuzzer sends no
#: `Origin` header, so the public endpoints are reachable.
FUZZED_SITE_KEY = "pk_fuzzed-site-000000000"
#: The fuzzed site's alert rule, a `response` rule (far above any id the database hands out).
FUZZED_RULE_ID = 999_999
FUZZED_RULE = {"on": "response", "channel": "webhook", "target": "https://hooks.example/t"}
FUZZED_PATH = {"site_key": FUZZED_SITE_KEY, "rule_id": FUZZED_RULE_ID}
#: Generated requests per operation in the fuzzing phase; the coverage phase adds its own
#: (every boundary and every kind of invalid value the document names). Together they keep
#: the whole run under a minute per database.
EXAMPLES_PER_OPERATION = 25
FUZZING = SchemathesisConfig.from_dict(
    {
        # A fixed seed: the same requests every run, so a failure reproduces and the
        # expected failure below fails the same way every time.
        "seed": 20261129,
        # No `.schemathesis/` folder and no example database in the checkout.
        "cache": {"enabled": False},
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES_PER_OPERATION,
            "database": "none",
            # Every call carries a valid admin token (below); refusals without one are
            # checked by their own tests here and in test_access.py.
            "with-security-parameters": False,
        },
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "parameters": FUZZED_PATH,
    }
)
#: What the document promises, checked on every answer. Left off: `ignored_auth` (the token
#: is sent with every call; refusals without one are checked below and in test_access.py),
#: `response_headers_conformance` (no operation documents headers), `missing_required_header`
#: (no operation takes a header parameter), `unsupported_method` (Flask's own 405, not ours)
#: and the stateful checks (`use_after_free`, `ensure_resource_availability`: the stateful
#: phase is off, since the document declares no links between operations).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
]
schema = schemathesis.openapi.from_wsgi(
    OPENAPI, create_app(base_config("sqlite://")), config=FUZZING
)


#: A valid target per alert channel: the document gives a target's form per channel, the
#: server also wants a whole address and a public host, which a generated one rarely is.
ALERT_TARGETS = {
    "email": "team@shop.example",
    "webhook": "https://hooks.example/touchpoint",
    "slack": "https://hooks.slack.com/services/T0/B0/x",
}


@schema.hook
def map_case(context, case):
    """Keep valid windows, score ranges and scores valid where OpenAPI cannot say the rule.

    The document says it in words: `from` is not after `to` (in stats and moments, not after
    now when `to` is not given), `min_score` is not above `max_score`, only stats by page
    or locale take a `limit`, an alert rule's target is a whole address or a public URL, and
    only digest rules have a schedule.
    """
    body = case.body
    score = body.get("score") if isinstance(body, dict) else None
    # JSON Schema counts 2.0 as the integer 2; SPEC refuses every float score (the document
    # says so in words), so a whole float is sent as the integer it stands for.
    if isinstance(score, float) and score.is_integer():
        body["score"] = int(score)
    if case.meta is not None and not case.meta.generation.mode.is_negative:
        valid_alert_rule(context.operation.method, body)
    rule_filter = body.get("filter") if isinstance(body, dict) else None
    ceiling = rule_filter.get("max_score") if isinstance(rule_filter, dict) else None
    if isinstance(ceiling, float) and ceiling.is_integer():
        rule_filter["max_score"] = int(ceiling)
    query = case.query
    if not isinstance(query, dict):
        return case
    start, end = instant(query.get("from")), instant(query.get("to"))
    if end is None and "to" not in query and context.operation.path.endswith(REPORTS):
        end = datetime.now(UTC)
    if start is not None and end is not None and start > end:
        query["to"] = query["from"]
    low, high = integer(query.get("min_score")), integer(query.get("max_score"))
    if low is not None and high is not None and low > high:
        query["max_score"] = query["min_score"]
    if context.operation.path.endswith("/stats") and "limit" in query:
        query["group_by"] = "page"
    return case


def valid_alert_rule(method: str, body) -> None:
    """Give a valid alert rule body a target the server takes for its channel, and a change
    of the fuzzed (`response`) rule neither a schedule nor change kinds (the stored event
    decides, as the document says in words)."""
    if not isinstance(body, dict):
        return
    if "target" in body and body.get("channel") in ALERT_TARGETS:
        body["target"] = ALERT_TARGETS[body["channel"]]
    if method == "patch" and body.get("schedule") is not None:
        body["schedule"] = None
    if method == "patch" and isinstance(body.get("filter"), dict):
        body["filter"].pop("kinds", None)


def integer(value) -> int | None:
    """Return the integer the server reads in a query value, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def instant(value) -> datetime | None:
    """Return the instant the server reads in a `from` or `to` value, or None."""
    try:
        return Instant().deserialize(value) if isinstance(value, str) else None
    except ValidationError:
        return None


@pytest.fixture
def app_config(app_config):
    """Raise the rate limit above what the fuzzer sends."""
    return {**app_config, "TOUCHPOINT_RATELIMIT": "1000000/minute"}


@pytest.fixture
def document(client) -> dict:
    """Return the served OpenAPI document."""
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.get_json()


def operations(document: dict):
    """Yield `(path, method, operation)` for every operation in the document."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def openapi_path(rule: str) -> str:
    """Return the OpenAPI spelling of a Flask rule: `<int:id>` becomes `{id}`."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def test_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_admin_operation_declares_bearer_auth(document):
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    admin = [(path, method, op) for path, method, op in operations(document) if ADMIN in path]
    assert len(admin) >= 10
    for path, method, operation in admin:
        assert operation.get("security") == [{"bearerAuth": []}], f"{method} {path}"
        assert "401" in operation["responses"], f"{method} {path}"


def test_public_operations_declare_no_security(document):
    for path, method, operation in operations(document):
        if ADMIN not in path:
            assert "security" not in operation, f"{method} {path}"


def test_every_operation_lists_its_answers_one_by_one(document):
    # A catch-all `default` answer would let any status pass as documented.
    for path, method, operation in operations(document):
        assert "default" not in operation["responses"], f"{method} {path}"


def test_document_lists_every_endpoint_the_server_serves(app, document):
    for rule in app.url_map.iter_rules():
        is_endpoint = rule.rule.startswith("/api/") or rule.rule in ENDPOINTS_OUTSIDE_API
        if not is_endpoint or rule.rule == OPENAPI or rule.rule.startswith(DOCS_PAGE):
            continue
        path = openapi_path(rule.rule)
        assert path in document["paths"], path
        documented = {method.upper() for method in document["paths"][path]}
        assert rule.methods - {"HEAD", "OPTIONS"} <= documented, path


def test_documented_query_parameters_match_the_listing_schema(document):
    listing = document["paths"]["/api/v1/admin/sites/{site_key}/responses"]["get"]
    names = {parameter["name"] for parameter in listing["parameters"]}
    assert {"from", "to", "metric", "phase", "path", "min_score", "max_score"} <= names
    assert {"q", "limit", "cursor"} <= names
    limit = next(p for p in listing["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500


@pytest.fixture
def callers(make_site, make_token, make_response):
    """Return a site with a response, and the headers of every kind of caller."""
    site, other = make_site(name="Target"), make_site(name="Other")
    response = make_response(site)
    return {
        "site": site,
        "response": response.id,
        "headers": {
            "none": {},
            "bad": {"Authorization": "Bearer tp_" + "x" * 43},
            "other-site": make_token(site=other),
            "read-only": make_token(read_only=True),
            "own-site": make_token(site=site),
            "instance": make_token(),
        },
    }


def refusals(client, path: str, method: str, operation: dict, callers: dict):
    """Yield `(what, status)` for requests an admin operation refuses, changing nothing."""
    url = path.format(
        site_key=callers["site"].key, response_id=callers["response"], rule_id=callers["response"]
    )
    # A site-scoped token may change its own site, so it only tries what it may not do.
    names = ["none", "bad", "other-site", "read-only"] + (["own-site"] if "{" not in path else [])
    for name in names:
        answer = client.open(url, method=method, headers=callers["headers"][name])
        if answer.status_code >= 400:
            yield name, answer.status_code
    headers = callers["headers"]["instance"]
    if operation.get("parameters"):
        answer = client.open(url, method=method, headers=headers, query_string={"bogus": "1"})
        yield "unknown parameter", answer.status_code
    if "requestBody" in operation:
        for body in ('{"bogus": 1}', "{not json"):
            answer = client.open(
                url, method=method, headers=headers, data=body, content_type="application/json"
            )
            yield body, answer.status_code


def test_every_refusal_of_an_admin_operation_is_documented(client, document, callers):
    seen = set()
    for path, method, operation in operations(document):
        if ADMIN not in path:
            continue
        for what, status in refusals(client, path, method, operation, callers):
            assert 400 <= status < 500, f"{method} {path} ({what}): {status}"
            assert str(status) in operation["responses"], f"{method} {path} ({what}): {status}"
            seen.add(status)
    assert seen == {400, 401, 403, 404, 422}


@pytest.fixture
def fuzzed_site(app):
    """Return a restorer of the fuzzed site, which the fuzzer may delete or change."""

    def restore() -> None:
        db.session.rollback()
        if db.session.scalar(select(Site).where(Site.key == FUZZED_SITE_KEY)) is None:
            site = Site(key=FUZZED_SITE_KEY, name="Fuzzed", allowed_origins=["*"])
            page = {"page_url": "https://shop.example/", "page_path": "/"}
            db.session.add_all([site, Response(site=site, metric="csat", score=2, **page)])
            db.session.commit()
        if db.session.get(AlertRule, FUZZED_RULE_ID) is None:
            site = db.session.scalar(select(Site).where(Site.key == FUZZED_SITE_KEY))
            db.session.add(
                AlertRule(id=FUZZED_RULE_ID, site_id=site.id, name="Fuzzed", **FUZZED_RULE)
            )
            db.session.commit()

    restore()
    return restore


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_server_does_what_its_document_says(case, app, fuzzed_site, admin_headers):
    fuzzed_site()
    case.call_and_validate(app=app, headers=admin_headers, checks=CHECKS)
