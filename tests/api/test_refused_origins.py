"""Refused origins: counted on the 403 path (at most 50 per site) and listed by the admin API."""

import threading

import pytest
from conftest import base_config, postgres_uri
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from server.extensions import db
from server.models import RefusedOrigin
from server.sites.refused_origins import MAX_ORIGINS_PER_SITE, count_refused_origin

ORIGIN = "https://shop.example"


@pytest.fixture
def app_config(request, backend, tmp_path):
    """Use a SQLite file, as in production: threads then get connections of their own.

    A test parametrising `app_config` indirectly gives settings to change.
    """
    changes = getattr(request, "param", {})
    if backend == "sqlite":
        return {**base_config(f"sqlite:///{tmp_path / 'refused.db'}"), **changes}
    return {**base_config(postgres_uri()), **changes}


PAGE = {"metric": "csat", "score": 4, "page": {"url": "https://shop.example/p"}}


def submit_from(client, key, origin):
    """Post a valid response as a page on `origin` would."""
    return client.post(
        f"/api/v1/sites/{key}/responses",
        json=PAGE,
        headers={"Origin": origin, "Content-Type": "text/plain"},
    )


def refused(client, key, headers, query=""):
    """Return the refused-origins page the admin API lists for site `key`."""
    answer = client.get(f"/api/v1/admin/sites/{key}/refused-origins{query}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_a_refused_origin_is_counted_with_its_last_sighting(client, make_site, admin_headers):
    site = make_site(allowed_origins=[ORIGIN])
    for _ in range(3):
        assert submit_from(client, site.key, "https://copy.example").status_code == 403
    assert submit_from(client, site.key, ORIGIN).status_code == 201
    client.options(
        f"/api/v1/sites/{site.key}/responses",
        headers={"Origin": "HTTPS://Other.Example:443", "Access-Control-Request-Method": "POST"},
    )
    client.get(f"/api/v1/sites/{site.key}/config", headers={"Origin": "null"})

    page = refused(client, site.key, admin_headers)
    assert [(item["origin"], item["count"]) for item in page["items"]] == [
        ("https://copy.example", 3),
        ("https://other.example", 1),
        ("null", 1),
    ]
    assert all(item["last_seen"].endswith("Z") for item in page["items"])
    assert page["next_cursor"] is None


@pytest.mark.parametrize("origin", ["not an origin", "https://shop.example/path", "x" * 300])
def test_a_header_that_is_no_origin_is_refused_but_not_counted(
    client, make_site, admin_headers, origin
):
    site = make_site(allowed_origins=[ORIGIN])
    assert submit_from(client, site.key, origin).status_code == 403
    assert refused(client, site.key, admin_headers)["items"] == []


def test_at_most_fifty_origins_are_counted_per_site(client, make_site, admin_headers):
    site = make_site(allowed_origins=[ORIGIN])
    other = make_site(allowed_origins=[ORIGIN])
    for number in range(MAX_ORIGINS_PER_SITE + 5):
        submit_from(client, site.key, f"https://s{number}.example")
    submit_from(client, site.key, "https://s0.example")
    submit_from(client, other.key, "https://s99.example")

    page = refused(client, site.key, admin_headers)
    assert len(page["items"]) == MAX_ORIGINS_PER_SITE
    assert page["items"][0] == {**page["items"][0], "origin": "https://s0.example", "count": 2}
    assert "https://s50.example" not in {item["origin"] for item in page["items"]}
    assert [item["origin"] for item in refused(client, other.key, admin_headers)["items"]] == [
        "https://s99.example"
    ]


def test_the_listing_is_paged_by_cursor_for_read_only_tokens(client, make_site, make_token):
    site = make_site(allowed_origins=[ORIGIN])
    for number in range(5):
        submit_from(client, site.key, f"https://s{number}.example")
    reader = make_token(site=site, read_only=True)
    seen, query = [], "?limit=2"
    while True:
        page = refused(client, site.key, reader, query)
        seen += [item["origin"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        query = f"?limit=2&cursor={page['next_cursor']}"
    assert seen == [f"https://s{number}.example" for number in range(5)]


@pytest.mark.parametrize("query", ["?limit=0", "?limit=51", "?cursor=abc", "?cursor=0", "?x=1"])
def test_a_bad_listing_query_is_422(client, make_site, admin_headers, query):
    site = make_site()
    answer = client.get(
        f"/api/v1/admin/sites/{site.key}/refused-origins{query}", headers=admin_headers
    )
    assert answer.status_code == 422


def test_the_listing_needs_a_token_for_the_site(client, make_site, make_token):
    site, other = make_site(), make_site()
    path = f"/api/v1/admin/sites/{site.key}/refused-origins"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=make_token(site=other)).status_code == 404


def test_the_listing_is_documented_with_its_bearer_security(client):
    document = client.get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/admin/sites/{site_key}/refused-origins"]["get"]
    assert operation["security"] == [{"bearerAuth": []}]
    assert {"200", "401", "404", "422"} <= set(operation["responses"])


@pytest.mark.parametrize("app_config", [{"TOUCHPOINT_RATELIMIT": "3/minute"}], indirect=True)
def test_past_the_address_limit_a_refusal_is_answered_but_not_counted(client, make_site):
    site = make_site(allowed_origins=[ORIGIN])
    copy = "https://copy.example"
    environ = {"REMOTE_ADDR": "203.0.113.7"}
    preflight = client.options(
        f"/api/v1/sites/{site.key}/responses",
        headers={"Origin": copy, "Access-Control-Request-Method": "POST"},
        environ_overrides=environ,
    )
    config = client.get(
        f"/api/v1/sites/{site.key}/config", headers={"Origin": copy}, environ_overrides=environ
    )
    submissions = [
        client.post(
            f"/api/v1/sites/{site.key}/responses",
            json=PAGE,
            headers={"Origin": copy, "Content-Type": "text/plain"},
            environ_overrides=environ,
        )
        for _ in range(2)
    ]

    assert preflight.status_code == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    for answer in [config, *submissions]:
        assert answer.status_code == 403
        assert answer.headers["Access-Control-Allow-Origin"] == copy
    assert db.session.scalar(select(func.sum(RefusedOrigin.count))) == 3


def test_an_unreachable_database_does_not_change_the_403(client, make_site, monkeypatch):
    site = make_site(allowed_origins=[ORIGIN])
    submit_from(client, site.key, ORIGIN)  # caches the site

    def refuse():
        raise OperationalError("connect", {}, Exception("connection refused"))

    monkeypatch.setattr(db.engine, "begin", refuse)
    answer = submit_from(client, site.key, "https://copy.example")
    assert answer.status_code == 403
    assert answer.headers["Access-Control-Allow-Origin"] == "https://copy.example"


def test_new_origins_arriving_at_once_stop_at_fifty(app, make_site):
    site = make_site(allowed_origins=[ORIGIN])
    site_id = site.id
    origins = [f"https://s{number}.example" for number in range(MAX_ORIGINS_PER_SITE + 10)]
    start = threading.Barrier(6)

    def refuse(share):
        with app.app_context():
            start.wait()
            for origin in share:
                count_refused_origin(site_id, origin)

    threads = [threading.Thread(target=refuse, args=(origins[i::6],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counted = db.session.scalar(select(func.count()).select_from(RefusedOrigin))
    assert counted == MAX_ORIGINS_PER_SITE
