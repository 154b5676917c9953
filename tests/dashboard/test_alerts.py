"""The dashboard's alert pages: create (secret shown once), edit, switch, delete, send a
test, the delivery log; errors from the API's schema; read-only tokens; CSRF."""

import re

import pytest
from dashboard_session import csrf_token, secret_of, sign_in
from sqlalchemy import select

from server.extensions import db
from server.models import AlertDelivery, AlertRule


@pytest.fixture
def app_config(app_config, tmp_path):
    """Queue on a file of the test's own, and let rules reach this machine's receivers."""
    return {
        **app_config,
        "TOUCHPOINT_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "TOUCHPOINT_ALERTS_ALLOW_PRIVATE": True,
    }


def page(client, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, answer.status_code
    return answer.get_data(as_text=True)


def create(client, site, **fields):
    path = f"/admin/sites/{site.key}/alerts"
    data = {
        "csrf_token": csrf_token(client, path),
        "name": "Checkout detractors",
        "on": "response",
        "channel": "webhook",
        "target": "http://127.0.0.1:9/hook",
        "metric": "nps",
        "max_score": "6",
        "enabled": "y",
    }
    data.update(fields)
    return client.post(path, data=data)


def rules() -> list[AlertRule]:
    db.session.expire_all()
    return db.session.scalars(select(AlertRule).order_by(AlertRule.id)).all()


def test_a_rule_is_created_and_its_secret_shown_once(signed_in, site):
    answer = create(signed_in, site, themes=["speed", "waiting"])
    assert answer.status_code == 302
    html = page(signed_in, answer.headers["Location"])
    (rule,) = rules()
    assert rule.filter == {"metric": "nps", "max_score": 6, "themes": ["speed", "waiting"]}
    assert f"<code data-secret>{rule.secret}</code>" in html
    assert "http://127.0.0.1:9/hook" in html
    listing = page(signed_in, f"/admin/sites/{site.key}/alerts")
    assert rule.secret not in listing and "http://127.0.0.1:9/hook" not in listing
    assert "…hook" in listing


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"max_score": "lots"}, "error-filter-max_score"),
        ({"target": "not a url"}, "error-target"),
        ({"on": "digest"}, "error-schedule"),
        ({"phase": "checkout"}, "error-filter-phase"),
    ],
)
def test_the_api_schema_refuses_bad_rules(signed_in, site, fields, error):
    answer = create(signed_in, site, **fields)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert f'id="{error}"' in html
    # The field names its error, so a screen reader reads it with the field.
    assert f'aria-describedby="{error}" aria-invalid="true"' in html
    assert rules() == []


def test_every_message_of_a_field_has_an_id_of_its_own(signed_in, site):
    themes = ["speed", "nonsense", "unknown"]
    answer = create(signed_in, site, themes=themes)
    html = answer.get_data(as_text=True)
    ids = re.findall(r'<p class="error" id="([^"]+)"', html)
    assert ids and len(ids) == len(set(ids))
    assert f'aria-describedby="{" ".join(ids)}" aria-invalid="true"' in html


def test_edit_keeps_the_target_when_left_empty(signed_in, site):
    create(signed_in, site)
    (rule,) = rules()
    path = f"/admin/sites/{site.key}/alerts/{rule.id}"
    form = page(signed_in, path)
    assert 'value="Checkout detractors"' in form and 'placeholder="…hook"' in form
    answer = signed_in.post(
        path,
        data={
            "csrf_token": csrf_token(signed_in, path),
            "name": "Renamed",
            "channel": "webhook",
            "target": "",
            "metric": "csat",
        },
    )
    assert answer.status_code == 302
    (rule,) = rules()
    assert (rule.name, rule.target, rule.enabled) == ("Renamed", "http://127.0.0.1:9/hook", False)
    assert rule.filter == {"metric": "csat"}


def test_switch_test_and_delete(signed_in, site):
    create(signed_in, site)
    (rule,) = rules()
    base = f"/admin/sites/{site.key}/alerts/{rule.id}"
    token = csrf_token(signed_in, f"/admin/sites/{site.key}/alerts")
    assert signed_in.post(f"{base}/switch", data={"csrf_token": token}).status_code == 302
    assert rules()[0].enabled is False
    answer = signed_in.post(f"{base}/test", data={"csrf_token": token})
    assert answer.headers["Location"].endswith(f"{base}/deliveries")
    (delivery,) = db.session.scalars(select(AlertDelivery)).all()
    assert delivery.event == "test"
    log = page(signed_in, f"{base}/deliveries")
    assert f'data-delivery="{delivery.id}"' in log and 'data-outcome="pending"' in log
    assert signed_in.post(f"{base}/delete", data={"csrf_token": token}).status_code == 302
    assert rules() == []


def test_the_log_is_paged(signed_in, site):
    create(signed_in, site)
    (rule,) = rules()
    db.session.add_all(
        AlertDelivery(
            rule_id=rule.id, message_id=f"msg_{n}", event="test", outcome="delivered", payload={}
        )
        for n in range(55)
    )
    db.session.commit()
    base = f"/admin/sites/{site.key}/alerts/{rule.id}/deliveries"
    first = page(signed_in, base)
    assert first.count("data-delivery=") == 50
    older = re.search(r'href="([^"]+cursor=\d+)"', first).group(1).replace("&amp;", "&")
    assert page(signed_in, older).count("data-delivery=") == 5
    assert signed_in.get(f"{base}?cursor=nonsense").status_code == 422


def test_read_only_tokens_see_but_cannot_change(client, site, make_token, admin_headers):
    assert sign_in(client, secret_of(admin_headers)).status_code == 302
    create(client, site)
    (rule,) = rules()
    client.post("/admin/sign-out", data={"csrf_token": csrf_token(client, "/admin/")})
    assert sign_in(client, secret_of(make_token(read_only=True))).status_code == 302
    listing = page(client, f"/admin/sites/{site.key}/alerts")
    assert "Checkout detractors" in listing and '<form method="post" class="card"' not in listing
    assert "data-send-test" not in listing
    token = csrf_token(client, "/admin/")
    base = f"/admin/sites/{site.key}/alerts/{rule.id}"
    for path in (f"{base}/delete", f"{base}/test", f"{base}/switch", base):
        assert client.post(path, data={"csrf_token": token}).status_code == 403
    assert len(rules()) == 1


def test_forms_need_the_csrf_token(signed_in, site):
    path = f"/admin/sites/{site.key}/alerts"
    answer = signed_in.post(path, data={"name": "x", "on": "response"})
    assert answer.status_code == 400
    assert rules() == []


def test_the_site_nav_links_the_alerts(signed_in, site):
    assert f'href="/admin/sites/{site.key}/alerts"' in page(signed_in, f"/admin/sites/{site.key}")


def edit(client, site, rule, **fields):
    """Post the edit form of `rule` with the stored name and channel, `fields` replaced."""
    path = f"/admin/sites/{site.key}/alerts/{rule.id}"
    data = {
        "csrf_token": csrf_token(client, path),
        "name": rule.name,
        "channel": rule.channel,
        "target": "",
        "enabled": "y",
    }
    data.update(fields)
    return client.post(path, data=data)


@pytest.mark.parametrize("target", ["http://127.0.0.1:9/hook\x00", "http://127.0.0.1:9/\x01x"])
def test_a_target_with_control_characters_is_refused(signed_in, site, target):
    answer = create(signed_in, site, target=target)
    assert answer.status_code == 422
    assert 'id="error-target"' in answer.get_data(as_text=True)
    assert rules() == []
    create(signed_in, site)
    (rule,) = rules()
    changed = edit(signed_in, site, rule, target=target)
    assert changed.status_code == 422
    assert 'id="error-target"' in changed.get_data(as_text=True)
    assert rules()[0].target == "http://127.0.0.1:9/hook"


def test_no_theme_ticked_is_no_themes_filter(signed_in, site):
    assert create(signed_in, site).status_code == 302
    (rule,) = rules()
    assert rule.filter == {"metric": "nps", "max_score": 6}
    assert edit(signed_in, site, rule, themes=["speed"]).status_code == 302
    assert rules()[0].filter == {"themes": ["speed"]}
    # Unticking every theme drops the themes filter, never stores an empty list.
    assert edit(signed_in, site, rule).status_code == 302
    assert rules()[0].filter == {}


def test_a_new_channel_without_a_target_is_refused(signed_in, site):
    create(signed_in, site)
    (rule,) = rules()
    answer = edit(signed_in, site, rule, channel="email", name="Renamed")
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert '<p class="error" id="error-target">Missing data for required field.</p>' in html
    (rule,) = rules()
    assert (rule.name, rule.channel, rule.target) == (
        "Checkout detractors",
        "webhook",
        "http://127.0.0.1:9/hook",
    )
    moved = edit(signed_in, site, rule, channel="email", target="team@shop.example")
    assert moved.status_code == 302
    assert (rules()[0].channel, rules()[0].target, rules()[0].secret) == (
        "email",
        "team@shop.example",
        None,
    )


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (
            {"metric": "csat", "max_score": "0"},
            "error-filter-max_score",
            "Must be between 1 and 5.",
        ),
        ({"path": "/checkout?step=2"}, "error-filter-path", "without a query (?)"),
        ({"name": "\u200b"}, "error-name", "One line of text, not only spaces."),
        ({"schedule": "daily"}, "error-schedule", "Only digest rules have a schedule."),
    ],
)
def test_an_edit_is_checked_as_the_rule_it_would_leave(signed_in, site, fields, error, message):
    create(signed_in, site)
    (rule,) = rules()
    answer = edit(signed_in, site, rule, **fields)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert f'id="{error}">' in html and message in html
    assert rules()[0].filter == {"metric": "nps", "max_score": 6}
    assert rules()[0].schedule is None


def api_rule(signed_in, site, admin_headers, **fields) -> AlertRule:
    """Create a rule through the admin API (parts the form does not show); return it."""
    body = {"name": "Rule", "channel": "webhook", "target": "http://127.0.0.1:9/hook", **fields}
    created = signed_in.application.test_client().post(
        f"/api/v1/admin/sites/{site.key}/alerts", json=body, headers=admin_headers
    )
    assert created.status_code == 201, created.get_json()
    (rule,) = rules()
    return rule


def test_an_edit_keeps_a_max_score_of_zero(signed_in, site, admin_headers):
    rule = api_rule(
        signed_in, site, admin_headers, on="response", filter={"metric": "nps", "max_score": 0}
    )
    form = page(signed_in, f"/admin/sites/{site.key}/alerts/{rule.id}")
    assert 'name="max_score" inputmode="numeric" value="0"' in form
    assert edit(signed_in, site, rule, metric="nps", max_score="0").status_code == 302
    assert rules()[0].filter == {"metric": "nps", "max_score": 0}


def test_an_edit_keeps_a_change_rules_kinds(signed_in, site, admin_headers):
    rule = api_rule(
        signed_in,
        site,
        admin_headers,
        on="change",
        filter={"metric": "nps", "kinds": ["drop", "rise"]},
    )
    assert edit(signed_in, site, rule, metric="nps").status_code == 302
    assert rules()[0].filter == {"metric": "nps", "kinds": ["drop", "rise"]}


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (
            {"on": "digest", "max_score": ""},
            "error-schedule",
            "Een regel voor een overzicht heeft een planning nodig.",
        ),
        (
            {"on": "change"},
            "error-filter-max_score",
            "Alleen regels voor reacties filteren op score.",
        ),
        ({"target": "not a url"}, "error-target", "Geen geldige URL."),
        (
            {"channel": "email", "target": f"{'a' * 65}@shop.example"},
            "error-target",
            "Het deel voor de @ is langer dan 64 tekens.",
        ),
        (
            {"channel": "slack", "target": "https://chat.example/hook"},
            "error-target",
            "Een Slack-bestemming is een URL van een incoming webhook: https://hooks.slack.com/…",
        ),
    ],
)
def test_a_refused_rule_s_errors_are_shown_in_dutch(signed_in, site, fields, error, message):
    signed_in.get("/admin/language/nl")
    answer = create(signed_in, site, **fields)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    assert f'<p class="error" id="{error}">{message}</p>' in html
    assert rules() == []


def test_every_fixed_message_of_the_rule_schema_is_translated(app):
    """The rule schema's own messages are all in the dashboard's catalogs (a new one that is
    not would show in English to every reader)."""
    from server.dashboard.field_errors import translated_message
    from server.schemas.alerts import UNREAD_PARTS, schedule_errors

    messages = [
        *UNREAD_PARTS.values(),
        *schedule_errors("digest", None),
        *schedule_errors("response", "daily"),
        "Each theme may be given once.",
        "Each kind may be given once.",
        "Give channel and target together.",
    ]
    with app.test_request_context("/admin/", headers={"Accept-Language": "nl"}):
        untranslated = [text for text in messages if translated_message(text) == text]
    assert untranslated == []
