"""The admin API's sites: create, list, read, change and delete."""

import re

import pytest
from sqlalchemy import func, select

from server.extensions import db
from server.models import AdminToken, Response, Site

SITES = "/api/v1/admin/sites"
SITE_KEY = re.compile(r"pk_[A-Za-z0-9_-]{16,}")
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
DEFAULT_WIDGET = {
    "metric": "csat",
    "questions": {},
    "cooldown_days": 30,
    "color": None,
    "position": None,
    "label": None,
    "triggers": [],
    "sampling": 1.0,
}


def new_site(**fields) -> dict:
    """Return a valid creation payload with `fields` changed."""
    return {"name": "Shop", "allowed_origins": ["https://shop.example"], **fields}


def add_response(site: Site, **fields) -> Response:
    """Store one response of `site`."""
    row = Response(site=site, metric="csat", score=4, page_url="https://s.example/", page_path="/")
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.commit()
    return row


def count(model, *conditions) -> int:
    """Count the rows of `model` that meet `conditions`."""
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_create_answers_the_site_with_defaults_key_and_snippet(client, admin_headers):
    response = client.post(SITES, json=new_site(), headers=admin_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert SITE_KEY.fullmatch(body["key"])
    assert body["name"] == "Shop"
    assert body["allowed_origins"] == ["https://shop.example"]
    assert body["phase_rules"] == []
    assert body["keep_query_params"] == []
    assert body["collect_email"] is False
    assert body["enabled"] is True
    assert body["widget"] == DEFAULT_WIDGET
    assert body["snippet"] == f'<script src="http://localhost/w/{body["key"]}.js" defer></script>'
    assert body["snippet_url_source"] == "request"
    assert TIMESTAMP.fullmatch(body["created_at"])
    assert TIMESTAMP.fullmatch(body["updated_at"])
    stored = db.session.scalar(select(Site).where(Site.key == body["key"]))
    assert stored.name == "Shop"


def test_create_keeps_every_setting(client, admin_headers):
    settings = new_site(
        name="Portal",
        allowed_origins=["https://portal.example", "http://localhost:8000"],
        phase_rules=[
            {"match": "/checkout*", "phase": "conversion"},
            {"match": "*/faq", "phase": "loyalty"},
        ],
        collect_email=True,
        keep_query_params=["utm_source", "q"],
        enabled=False,
        widget={
            "metric": "nps",
            "questions": {"en": {"nps": "Would you recommend us?"}, "nl-BE": {"csat": "Tevreden?"}},
            "cooldown_days": 0,
            "color": "#0A7",
            "position": "left",
            "label": "Tell us",
        },
    )
    body = client.post(SITES, json=settings, headers=admin_headers).get_json()
    for name in ("allowed_origins", "phase_rules", "collect_email", "keep_query_params"):
        assert body[name] == settings[name]
    assert body["enabled"] is False
    assert body["widget"] == {**settings["widget"], "triggers": [], "sampling": 1.0}
    # The per-site script carries the settings: the snippet names the script alone.
    assert "data-" not in body["snippet"]


def test_snippet_uses_the_configured_public_url(app, client, admin_headers):
    app.config["TOUCHPOINT_PUBLIC_URL"] = "https://feedback.example/"
    body = client.post(SITES, json=new_site(), headers=admin_headers).get_json()
    assert (
        body["snippet"]
        == f'<script src="https://feedback.example/w/{body["key"]}.js" defer></script>'
    )
    assert body["snippet_url_source"] == "configured"


def test_snippet_escapes_the_public_url(app, client, admin_headers):
    app.config["TOUCHPOINT_PUBLIC_URL"] = 'https://feedback.example/"><script>alert(1)</script>'
    payload = new_site(widget={"label": '"><script>alert(1)</script>'})
    body = client.post(SITES, json=payload, headers=admin_headers).get_json()
    assert "<script>alert" not in body["snippet"]
    assert body["snippet"].startswith('<script src="https://feedback.example/&#34;&gt;')


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (["HTTPS://Shop.Example"], ["https://shop.example"]),
        (["https://shop.example/"], ["https://shop.example"]),
        (
            ["https://shop.example:443", "http://shop.example:80"],
            ["https://shop.example", "http://shop.example"],
        ),
        (["http://localhost:8000"], ["http://localhost:8000"]),
        (["http://[::1]:8000"], ["http://[::1]:8000"]),
        (["https://a.example", "https://a.example/"], ["https://a.example"]),
        (["*"], ["*"]),
    ],
)
def test_origins_are_stored_as_browsers_send_them(client, admin_headers, given, stored):
    response = client.post(SITES, json=new_site(allowed_origins=given), headers=admin_headers)
    assert response.status_code == 201
    assert response.get_json()["allowed_origins"] == stored


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"allowed_origins": ["https://shop.example"]}, "name"),
        (new_site(name=""), "name"),
        (new_site(name="   "), "name"),
        (new_site(name="x" * 201), "name"),
        (new_site(name="line\nbreak"), "name"),
        (new_site(name=7), "name"),
        (new_site(name="half \ud800 a character"), "name"),
        (new_site(name="nul \x00 byte"), "name"),
        ({"name": "Shop"}, "allowed_origins"),
        (new_site(allowed_origins=[]), "allowed_origins"),
        (new_site(allowed_origins="https://shop.example"), "allowed_origins"),
        (new_site(allowed_origins=["https://shop.example/path"]), "allowed_origins.0"),
        (new_site(allowed_origins=["https://shop.example?x=1"]), "allowed_origins.0"),
        (new_site(allowed_origins=["https://shop.example#top"]), "allowed_origins.0"),
        (new_site(allowed_origins=["ftp://shop.example"]), "allowed_origins.0"),
        (new_site(allowed_origins=["shop.example"]), "allowed_origins.0"),
        (new_site(allowed_origins=["https://user@shop.example"]), "allowed_origins.0"),
        (new_site(allowed_origins=["https://shop.example:99999"]), "allowed_origins.0"),
        (new_site(allowed_origins=["https://shop_example.com"]), "allowed_origins.0"),
        (new_site(allowed_origins=["*", "https://shop.example"]), "allowed_origins"),
        (
            new_site(phase_rules=[{"match": "checkout", "phase": "conversion"}]),
            "phase_rules.0.match",
        ),
        (new_site(phase_rules=[{"match": "", "phase": "conversion"}]), "phase_rules.0.match"),
        (new_site(phase_rules=[{"match": "/a", "phase": "purchase"}]), "phase_rules.0.phase"),
        (new_site(phase_rules=[{"match": "/\ud800", "phase": "loyalty"}]), "phase_rules.0.match"),
        (new_site(phase_rules=[{"match": "/a"}]), "phase_rules.0.phase"),
        (new_site(phase_rules=[{"match": "/a", "phase": "loyalty", "x": 1}]), "phase_rules.0.x"),
        (new_site(phase_rules={"/a": "loyalty"}), "phase_rules"),
        (new_site(collect_email="yes"), "collect_email"),
        (new_site(collect_email=1), "collect_email"),
        (new_site(enabled=None), "enabled"),
        (new_site(keep_query_params=["a b"]), "keep_query_params.0"),
        (new_site(keep_query_params=[""]), "keep_query_params.0"),
        (new_site(widget={"metric": "stars"}), "widget.metric"),
        (new_site(widget={"cooldown_days": -1}), "widget.cooldown_days"),
        (new_site(widget={"cooldown_days": "3"}), "widget.cooldown_days"),
        (new_site(widget={"cooldown_days": 1.5}), "widget.cooldown_days"),
        (new_site(widget={"cooldown_days": True}), "widget.cooldown_days"),
        (new_site(widget={"color": "red"}), "widget.color"),
        (new_site(widget={"color": "#12345"}), "widget.color"),
        (new_site(widget={"position": "top"}), "widget.position"),
        (new_site(widget={"label": ""}), "widget.label"),
        (new_site(widget={"label": "x" * 41}), "widget.label"),
        (new_site(widget={"label": "tab\there"}), "widget.label"),
        (new_site(widget={"questions": {"en": {"stars": "?"}}}), "widget.questions.en.stars"),
        (new_site(widget={"questions": {"en": {"csat": ""}}}), "widget.questions.en.csat"),
        (new_site(widget={"questions": {"english!": {"csat": "?"}}}), "widget.questions.english!"),
        (new_site(widget={"theme": "dark"}), "widget.theme"),
        (new_site(key="pk_chosen_by_the_client"), "key"),
        (new_site(owner="me"), "owner"),
    ],
)
def test_create_refuses_bad_settings_naming_the_field(client, admin_headers, payload, field):
    response = client.post(SITES, json=payload, headers=admin_headers)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == 422
    assert field in body["errors"], body["errors"]
    assert count(Site) == 0


def test_create_refuses_a_body_that_is_not_json(client, admin_headers):
    headers = {**admin_headers, "Content-Type": "application/json"}
    response = client.post(SITES, data="{not json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["code"] == 400


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_an_admin_body_with_nan_or_infinity_is_not_json(client, admin_headers, site, constant):
    headers = {**admin_headers, "Content-Type": "application/json"}
    response = client.patch(
        f"{SITES}/{site.key}", data=f'{{"cooldown_days": {constant}}}', headers=headers
    )
    assert response.status_code == 400
    assert response.get_json()["code"] == 400


def test_list_shows_every_site_to_an_instance_token(client, admin_headers, make_site):
    first, second = make_site(name="One"), make_site(name="Two")
    body = client.get(SITES, headers=admin_headers).get_json()
    assert [site["key"] for site in body["sites"]] == [first.key, second.key]
    assert body["sites"][1]["snippet"].endswith(f'/w/{second.key}.js" defer></script>')


def test_list_shows_a_scoped_token_only_its_site(client, make_site, make_token):
    make_site(name="One")
    mine = make_site(name="Two")
    body = client.get(SITES, headers=make_token(site=mine, read_only=True)).get_json()
    assert [site["key"] for site in body["sites"]] == [mine.key]


def test_read_shows_one_site(client, admin_headers, site):
    response = client.get(f"{SITES}/{site.key}", headers=admin_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["key"] == site.key
    assert body["phase_rules"] == site.phase_rules
    assert body["widget"] == DEFAULT_WIDGET


@pytest.mark.parametrize(
    "key",
    ["pk_nothing_here_at_all", "pk_%00abcdefghijklmnopq", "%00", "pk_short", "pk_" + "x" * 300],
)
def test_read_of_an_unknown_or_malformed_key_is_404(client, admin_headers, key):
    response = client.get(f"{SITES}/{key}", headers=admin_headers)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_change_touches_only_the_given_settings(client, admin_headers, site):
    before = client.get(f"{SITES}/{site.key}", headers=admin_headers).get_json()
    response = client.patch(
        f"{SITES}/{site.key}", json={"name": "Renamed", "enabled": False}, headers=admin_headers
    )
    assert response.status_code == 200
    after = response.get_json()
    assert after["name"] == "Renamed"
    assert after["enabled"] is False
    unchanged = {k: v for k, v in before.items() if k not in ("name", "enabled", "updated_at")}
    assert {k: after[k] for k in unchanged} == unchanged
    assert after["updated_at"] > before["updated_at"]
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "Renamed"


def test_change_replaces_lists_whole(client, admin_headers, site):
    rules = [{"match": "/account*", "phase": "loyalty"}]
    payload = {"phase_rules": rules, "allowed_origins": ["*"]}
    body = client.patch(f"{SITES}/{site.key}", json=payload, headers=admin_headers).get_json()
    assert body["phase_rules"] == rules
    assert body["allowed_origins"] == ["*"]


def test_change_merges_widget_settings_and_null_resets_one(client, admin_headers, make_site):
    site = make_site(widget={"metric": "nps", "color": "#123456", "cooldown_days": 7})
    payload = {"widget": {"label": "Help us", "color": None, "cooldown_days": None}}
    body = client.patch(f"{SITES}/{site.key}", json=payload, headers=admin_headers).get_json()
    assert body["widget"] == DEFAULT_WIDGET | {"metric": "nps", "label": "Help us"}
    db.session.expire_all()
    stored = db.session.get(Site, site.id).widget
    assert stored == {
        "metric": "nps",
        "questions": {},
        "cooldown_days": 30,
        "label": "Help us",
        "triggers": [],
        "sampling": 1.0,
    }


def test_empty_change_leaves_the_site_alone(client, admin_headers, site):
    before = client.get(f"{SITES}/{site.key}", headers=admin_headers).get_json()
    after = client.patch(f"{SITES}/{site.key}", json={}, headers=admin_headers).get_json()
    assert after == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"allowed_origins": []}, "allowed_origins"),
        ({"phase_rules": [{"match": "/a", "phase": "nowhere"}]}, "phase_rules.0.phase"),
        ({"widget": {"position": "middle"}}, "widget.position"),
        ({"enabled": "false"}, "enabled"),
        ({"key": "pk_another_key_entirely"}, "key"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
    ],
)
def test_change_refuses_bad_settings(client, admin_headers, site, payload, field):
    response = client.patch(f"{SITES}/{site.key}", json=payload, headers=admin_headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "Shop"


def test_delete_removes_the_site_its_responses_and_its_tokens(client, make_site, make_token):
    doomed, kept = make_site(name="Doomed"), make_site(name="Kept")
    add_response(doomed)
    add_response(doomed, score=1)
    add_response(kept)
    make_token(site=doomed, name="doomed-reader", read_only=True)
    make_token(site=kept, name="kept-reader", read_only=True)
    headers = make_token()
    response = client.delete(f"{SITES}/{doomed.key}", headers=headers)
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(f"{SITES}/{doomed.key}", headers=headers).status_code == 404
    assert count(Site) == 1
    assert count(Response) == 1
    assert count(Response, Response.site_id == kept.id) == 1
    names = db.session.scalars(select(AdminToken.name).order_by(AdminToken.id)).all()
    assert names == ["kept-reader", "test"]


def test_a_deleted_sites_id_and_its_tokens_ids_are_never_handed_out_again(
    client, make_site, make_token
):
    headers = make_token()
    doomed = make_site(name="Doomed")
    make_token(site=doomed, name="doomed-reader")
    old_site, old_token = doomed.id, db.session.scalar(select(func.max(AdminToken.id)))
    assert client.delete(f"{SITES}/{doomed.key}", headers=headers).status_code == 204
    # A stale cached site or a session cookie naming the old ids must not find new rows.
    assert make_site(name="Next").id > old_site
    make_token(name="next")
    assert db.session.scalar(select(func.max(AdminToken.id))) > old_token


def test_admin_answers_carry_no_cors_headers(client, admin_headers, site):
    headers = {**admin_headers, "Origin": "https://shop.example"}
    response = client.get(f"{SITES}/{site.key}", headers=headers)
    assert response.status_code == 200
    assert not [name for name, _ in response.headers if name.startswith("Access-Control")]
