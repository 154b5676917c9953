"""Unknown site keys: rate-limited per client address on every public endpoint, on both storages."""

import json
import uuid

import pytest
from conftest import REDIS_URL, skip_or_fail

BODY = json.dumps({"metric": "thumbs", "score": 1, "page": {"url": "https://shop.example/"}})
ORIGIN = "https://shop.example"

#: One request per public endpoint, by what it asks of a site key.
ENDPOINTS = {
    "submit": lambda client, key, environ: client.post(
        f"/api/v1/sites/{key}/responses",
        data=BODY,
        content_type="text/plain",
        environ_overrides=environ,
    ),
    "config": lambda client, key, environ: client.get(
        f"/api/v1/sites/{key}/config", environ_overrides=environ
    ),
    "preflight": lambda client, key, environ: client.options(
        f"/api/v1/sites/{key}/responses",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"},
        environ_overrides=environ,
    ),
    "config preflight": lambda client, key, environ: client.options(
        f"/api/v1/sites/{key}/config",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
        environ_overrides=environ,
    ),
}


@pytest.fixture(params=["memory", "redis"])
def app_config(request, app_config):
    """Allow two requests a minute, counted in memory or in Redis."""
    storage = "memory://"
    if request.param == "redis":
        if not REDIS_URL:
            skip_or_fail("Redis tests need TOUCHPOINT_TEST_REDIS_URL")
        storage = REDIS_URL
    return {**app_config, "RATELIMIT_STORAGE_URI": storage, "TOUCHPOINT_RATELIMIT": "2/minute"}


@pytest.fixture
def address() -> str:
    """Return a client address no earlier run has counted (Redis keeps counts between runs)."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}"


def unknown_key() -> str:
    """Return a well-formed site key that no site has."""
    return "pk_" + uuid.uuid4().hex


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_repeated_unknown_key_is_429_after_the_limit(client, address, endpoint):
    ask = ENDPOINTS[endpoint]
    key = unknown_key()
    environ = {"REMOTE_ADDR": address}
    assert [ask(client, key, environ).status_code for _ in range(2)] == [404, 404]
    refused = ask(client, key, environ)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["code"] == 429


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_rotating_keys_counts_as_one_address(client, address, endpoint):
    ask = ENDPOINTS[endpoint]
    environ = {"REMOTE_ADDR": address}
    answers = [ask(client, unknown_key(), environ).status_code for _ in range(4)]
    assert answers == [404, 404, 429, 429]


def test_past_the_limit_an_unknown_key_costs_no_database_read(client, address, database_reads):
    environ = {"REMOTE_ADDR": address}
    for _ in range(2):
        ENDPOINTS["submit"](client, unknown_key(), environ)
    assert len(database_reads) == 2
    assert ENDPOINTS["config"](client, unknown_key(), environ).status_code == 429
    assert len(database_reads) == 2


def test_a_limited_address_still_reaches_a_read_site_and_others_are_not_limited(
    client, site, address
):
    # A site this worker read lately needs no database read, so no check either; one it has
    # not read is refused like any other key the address asks for past its limit.
    environ = {"REMOTE_ADDR": address}
    assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
    for _ in range(3):
        ENDPOINTS["submit"](client, unknown_key(), environ)
    assert ENDPOINTS["submit"](client, site.key, environ).status_code == 201
    assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
    other = {"REMOTE_ADDR": address + "1"}
    assert ENDPOINTS["submit"](client, unknown_key(), other).status_code == 404


def test_requests_for_real_sites_do_not_count_as_unknown(client, site, make_site, address):
    environ = {"REMOTE_ADDR": address}
    closed = make_site(name="Closed", enabled=False)
    for _ in range(3):
        assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
        assert ENDPOINTS["config"](client, closed.key, environ).status_code == 200
        assert ENDPOINTS["submit"](client, closed.key, environ).status_code == 404
    assert ENDPOINTS["submit"](client, unknown_key(), environ).status_code == 404


def test_junk_keys_count_too(client, address):
    environ = {"REMOTE_ADDR": address}
    answers = [ENDPOINTS["config"](client, "x" * n, environ).status_code for n in (1, 2, 3)]
    assert answers == [404, 404, 429]
