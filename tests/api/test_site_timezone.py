"""A site's reporting time zone: set on creation, changed, shown, and checked by name."""

import pytest

from server.models import Site


def test_a_new_site_reports_in_utc_unless_told(client, admin_headers):
    payload = {"name": "Shop", "allowed_origins": ["https://shop.example"]}
    answer = client.post("/api/v1/admin/sites", json=payload, headers=admin_headers)
    assert answer.status_code == 201
    assert answer.get_json()["timezone"] == "UTC"
    payload["timezone"] = "America/Sao_Paulo"
    answer = client.post("/api/v1/admin/sites", json=payload, headers=admin_headers)
    assert answer.get_json()["timezone"] == "America/Sao_Paulo"


def test_a_change_sets_the_zone_and_keeps_it(app, client, admin_headers, site):
    url = f"/api/v1/admin/sites/{site.key}"
    answer = client.patch(url, json={"timezone": "Europe/Amsterdam"}, headers=admin_headers)
    assert answer.status_code == 200
    assert client.get(url, headers=admin_headers).get_json()["timezone"] == "Europe/Amsterdam"
    client.patch(url, json={"name": "Renamed"}, headers=admin_headers)
    assert app.extensions["sqlalchemy"].session.get(Site, site.id).timezone == "Europe/Amsterdam"


@pytest.mark.parametrize("zone", ["Mars/Olympus", "europe/amsterdam", "+01:00", "", None, 1])
def test_a_zone_that_is_no_iana_name_is_refused(client, admin_headers, site, zone):
    answer = client.patch(
        f"/api/v1/admin/sites/{site.key}", json={"timezone": zone}, headers=admin_headers
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["errors"]) == ["timezone"]
