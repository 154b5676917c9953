"""Who may call which admin endpoint: every endpoint against every kind of token."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from conftest import base_config

from server import create_app
from server.alerts.rules import create_rule
from server.auth.tokens import create_token, revoke_token
from server.extensions import db
from server.models import Response

ADMIN = "/api/v1/admin"


@dataclass(frozen=True)
class Endpoint:
    """One admin call: what it sends and what a permitted token gets back."""

    method: str
    path: str
    success: int
    body: dict | None = None
    query: dict = field(default_factory=dict)

    @property
    def writes(self) -> bool:
        return self.method not in ("GET", "HEAD")

    @property
    def site_bound(self) -> bool:
        return "{key}" in self.path


ENDPOINTS = [
    pytest.param(Endpoint("GET", "/sites", 200), id="list-sites"),
    pytest.param(
        Endpoint("POST", "/sites", 201, {"name": "New", "allowed_origins": ["*"]}),
        id="create-site",
    ),
    pytest.param(Endpoint("GET", "/sites/{key}", 200), id="read-site"),
    pytest.param(Endpoint("PATCH", "/sites/{key}", 200, {"name": "Renamed"}), id="change-site"),
    pytest.param(Endpoint("DELETE", "/sites/{key}", 204), id="delete-site"),
    pytest.param(Endpoint("GET", "/sites/{key}/responses", 200), id="list-responses"),
    pytest.param(Endpoint("GET", "/sites/{key}/refused-origins", 200), id="refused-origins"),
    pytest.param(
        Endpoint("DELETE", "/sites/{key}/responses/{response}", 204), id="delete-response"
    ),
    pytest.param(
        Endpoint("POST", "/sites/{key}/erasure", 200, {"email": "ann@example.com"}), id="erasure"
    ),
    pytest.param(
        Endpoint("GET", "/sites/{key}/stats", 200, query={"metric": "csat"}),
        id="stats",
    ),
    pytest.param(
        Endpoint("GET", "/sites/{key}/export", 200),
        id="export",
    ),
    pytest.param(
        Endpoint("GET", "/sites/{key}/moments", 200, query={"metric": "csat"}),
        id="moments",
    ),
    pytest.param(
        Endpoint("GET", "/sites/{key}/changes", 200, query={"metric": "csat"}), id="changes"
    ),
    pytest.param(Endpoint("GET", "/sites/{key}/alerts", 200), id="list-alerts"),
    pytest.param(
        Endpoint(
            "POST",
            "/sites/{key}/alerts",
            201,
            {"name": "Team", "on": "response", "channel": "email", "target": "team@shop.example"},
        ),
        id="create-alert",
    ),
    pytest.param(Endpoint("GET", "/sites/{key}/alerts/{alert}", 200), id="read-alert"),
    pytest.param(
        Endpoint("PATCH", "/sites/{key}/alerts/{alert}", 200, {"enabled": False}),
        id="change-alert",
    ),
    pytest.param(Endpoint("DELETE", "/sites/{key}/alerts/{alert}", 204), id="delete-alert"),
    pytest.param(Endpoint("POST", "/sites/{key}/alerts/{alert}/test", 202), id="test-alert"),
    pytest.param(
        Endpoint("GET", "/sites/{key}/alerts/{alert}/deliveries", 200), id="alert-deliveries"
    ),
    pytest.param(
        Endpoint("PATCH", "/sites/{key}/responses/{response}", 200, {"status": "read"}),
        id="triage-response",
    ),
    pytest.param(
        Endpoint("POST", "/sites/{key}/responses/triage", 200, {"ids": [1], "status": "spam"}),
        id="triage-responses",
    ),
    pytest.param(Endpoint("GET", "/audit", 200), id="audit"),
]


@pytest.fixture
def world(make_site, make_token):
    """Return a target site with one response, and the tokens of every kind."""
    target, other = make_site(name="Target"), make_site(name="Other")
    response = Response(
        site=target,
        metric="csat",
        score=5,
        page_url="https://shop.example/",
        page_path="/",
        email="ann@example.com",
    )
    db.session.add(response)
    db.session.commit()
    alert = create_rule(target, name="Team", on="response", channel="email", target="t@x.example")
    revoked, secret = create_token("revoked")
    revoke_token(revoked.id)
    return {
        "site": target,
        "response": response.id,
        "alert": alert.id,
        "tokens": {
            "none": {},
            "bad": {"Authorization": "Bearer tp_" + "x" * 43},
            "not-bearer": {"Authorization": "Basic dXNlcjpwYXNz"},
            "revoked": {"Authorization": f"Bearer {secret}"},
            "other-site": make_token(site=other),
            "read-only": make_token(read_only=True),
            "instance": make_token(),
            "own-site": make_token(site=target),
            "own-site-read-only": make_token(site=target, read_only=True),
        },
    }


def call(client, endpoint: Endpoint, world: dict, token: str):
    """Make the endpoint's call with one of the world's tokens."""
    path = endpoint.path.format(
        key=world["site"].key, response=world["response"], alert=world["alert"]
    )
    return client.open(
        ADMIN + path,
        method=endpoint.method,
        json=endpoint.body,
        query_string=endpoint.query,
        headers=world["tokens"][token],
    )


def expected_status(endpoint: Endpoint, token: str) -> int:
    """Return the status SPEC gives `token` on `endpoint`."""
    if token in ("none", "bad", "not-bearer", "revoked"):
        return 401
    if token == "other-site" and endpoint.site_bound:
        return 404
    if endpoint.writes and token in ("read-only", "own-site-read-only"):
        return 403
    if endpoint.writes and not endpoint.site_bound and token != "instance":
        return 403
    return endpoint.success


TOKENS = [
    "none",
    "bad",
    "not-bearer",
    "revoked",
    "other-site",
    "read-only",
    "instance",
    "own-site",
    "own-site-read-only",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("token", TOKENS)
def test_auth_matrix(client, world, endpoint, token):
    response = call(client, endpoint, world, token)
    expected = expected_status(endpoint, token)
    assert response.status_code == expected, response.get_data(as_text=True)
    if expected >= 400:
        body = response.get_json()
        assert body["code"] == expected
        assert set(body) <= {"code", "status", "message", "errors"}
    if expected == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


#: For every admin GET that reads a query string: queries it refuses (422) to a valid token.
BAD_QUERIES = {
    "/sites/{key}/responses": [
        {"limit": "9999"},
        {"min_score": "high"},
        {"from": "yesterday"},
        {"cursor": "garbage"},
        {"bogus": "1"},
    ],
    "/sites/{key}/stats": [{}, {"metric": "stars"}, {"metric": "csat", "group_by": "bogus"}],
    "/sites/{key}/moments": [
        {},
        {"metric": "csat", "by": "bogus"},
        {"metric": "nps", "min_count": 1},
    ],
    "/sites/{key}/changes": [
        {},
        {"metric": "csat", "window": "3"},
        {"metric": "csat", "baseline": "91"},
        {"metric": "csat", "tz": "Mars/Olympus"},
        {"metric": "csat", "bogus": "1"},
    ],
    "/sites/{key}/export": [{"format": "bogus"}, {"to": "2026-13-01"}, {"bogus": "1"}],
    "/sites/{key}/refused-origins": [{"limit": "51"}, {"cursor": "x"}, {"bogus": "1"}],
    "/sites/{key}/alerts/{rule_id}/deliveries": [{"limit": "501"}, {"cursor": "x"}, {"bogus": "1"}],
    "/audit": [{"limit": "501"}, {"cursor": "0"}, {"action": "bogus"}, {"site": "x"}],
}


def test_every_admin_get_with_a_query_has_bad_queries_below(client):
    document = client.get("/api/v1/openapi.json").get_json()
    with_query = {
        path.removeprefix(ADMIN).replace("{site_key}", "{key}")
        for path, item in document["paths"].items()
        if path.startswith(ADMIN)
        and any(p["in"] == "query" for p in item.get("get", {}).get("parameters", []))
    }
    assert with_query == set(BAD_QUERIES)


#: Tokens refused before any query is read, with the status each gets. A token of another
#: site is refused only where a site is in the path (elsewhere it may read).
REFUSED_TOKENS = [("none", 401), ("bad", 401), ("revoked", 401), ("not-bearer", 401)]
OTHER_SITE = ("other-site", 404)


@pytest.mark.parametrize(
    ("path", "query", "token", "expected"),
    [
        pytest.param(
            path,
            query,
            token,
            expected,
            id=f"{token}-{path.rsplit('/', 1)[-1]}?{urlencode(query)}",
        )
        for path, queries in BAD_QUERIES.items()
        for query in queries
        for token, expected in REFUSED_TOKENS + ([OTHER_SITE] if "{key}" in path else [])
    ],
)
def test_access_is_checked_before_the_query(client, world, path, query, token, expected):
    url = ADMIN + path.format(key=world["site"].key, rule_id=world["alert"])
    refused = client.get(url, query_string=query, headers=world["tokens"]["instance"])
    assert refused.status_code == 422
    response = client.get(url, query_string=query, headers=world["tokens"][token])
    assert response.status_code == expected
    assert response.get_json()["code"] == expected
    assert "errors" not in response.get_json()


@pytest.mark.parametrize(
    ("token", "expected"), [("none", 401), ("read-only", 403), ("other-site", 404)]
)
def test_access_is_checked_before_the_body(client, world, token, expected):
    response = client.patch(
        f"{ADMIN}/sites/{world['site'].key}",
        json={"name": "", "enabled": "maybe"},
        headers=world["tokens"][token],
    )
    assert response.status_code == expected


def test_refused_writes_change_nothing(client, world):
    site = world["site"]
    for token in ("read-only", "own-site-read-only", "other-site", "revoked"):
        client.delete(f"{ADMIN}/sites/{site.key}", headers=world["tokens"][token])
        client.post(
            f"{ADMIN}/sites/{site.key}/erasure",
            json={"email": "ann@example.com"},
            headers=world["tokens"][token],
        )
    db.session.expire_all()
    assert db.session.get(Response, world["response"]) is not None


def test_a_scoped_token_cannot_see_other_sites_in_the_list(client, world):
    body = client.get(f"{ADMIN}/sites", headers=world["tokens"]["other-site"]).get_json()
    assert [site["name"] for site in body["sites"]] == ["Other"]


def test_unknown_and_forbidden_sites_look_the_same(client, world):
    headers = world["tokens"]["other-site"]
    forbidden = client.get(f"{ADMIN}/sites/{world['site'].key}", headers=headers)
    unknown = client.get(f"{ADMIN}/sites/pk_does_not_exist_anywhere", headers=headers)
    assert forbidden.status_code == unknown.status_code == 404
    assert forbidden.get_json() == unknown.get_json()


def admin_operations() -> list:
    """Return `(method, rule, reads_body)` for every admin operation of the app's URL map."""
    app = create_app(base_config("sqlite://"))
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(ADMIN + "/"):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                documented = document["paths"].get(path, {}).get(method.lower(), {})
                operations.append((method, rule.rule, "requestBody" in documented))
    return sorted(operations)


ADMIN_OPERATIONS = admin_operations()

#: Queries and bodies no admin operation accepts: unknown names, wrong types, bad values.
BAD_QUERY = {"metric": "stars", "limit": "-1", "from": "yesterday", "bogus": "\x00" * 3}
BAD_BODY = {"name": "", "allowed_origins": "nope", "email": 5, "bogus": [1]}

#: Ways to mangle an operation's request: each would be refused (400, 404 or 422) to a good token.
MANGLED = {
    "query": {"query_string": BAD_QUERY},
    "body": {"json": BAD_BODY},
    "not-json": {"data": "{{{", "content_type": "application/json"},
    "both": {"query_string": BAD_QUERY, "json": BAD_BODY},
}

PARAMETER = re.compile(r"<(?:([^:<>(]+)(?:\([^<>]*\))?:)?([^<>]+)>")

#: Path parameters no route takes: the request reaches no view at all.
BAD_PATH_VALUES = {"int": ["abc", str(2**70), "-1"], "default": ["x" * 300]}


def operation_url(rule: str, world: dict, bad: str | None = None) -> str:
    """Fill `rule`'s parameters with the world's site and response, or its last one with `bad`."""
    parameters = PARAMETER.findall(rule)
    values = {name: str(world["response"]) for _, name in parameters}
    values["site_key"] = world["site"].key
    if bad is not None:
        values[parameters[-1][1]] = bad
    return PARAMETER.sub(lambda found: values[found[2]], rule)


def operation_id(operation) -> str:
    return f"{operation[0]} {operation[1].removeprefix(ADMIN)}"


#: Every admin operation with each mangling of its request that a good token would be refused.
MANGLED_OPERATIONS = [
    pytest.param(operation, mangled, id=f"{operation_id(operation)} {mangled}")
    for operation in ADMIN_OPERATIONS
    for mangled in MANGLED
    if operation[2] or mangled == "query"
]


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS, ids=operation_id)
@pytest.mark.parametrize("mangled", MANGLED)
@pytest.mark.parametrize("token", ["none", "bad", "not-bearer", "revoked"])
def test_no_valid_token_is_401_whatever_the_request(client, world, operation, mangled, token):
    method, rule, _ = operation
    response = client.open(
        operation_url(rule, world),
        method=method,
        headers=world["tokens"][token],
        **MANGLED[mangled],
    )
    assert response.status_code == 401, response.get_json()
    assert "errors" not in response.get_json()
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "operation", [op for op in ADMIN_OPERATIONS if "<" in op[1]], ids=operation_id
)
def test_no_valid_token_is_401_on_a_path_no_route_takes(client, world, operation):
    method, rule, _ = operation
    converter = PARAMETER.findall(rule)[-1][0] or "default"
    for bad in BAD_PATH_VALUES[converter]:
        url = operation_url(rule, world, bad)
        assert client.open(url, method=method).status_code == 401, url
        refused = client.open(url, method=method, headers=world["tokens"]["instance"])
        assert refused.status_code in (404, 405, 422), url


@pytest.mark.parametrize(("operation", "mangled"), MANGLED_OPERATIONS)
def test_site_and_write_access_come_before_the_request(client, world, operation, mangled):
    method, rule, _ = operation
    url = operation_url(rule, world)
    refused = client.open(
        url, method=method, headers=world["tokens"]["instance"], **MANGLED[mangled]
    )
    assert refused.status_code in (400, 422), refused.get_json()
    endpoint = Endpoint(method, "{key}" if "<site_key>" in rule else "", 0)
    for token in ("other-site", "read-only", "own-site-read-only"):
        expected = expected_status(endpoint, token)
        if expected:
            response = client.open(
                url, method=method, headers=world["tokens"][token], **MANGLED[mangled]
            )
            assert response.status_code == expected, (token, response.get_json())
            assert "errors" not in response.get_json()


#: How the matrix writes a route's parameters (any other id is a response's).
NAMED_PARAMETERS = {"site_key": "{key}", "rule_id": "{alert}"}


def test_the_matrix_has_every_admin_operation():
    rows = {(param.values[0].method, param.values[0].path) for param in ENDPOINTS}
    served_operations = {
        (
            method,
            PARAMETER.sub(
                lambda found: NAMED_PARAMETERS.get(found[2], "{response}"), rule
            ).removeprefix(ADMIN),
        )
        for method, rule, _ in ADMIN_OPERATIONS
    }
    assert served_operations <= rows
