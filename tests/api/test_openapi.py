"""The OpenAPI document: valid OpenAPI 3, complete, and true to the server under fuzzing."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from sqlalchemy import select

from server.extensions import db
from server.models import Response, Site

OPENAPI = "/api/v1/openapi.json"
ADMIN_PATHS = {
    "/api/v1/admin/sites": {"get", "post"},
    "/api/v1/admin/sites/{site_key}": {"get", "patch", "delete"},
    "/api/v1/admin/sites/{site_key}/responses": {"get"},
    "/api/v1/admin/sites/{site_key}/responses/{response_id}": {"delete"},
    "/api/v1/admin/sites/{site_key}/erasure": {"post"},
}
#: SPEC's endpoints outside /api/ (HTML pages such as the dashboard are not API operations).
ENDPOINTS_OUTSIDE_API = {"/healthz", "/readyz", "/widget.js"}
EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def document(client) -> dict:
    """Return the served OpenAPI document."""
    response = client.get(OPENAPI)
    assert response.status_code == 200
    return response.get_json()


def openapi_path(rule: str) -> str:
    """Return the OpenAPI spelling of a Flask rule: `<int:id>` becomes `{id}`."""
    parts = []
    for piece in rule.split("<"):
        if ">" in piece:
            variable, rest = piece.split(">", 1)
            parts.append("{" + variable.rsplit(":", 1)[-1] + "}" + rest)
        else:
            parts.append(piece)
    return "".join(parts)


def test_document_is_valid_openapi_3(document):
    assert document["openapi"].startswith("3.")
    validate(document)


def test_document_lists_every_admin_operation_with_bearer_auth(document):
    for path, methods in ADMIN_PATHS.items():
        assert set(document["paths"][path]) - {"parameters"} == methods, path
        for method in methods:
            assert document["paths"][path][method]["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}


def test_document_lists_every_endpoint_the_server_serves(app, document):
    for rule in app.url_map.iter_rules():
        is_endpoint = rule.rule.startswith("/api/") or rule.rule in ENDPOINTS_OUTSIDE_API
        if not is_endpoint or rule.rule == OPENAPI:
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


def restore_site(key: str) -> None:
    """Put the fuzzed site back when a generated DELETE removed it."""
    db.session.rollback()
    if db.session.scalar(select(Site).where(Site.key == key)) is None:
        db.session.add(Site(key=key, name="Fuzzed", allowed_origins=["*"]))
        db.session.commit()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_makes_a_server_error(app, site, admin_headers, mode):
    db.session.add(
        Response(site=site, metric="csat", score=3, page_url="https://s.example/", page_path="/")
    )
    db.session.commit()
    schema = schemathesis.openapi.from_wsgi(OPENAPI, app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        fixed = {"site_key": site.key} if "{site_key}" in operation.path else None
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def check(case):
            restore_site(site.key)
            response = case.call(headers=admin_headers)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} {case.query} {case.body}")

        try:
            check()
        except Unsatisfiable:
            # An operation that takes no input has no invalid input to send.
            assert mode == GenerationMode.NEGATIVE
    assert failures == []
