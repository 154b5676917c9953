"""The admin API's alert rules: create, show masked, change, delete, test, and the log."""

import pytest

from server.alerts.deliveries import purge_deliveries
from server.extensions import db
from server.models import AlertDelivery, AlertRule

from .conftest import wait_for


def rules_url(site) -> str:
    return f"/api/v1/admin/sites/{site.key}/alerts"


def test_webhook_rule_shows_its_secret_once_then_masked(client, site, admin_headers):
    created = client.post(
        rules_url(site),
        json={
            "name": "Checkout detractors",
            "on": "response",
            "channel": "webhook",
            "target": "https://hooks.example/touchpoint",
            "filter": {"metric": "nps", "max_score": 6, "phase": "conversion"},
        },
        headers=admin_headers,
    )
    assert created.status_code == 201, created.get_json()
    rule = created.get_json()
    assert rule["target"] == "https://hooks.example/touchpoint"
    assert rule["secret"].startswith("whsec_") and len(rule["secret"]) > 40
    shown = client.get(f"{rules_url(site)}/{rule['id']}", headers=admin_headers).get_json()
    assert shown["secret"] == "…" + rule["secret"][-4:]
    assert shown["target"] == "…" + "oint"
    listed = client.get(rules_url(site), headers=admin_headers).get_json()["items"]
    assert [item["secret"] for item in listed] == [shown["secret"]]
    assert rule["secret"] not in str(listed)


def test_patch_without_target_keeps_target_and_secret(client, site, admin_headers, create_rule):
    rule = create_rule(channel="webhook", target="https://hooks.example/a")
    url = f"{rules_url(site)}/{rule['id']}"
    changed = client.patch(url, json={"enabled": False, "name": "Quiet"}, headers=admin_headers)
    assert changed.status_code == 200, changed.get_json()
    stored = db.session.get(AlertRule, rule["id"])
    assert (stored.target, stored.secret, stored.enabled) == (
        "https://hooks.example/a",
        rule["secret"],
        False,
    )


def test_patch_to_email_drops_the_secret(client, site, admin_headers, create_rule):
    rule = create_rule(channel="webhook", target="https://hooks.example/a")
    answer = client.patch(
        f"{rules_url(site)}/{rule['id']}",
        json={"channel": "email", "target": "team@shop.example"},
        headers=admin_headers,
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["secret"] is None


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"channel": "webhook", "target": "ftp://hooks.example/"}, "target"),
        ({"channel": "email", "target": "not an address"}, "target"),
        ({"channel": "webhook", "target": "https://x.example/", "on": "sometimes"}, "on"),
        (
            {"channel": "webhook", "target": "https://x.example/", "filter": {"max_score": 11}},
            "filter",
        ),
        (
            {"channel": "webhook", "target": "https://x.example/", "filter": {"themes": ["x"]}},
            "filter",
        ),
        ({"channel": "webhook", "target": "https://x.example/", "filter": {"bogus": 1}}, "filter"),
        ({"channel": "webhook", "target": "https://x.example/", "on": "digest"}, "schedule"),
        ({"channel": "webhook", "target": "https://x.example/", "schedule": "daily"}, "schedule"),
        ({"channel": "pigeon", "target": "https://x.example/"}, "channel"),
        ({"channel": "webhook", "target": "https://x.example/", "bogus": 1}, "bogus"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(client, site, admin_headers, fields, field):
    body = {"name": "Rule", "on": "response", **fields}
    answer = client.post(rules_url(site), json=body, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert any(name.split(".")[0] == field for name in answer.get_json()["errors"])


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_private_targets_are_refused_unless_allowed(client, app, site, admin_headers, target):
    app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] = False
    body = {"name": "Inside", "on": "response", "channel": "webhook", "target": target}
    answer = client.post(rules_url(site), json=body, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert "target" in answer.get_json()["errors"]


def test_slack_targets_must_be_slack_webhooks(client, app, site, admin_headers):
    app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] = False
    body = {"name": "Slack", "on": "response", "channel": "slack"}
    other = client.post(
        rules_url(site), json={**body, "target": "https://example.com/x"}, headers=admin_headers
    )
    assert other.status_code == 422
    assert "target" in other.get_json()["errors"]


def test_another_sites_rule_is_not_found(client, make_site, site, admin_headers, create_rule):
    rule = create_rule(channel="email", target="team@shop.example")
    other = make_site(name="Other")
    for method in ("GET", "PATCH", "DELETE"):
        answer = client.open(
            f"{rules_url(other)}/{rule['id']}", method=method, json={}, headers=admin_headers
        )
        assert answer.status_code == 404, method


def test_delete_removes_the_rule_and_its_log(client, site, admin_headers, create_rule):
    rule = create_rule(channel="email", target="team@shop.example")
    url = f"{rules_url(site)}/{rule['id']}"
    client.post(f"{url}/test", headers=admin_headers)
    assert client.delete(url, headers=admin_headers).status_code == 204
    assert client.get(url, headers=admin_headers).status_code == 404
    assert db.session.query(AlertDelivery).count() == 0


def test_send_a_test_is_logged_and_delivered(
    client, site, admin_headers, create_rule, make_receiver, worker
):
    receiver = make_receiver()
    rule = create_rule(channel="webhook", target=receiver.url)
    url = f"{rules_url(site)}/{rule['id']}"
    queued = client.post(f"{url}/test", headers=admin_headers)
    assert queued.status_code == 202, queued.get_json()
    assert queued.get_json()["outcome"] == "pending"

    def delivered():
        items = client.get(f"{url}/deliveries", headers=admin_headers).get_json()["items"]
        return items if items and items[0]["outcome"] == "delivered" else None

    items = wait_for(delivered, "the test delivery")
    assert items[0]["status_code"] == 200 and items[0]["attempt"] == 1
    assert items[0]["duration_ms"] >= 0 and items[0]["event"] == "test"
    assert len(receiver.requests) == 1


def test_delivery_log_is_cursor_paged_newest_first(client, site, admin_headers, create_rule):
    rule = create_rule(channel="email", target="team@shop.example")
    url = f"{rules_url(site)}/{rule['id']}"
    for _ in range(5):
        client.post(f"{url}/test", headers=admin_headers)
    seen, cursor = [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"{url}/deliveries", query_string=query, headers=admin_headers)
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(seen, reverse=True) and len(seen) == 5


@pytest.mark.parametrize("query", [{"limit": "501"}, {"cursor": "x"}, {"bogus": "1"}])
def test_delivery_log_refuses_bad_queries(client, site, admin_headers, create_rule, query):
    rule = create_rule(channel="email", target="team@shop.example")
    answer = client.get(
        f"{rules_url(site)}/{rule['id']}/deliveries", query_string=query, headers=admin_headers
    )
    assert answer.status_code == 422


def test_deliveries_older_than_30_days_are_purged(client, site, admin_headers, create_rule):
    from datetime import UTC, datetime, timedelta

    rule = create_rule(channel="email", target="team@shop.example")
    client.post(f"{rules_url(site)}/{rule['id']}/test", headers=admin_headers)
    assert purge_deliveries(datetime.now(UTC) + timedelta(days=29)) == 0
    assert purge_deliveries(datetime.now(UTC) + timedelta(days=31)) == 1


def test_patch_cannot_give_a_response_rule_a_schedule(client, site, admin_headers, create_rule):
    rule = create_rule(channel="webhook", target="https://hooks.example/a")
    url = f"{rules_url(site)}/{rule['id']}"
    answer = client.patch(url, json={"schedule": "daily"}, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert "schedule" in answer.get_json()["errors"]
    assert db.session.get(AlertRule, rule["id"]).schedule is None


def test_patch_cannot_take_a_digest_rules_schedule(client, site, admin_headers, create_rule):
    rule = create_rule(
        on="digest", schedule="daily", channel="webhook", target="https://hooks.example/a"
    )
    url = f"{rules_url(site)}/{rule['id']}"
    answer = client.patch(url, json={"schedule": None}, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert "schedule" in answer.get_json()["errors"]
    changed = client.patch(url, json={"schedule": "weekly"}, headers=admin_headers)
    assert changed.status_code == 200 and changed.get_json()["schedule"] == "weekly"


def test_patch_refuses_a_change_of_on(client, site, admin_headers, create_rule):
    rule = create_rule(channel="webhook", target="https://hooks.example/a")
    url = f"{rules_url(site)}/{rule['id']}"
    answer = client.patch(url, json={"on": "digest"}, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert list(answer.get_json()["errors"]) == ["on"]


@pytest.mark.parametrize(
    "target",
    [
        "https://example.com/x",
        "https://hooks.slack.com.evil.example/services/x",
        "https://evil.example/https://hooks.slack.com/",
        "http://10.0.0.5/hook",
    ],
)
def test_allowing_private_targets_keeps_slack_targets_on_slack(
    client, app, site, admin_headers, target
):
    app.config["TOUCHPOINT_ALERTS_SLACK_HOSTS"] = ("hooks.slack.com",)
    body = {"name": "Slack", "on": "response", "channel": "slack", "target": target}
    answer = client.post(rules_url(site), json=body, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert "target" in answer.get_json()["errors"]


def test_slack_targets_need_https_in_production(client, app, site, admin_headers):
    app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"] = False
    app.config["TOUCHPOINT_ALERTS_SLACK_HOSTS"] = ("hooks.slack.com",)
    body = {"name": "Slack", "on": "response", "channel": "slack"}
    plain = {**body, "target": "http://hooks.slack.com/services/T/B/x"}
    assert client.post(rules_url(site), json=plain, headers=admin_headers).status_code == 422
    good = {**body, "target": "https://hooks.slack.com/services/T/B/x"}
    assert client.post(rules_url(site), json=good, headers=admin_headers).status_code == 201


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_impossible_rule_id_is_not_found(client, site, admin_headers, method):
    answer = client.open(
        f"{rules_url(site)}/{2**31}", method=method, json={"enabled": False}, headers=admin_headers
    )
    assert answer.status_code == 404, answer.get_json()


def test_email_domains_are_stored_in_ascii(client, site, admin_headers):
    body = {"name": "Mail", "on": "response", "channel": "email", "target": "user@exämple.de"}
    answer = client.post(rules_url(site), json=body, headers=admin_headers)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["target"] == "user@xn--exmple-cua.de"


def test_a_unicode_mailbox_name_is_refused(client, site, admin_headers):
    body = {"name": "Mail", "on": "response", "channel": "email", "target": "üser@exämple.de"}
    answer = client.post(rules_url(site), json=body, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert "ASCII" in answer.get_json()["errors"]["target"][0]


@pytest.mark.parametrize(
    "filter_, field",
    [
        ({"themes": ["speed", "speed"]}, "filter.themes"),
        ({"path": "checkout"}, "filter.path"),
    ],
)
def test_bad_filters_are_refused(client, site, admin_headers, filter_, field):
    body = {"name": "R", "on": "response", "channel": "webhook", "target": "https://x.example/"}
    answer = client.post(rules_url(site), json={**body, "filter": filter_}, headers=admin_headers)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"]


def test_rule_changes_are_audited_without_targets_or_secrets(
    client, site, admin_headers, create_rule
):
    rule = create_rule(channel="webhook", target="https://hooks.example/secret-path")
    url = f"{rules_url(site)}/{rule['id']}"
    assert client.patch(url, json={"enabled": False}, headers=admin_headers).status_code == 200
    assert client.post(f"{url}/test", headers=admin_headers).status_code == 202
    assert client.delete(url, headers=admin_headers).status_code == 204
    audit = client.get("/api/v1/admin/audit", headers=admin_headers).get_json()["items"]
    alert_entries = [entry for entry in audit if entry["action"].startswith("alert.")]
    assert [entry["action"] for entry in alert_entries] == [
        "alert.delete",
        "alert.test",
        "alert.update",
        "alert.create",
    ]
    assert {entry["site_key"] for entry in alert_entries} == {site.key}
    assert "secret-path" not in str(audit) and rule["secret"] not in str(audit)
