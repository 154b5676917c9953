"""Every admin operation refuses an unknown query parameter with a 422 naming it."""

import re

import pytest
from conftest import base_config

from server import create_app
from server.models import Site

ADMIN = "/api/v1/admin"


def admin_rules() -> list[tuple[str, str]]:
    """Return `(method, rule)` for every admin operation of the app's URL map."""
    app = create_app(base_config("sqlite://"))
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(ADMIN + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


@pytest.mark.parametrize(("method", "rule"), admin_rules(), ids=" ".join)
def test_an_unknown_parameter_is_refused_by_name(
    app, client, site, make_response, admin_headers, method, rule
):
    response = make_response(site)
    url = rule.replace("<site_key>", site.key)
    url = re.sub(r"<[^>]+>", str(response.id), url)
    answer = client.open(
        url + "?metric=csat&groupby=week", method=method, json={}, headers=admin_headers
    )
    assert answer.status_code == 422, answer.get_json()
    assert "groupby" in answer.get_json()["errors"]
    assert app.extensions["sqlalchemy"].session.get(Site, site.id) is not None


def test_a_misspelt_group_by_names_only_itself(client, site, admin_headers):
    answer = client.get(
        f"{ADMIN}/sites/{site.key}/stats?metric=csat&groupby=week", headers=admin_headers
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["groupby"]
    assert answer.get_json()["errors"]["groupby"] == ["Unknown field."]
