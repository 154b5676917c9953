"""The audit log: every change from the API and the command line is recorded, and the admin API
lists it newest first, cursor-paged, filtered, narrowed to what the token may see."""

import json

import pytest
from sqlalchemy import select

from server.auth.tokens import create_token
from server.extensions import db
from server.models import AuditEntry

ADMIN = "/api/v1/admin"

#: The widget settings a site is created with when none are given.
WIDGET_DEFAULTS = {
    "metric": "csat",
    "questions": {},
    "cooldown_days": 30,
    "triggers": [],
    "sampling": 1.0,
}

#: The settings a new site allowing every origin is created with, as the audit records them.
OPEN_SITE_SETTINGS = {
    "allowed_origins": ["*"],
    "phase_rules": [],
    "keep_query_params": [],
    "widget": WIDGET_DEFAULTS,
    "collect_email": False,
    "enabled": True,
    "timezone": "UTC",
}


def entries() -> list[AuditEntry]:
    """Return every audit entry, oldest first."""
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()


def audit(client, headers, **query) -> dict:
    """Return one page of the audit log as the API answers it."""
    answer = client.get(f"{ADMIN}/audit", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_every_api_change_is_recorded_with_the_token(client, make_token, site, make_response):
    headers = make_token(name="ops laptop")
    assert entries() == []
    created = client.post(
        f"{ADMIN}/sites", json={"name": "Blog", "allowed_origins": ["*"]}, headers=headers
    ).get_json()
    client.patch(f"{ADMIN}/sites/{created['key']}", json={"enabled": False}, headers=headers)
    response = make_response(site, email="ann@example.com")
    make_response(site, email="ANN@example.com")
    client.delete(f"{ADMIN}/sites/{site.key}/responses/{response.id}", headers=headers)
    client.delete(f"{ADMIN}/sites/{site.key}/responses/{response.id}", headers=headers)
    client.post(
        f"{ADMIN}/sites/{site.key}/erasure", json={"email": "ann@example.com"}, headers=headers
    )
    client.delete(f"{ADMIN}/sites/{created['key']}", headers=headers)
    recorded = [(entry.action, entry.site_key, entry.details) for entry in entries()]
    assert recorded == [
        ("site.create", created["key"], {"name": "Blog", "settings": OPEN_SITE_SETTINGS}),
        ("site.update", created["key"], {"changes": {"enabled": False}}),
        ("response.delete", site.key, {"id": response.id}),
        ("responses.erase", site.key, {"deleted": 1}),
        ("site.delete", created["key"], {"name": "Blog"}),
    ]
    assert {(e.actor_kind, e.token_name) for e in entries()} == {("token", "ops laptop")}
    assert "ann" not in json.dumps([e.details for e in entries()]).lower()


def test_an_entry_carries_the_request_id(client, admin_headers, site):
    answer = client.patch(
        f"{ADMIN}/sites/{site.key}",
        json={"name": "Renamed"},
        headers={**admin_headers, "X-Request-ID": "req-42"},
    )
    assert answer.status_code == 200
    (entry,) = entries()
    assert entry.request_id == "req-42"


def test_a_refused_change_is_not_recorded(client, make_token, site):
    client.patch(
        f"{ADMIN}/sites/{site.key}", json={"name": "X"}, headers=make_token(read_only=True)
    )
    client.patch(f"{ADMIN}/sites/{site.key}", json={"name": ""}, headers=make_token())
    assert entries() == []


def test_the_log_outlives_the_site(client, admin_headers, site):
    key = site.key
    client.patch(f"{ADMIN}/sites/{key}", json={"name": "Gone soon"}, headers=admin_headers)
    client.delete(f"{ADMIN}/sites/{key}", headers=admin_headers)
    page = audit(client, admin_headers, site=key)
    assert [item["action"] for item in page["items"]] == ["site.delete", "site.update"]


def test_the_api_lists_newest_first_in_pages(client, admin_headers, site):
    for number in range(5):
        client.patch(
            f"{ADMIN}/sites/{site.key}", json={"name": f"N{number}"}, headers=admin_headers
        )
    first = audit(client, admin_headers, limit=2)
    names = [item["details"]["changes"]["name"] for item in first["items"]]
    assert names == ["N4", "N3"]
    item = first["items"][0]
    assert set(item) == {
        "id",
        "at",
        "actor",
        "token_id",
        "token_name",
        "action",
        "site_key",
        "details",
        "request_id",
    }
    assert item["at"].endswith("Z") and (item["actor"], item["token_name"]) == ("token", "test")
    seen = names
    cursor = first["next_cursor"]
    while cursor:
        page = audit(client, admin_headers, limit=2, cursor=cursor)
        seen += [item["details"]["changes"]["name"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == ["N4", "N3", "N2", "N1", "N0"]


def test_the_api_filters_by_site_and_action(client, admin_headers, make_site, make_response):
    one, two = make_site(name="One"), make_site(name="Two")
    for site in (one, two):
        client.patch(f"{ADMIN}/sites/{site.key}", json={"enabled": False}, headers=admin_headers)
        client.post(
            f"{ADMIN}/sites/{site.key}/responses/triage",
            json={"ids": [make_response(site).id], "status": "read"},
            headers=admin_headers,
        )
    page = audit(client, admin_headers, site=two.key, action="responses.triage")
    assert [(item["site_key"], item["action"]) for item in page["items"]] == [
        (two.key, "responses.triage")
    ]
    assert len(audit(client, admin_headers)["items"]) == 4


def test_a_site_scoped_token_sees_its_sites_entries_only(
    client, admin_headers, make_site, make_token
):
    mine, theirs = make_site(name="Mine"), make_site(name="Theirs")
    for site in (mine, theirs):
        client.patch(f"{ADMIN}/sites/{site.key}", json={"enabled": False}, headers=admin_headers)
    create_token("instance-wide", actor=None)
    scoped = make_token(site=mine, read_only=True)
    page = audit(client, scoped)
    assert [item["site_key"] for item in page["items"]] == [mine.key]
    assert audit(client, scoped, site=mine.key)["items"] == page["items"]
    hidden = client.get(f"{ADMIN}/audit", query_string={"site": theirs.key}, headers=scoped)
    assert hidden.status_code == 404
    unknown = client.get(f"{ADMIN}/audit", query_string={"site": "pk_" + "z" * 22}, headers=scoped)
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": "501"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"cursor": "-1"}, "cursor"),
        ({"cursor": "abc"}, "cursor"),
        ({"action": "site.explode"}, "action"),
        ({"site": "shop"}, "site"),
        ({"since": "2026-01-01"}, "since"),
    ],
)
def test_bad_audit_queries_are_422_naming_them(client, admin_headers, query, field):
    answer = client.get(f"{ADMIN}/audit", query_string=query, headers=admin_headers)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_cli_changes_are_recorded_as_cli(runner, site):
    created = runner.invoke(args=["sites", "create", "--name", "Docs", "--origin", "*", "--json"])
    assert created.exit_code == 0, created.output
    key = json.loads(created.stdout)["key"]
    made = runner.invoke(args=["tokens", "create", "--name", "ci", "--site", site.key, "--json"])
    token_id = json.loads(made.stdout)["id"]
    assert runner.invoke(args=["tokens", "revoke", str(token_id)]).exit_code == 0
    recorded = [(e.actor_kind, e.token_id, e.action, e.site_key, e.details) for e in entries()]
    assert recorded == [
        ("cli", None, "site.create", key, {"name": "Docs", "settings": OPEN_SITE_SETTINGS}),
        ("cli", None, "token.create", site.key, {"id": token_id, "name": "ci", "read_only": False}),
        ("cli", None, "token.revoke", site.key, {"id": token_id, "name": "ci"}),
    ]
    assert "tp_" not in json.dumps([entry.details for entry in entries()])


def test_triage_records_only_what_changed(client, admin_headers, site, make_response):
    response = make_response(site)
    url = f"{ADMIN}/sites/{site.key}/responses/{response.id}"
    for unchanged in ({"note": None}, {"status": "new"}, {"status": "new", "note": "  "}):
        assert client.patch(url, json=unchanged, headers=admin_headers).status_code == 200
    bulk = {"ids": [response.id], "status": "new"}
    triage = f"{ADMIN}/sites/{site.key}/responses/triage"
    assert client.post(triage, json=bulk, headers=admin_headers).get_json() == {"updated": 0}
    assert entries() == []
    client.patch(url, json={"status": "read", "note": "called"}, headers=admin_headers)
    client.patch(url, json={"status": "read", "note": "called back"}, headers=admin_headers)
    client.patch(url, json={"status": "resolved", "note": "called back"}, headers=admin_headers)
    client.post(triage, json={**bulk, "status": "spam"}, headers=admin_headers)
    assert [(e.action, e.details) for e in entries()] == [
        ("response.triage", {"id": response.id, "status": "read", "note": "set"}),
        ("response.triage", {"id": response.id, "note": "set"}),
        ("response.triage", {"id": response.id, "status": "resolved"}),
        ("responses.triage", {"status": "spam", "updated": 1, "ids": [response.id]}),
    ]
