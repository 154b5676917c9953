"""Rate limits on submissions: per client address and site, shared through Redis, failing open."""

import json
import logging
import uuid

import pytest
from conftest import REDIS_URL, base_config, skip_or_fail
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from server import create_app
from server.config import ConfigError
from server.extensions import db
from server.ratelimit import RateLimit, parse_limits
from server.sites.manage import create_site

BODY = json.dumps({"metric": "thumbs", "score": 1, "page": {"url": "https://shop.example/"}})


@pytest.fixture
def app_config(app_config):
    """Allow two submissions a minute."""
    return {**app_config, "TOUCHPOINT_RATELIMIT": "2/minute"}


def submit(client, site_key, address="198.51.100.7"):
    """Post a valid response from client `address`."""
    return client.post(
        f"/api/v1/sites/{site_key}/responses",
        data=BODY,
        content_type="text/plain",
        environ_overrides={"REMOTE_ADDR": address},
    )


def memory_limit(spec: str) -> RateLimit:
    """Return a submission limit on fresh in-memory storage."""
    return RateLimit(FixedWindowRateLimiter(MemoryStorage()), parse_limits(spec), "ingest")


def test_limit_answers_429_with_retry_after(client, site):
    assert [submit(client, site.key).status_code for _ in range(2)] == [201, 201]
    response = submit(client, site.key)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.get_json()["code"] == 429


def test_limit_is_per_address_and_site(client, site, make_site):
    other_site = make_site(name="Blog")
    for _ in range(2):
        submit(client, site.key)
    assert submit(client, site.key).status_code == 429
    assert submit(client, site.key, address="198.51.100.8").status_code == 201
    assert submit(client, other_site.key).status_code == 201


def test_refused_requests_do_not_reach_the_limit(client, site):
    for _ in range(3):
        client.post(
            f"/api/v1/sites/{site.key}/responses",
            data=BODY,
            headers={"Origin": "https://evil.example"},
            environ_overrides={"REMOTE_ADDR": "198.51.100.7"},
        )
    assert submit(client, site.key).status_code == 201


def test_every_configured_limit_applies():
    limit = memory_limit("5/minute;3/day")
    answers = [limit.hit("a", "pk_site") for _ in range(4)]
    assert answers[:3] == [None, None, None]
    assert answers[3] > 60


def test_check_counts_nothing_and_refuses_once_a_limit_is_used_up():
    limit = memory_limit("2/minute")
    assert [limit.check("a") for _ in range(5)] == [None] * 5
    assert [limit.hit("a") for _ in range(2)] == [None, None]
    assert 1 <= limit.check("a") <= 60
    assert limit.check("b") is None


def test_a_failing_storage_lets_checks_and_hits_through(caplog, monkeypatch):
    limit = RateLimit(
        FixedWindowRateLimiter(storage_from_string("redis://127.0.0.1:9/0", socket_timeout=0.2)),
        parse_limits("1/minute"),
        "sign-in",
    )
    monkeypatch.setattr(logging.getLogger("server.ratelimit"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="server.ratelimit"):
        assert [limit.hit("a"), limit.hit("a"), limit.check("a")] == [None, None, None]
    assert caplog.text.count("rate-limit storage failed") == 3


def test_limits_are_parsed_once_and_refused_when_malformed():
    assert [str(item) for item in parse_limits("20/minute;200/day")] == [
        "20 per 1 minute",
        "200 per 1 day",
    ]
    with pytest.raises(ConfigError, match="TOUCHPOINT_RATELIMIT"):
        parse_limits("twenty a minute")
    with pytest.raises(ConfigError, match="TOUCHPOINT_SIGN_IN_RATELIMIT"):
        parse_limits("", "TOUCHPOINT_SIGN_IN_RATELIMIT")


def test_malformed_limit_stops_the_server_from_starting():
    with pytest.raises(ConfigError):
        create_app({**base_config("sqlite://"), "TOUCHPOINT_RATELIMIT": "lots"})


def two_apps_sharing(storage_uri: str, tmp_path):
    """Return two apps on one SQLite file and limiter storage, and a site key they share."""
    config = {
        **base_config(f"sqlite:///{tmp_path / 'shared.db'}"),
        "RATELIMIT_STORAGE_URI": storage_uri,
        "TOUCHPOINT_RATELIMIT": "2/minute",
    }
    first, second = create_app(config), create_app(config)
    with first.app_context():
        db.create_all()
        key = create_site("Shop", ["https://shop.example"]).key
        db.session.remove()
    return first, second, key


def test_redis_limits_are_shared_by_two_app_instances(tmp_path):
    if not REDIS_URL:
        skip_or_fail("Redis tests need TOUCHPOINT_TEST_REDIS_URL")
    first, second, key = two_apps_sharing(REDIS_URL, tmp_path)
    address = f"203.0.113.{uuid.uuid4().int % 250}"
    assert submit(first.test_client(), key, address).status_code == 201
    assert submit(second.test_client(), key, address).status_code == 201
    assert submit(first.test_client(), key, address).status_code == 429
    assert submit(second.test_client(), key, address).status_code == 429


def test_memory_limits_are_per_process(tmp_path):
    first, second, key = two_apps_sharing("memory://", tmp_path)
    for _ in range(2):
        submit(first.test_client(), key)
    assert submit(first.test_client(), key).status_code == 429
    assert submit(second.test_client(), key).status_code == 201


def test_unreachable_storage_fails_open_and_logs(tmp_path, caplog, monkeypatch):
    first, _, key = two_apps_sharing("redis://127.0.0.1:9/0", tmp_path)
    client = first.test_client()
    # Alembic's fileConfig (run by migration tests) disables loggers that already exist.
    monkeypatch.setattr(logging.getLogger("server.ratelimit"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="server.ratelimit"):
        answers = [submit(client, key).status_code for _ in range(3)]
    assert answers == [201, 201, 201]
    assert "rate-limit storage failed" in caplog.text
