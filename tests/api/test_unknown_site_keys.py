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


def test_past_the_limit_an_unknown_key_costs_at_most_one_database_read(
    client, address, database_reads
):
    environ = {"REMOTE_ADDR": address}
    known_unknown = unknown_key()
    for _ in range(2):
        ENDPOINTS["submit"](client, known_unknown, environ)
    assert database_reads == [known_unknown]  # the cache remembers the key is unknown
    assert ENDPOINTS["config"](client, known_unknown, environ).status_code == 429
    assert database_reads == [known_unknown]
    new = unknown_key()
    assert ENDPOINTS["config"](client, new, environ).status_code == 429
    assert database_reads == [known_unknown, new]


def test_a_limited_address_still_reaches_a_read_site_and_others_are_not_limited(
    client, site, address
):
    environ = {"REMOTE_ADDR": address}
    assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
    for _ in range(3):
        ENDPOINTS["submit"](client, unknown_key(), environ)
    assert ENDPOINTS["submit"](client, site.key, environ).status_code == 201
    assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
    other = {"REMOTE_ADDR": address + "1"}
    assert ENDPOINTS["submit"](client, unknown_key(), other).status_code == 404


class TestARealSiteTheCacheNoLongerHolds:
    """Unknown-key traffic never refuses a real site, even one every request reads afresh."""

    @pytest.fixture
    def app_config(self, app_config):
        """Keep no site in the cache: every request reads its site as after the TTL."""
        return {**app_config, "TOUCHPOINT_SITE_CACHE_SECONDS": 0}

    def test_a_limited_address_keeps_the_real_sites_budget(self, client, site, address):
        # The attack: past the unknown-key limit, then the worker's cached copy of a real site
        # expires (here: at once); the site must still be reached, and stay limited alone.
        environ = {"REMOTE_ADDR": address}
        unknown = [ENDPOINTS["submit"](client, unknown_key(), environ).status_code for _ in "abc"]
        assert unknown == [404, 404, 429]
        assert ENDPOINTS["config"](client, site.key, environ).status_code == 200
        assert ENDPOINTS["preflight"](client, site.key, environ).status_code == 204
        submitted = [ENDPOINTS["submit"](client, site.key, environ).status_code for _ in "abc"]
        assert submitted == [201, 201, 429]  # the site's own limit, 2 a minute
        assert ENDPOINTS["submit"](client, unknown_key(), environ).status_code == 429


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
