"""A query parameter given twice: refused by name unless its schema reads a list."""

import pytest
from conftest import base_config

from server import create_app
from server.alerts.rules import create_rule

ADMIN = "/api/v1/admin"


def admin_gets_with_a_query() -> list[tuple[str, dict]]:
    """Return each admin GET's path and the OpenAPI schemas of its query parameters."""
    app = create_app(base_config("sqlite://"))
    with app.test_request_context():
        document = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for path, item in document["paths"].items():
        parameters = item.get("get", {}).get("parameters", [])
        query = {p["name"]: p["schema"] for p in parameters if p["in"] == "query"}
        if path.startswith(ADMIN) and query:
            found.append((path, query))
    return found


def two_values(schema: dict) -> tuple[str, str]:
    """Return two values for a parameter: two of its choices when it has any."""
    choices = schema.get("enum", [])
    return tuple(choices[:2]) if len(choices) > 1 else ("1", "2")


SINGLE = [
    pytest.param(path, name, two_values(schema), id=f"{path.rsplit('/', 1)[-1]}?{name}")
    for path, query in admin_gets_with_a_query()
    for name, schema in query.items()
    if schema.get("type") != "array"
]


@pytest.fixture
def url(site):
    """Return a function filling in an admin path's site key and alert rule id."""
    rule = create_rule(site, name="Team", on="response", channel="email", target="t@x.example")
    return lambda path: path.replace("{site_key}", site.key).replace("{rule_id}", str(rule.id))


def test_every_admin_get_with_a_query_is_walked():
    assert len(SINGLE) > 20


@pytest.mark.parametrize(("path", "name", "values"), SINGLE)
def test_a_repeated_single_parameter_is_422_naming_it(
    client, admin_headers, url, path, name, values
):
    query = "&".join(f"{name}={value}" for value in values)
    answer = client.get(f"{url(path)}?{query}", headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]) == [name]


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("/sites/{site_key}/stats", "metric=csat&metric=nps", "metric"),
        ("/sites/{site_key}/responses", "limit=1&limit=2", "limit"),
        ("/sites/{site_key}/export", "format=csv&format=xlsx", "format"),
        ("/sites/{site_key}/responses", "limit=1&limit=1", "limit"),
    ],
)
def test_the_first_value_is_never_taken_silently(client, admin_headers, url, path, query, name):
    answer = client.get(f"{url(ADMIN + path)}?{query}", headers=admin_headers)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {
        name: ["Given more than once; this parameter takes one value."]
    }


def test_parameters_given_once_each_are_read(client, admin_headers, url):
    answer = client.get(
        f"{url(ADMIN + '/sites/{site_key}/responses')}?limit=1&metric=csat", headers=admin_headers
    )
    assert answer.status_code == 200, answer.get_json()
