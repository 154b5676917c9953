"""The dashboard's first hour: add a site, its install check, refused origins, tokens."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from dashboard_session import csrf_token, secret_of, sign_in
from sqlalchemy import event

from server.auth.tokens import find_token
from server.extensions import db
from server.models import AdminToken, AuditEntry, Site
from server.sites.refused_origins import count_refused_origin

SECRET = re.compile(r'<code id="new-secret">(tp_[^<]+)</code>')

#: Instance-wide forms and pages only an instance-wide read-write token may use.
INSTANCE_PAGES = ["/admin/sites/new", "/admin/tokens"]


def new_site_form(client, **changes) -> dict:
    """Return the new site form as a browser posts it, preset rules included."""
    form = {
        "csrf_token": csrf_token(client, "/admin/sites/new"),
        "name": "My shop",
        "allowed_origins": "https://My-Shop.example\nhttps://www.my-shop.example:8443",
    }
    rules = [
        ("/blog*", "awareness"),
        ("/products*", "consideration"),
        ("/cart*", "conversion"),
        ("/checkout*", "conversion"),
        ("/account*", "loyalty"),
        ("/orders*", "loyalty"),
        ("/review*", "advocacy"),
        ("/refer*", "advocacy"),
        ("", ""),
        ("", ""),
        ("", ""),
    ]
    for index, (match, phase) in enumerate(rules):
        form[f"phase_rules-{index}-match"] = match
        form[f"phase_rules-{index}-phase"] = phase
    form.update(changes)
    return form


def sites() -> list[Site]:
    """Return every site, read afresh."""
    db.session.expire_all()
    return db.session.scalars(db.select(Site).order_by(Site.id)).all()


@pytest.fixture
def narrow_client(app, make_token, site, request):
    """Return a client signed in with a read-only or a site-scoped token (by param)."""
    headers = make_token(site=site) if request.param == "site" else make_token(read_only=True)
    client = app.test_client()
    assert sign_in(client, secret_of(headers)).status_code == 302
    return client


def test_the_new_site_form_starts_from_the_shop_rules(signed_in):
    page = signed_in.get("/admin/sites/new").get_data(as_text=True)
    assert 'value="/checkout*"' in page
    assert 'value="/review*"' in page
    assert "Add a site" in signed_in.get("/admin/").get_data(as_text=True)


def test_adding_a_site_stores_it_as_the_api_would_and_shows_the_install_page(signed_in):
    before = len(sites())
    response = signed_in.post(
        "/admin/sites/new",
        data=new_site_form(
            signed_in,
            **{"phase_rules-0-match": "/journal*", "phase_rules-4-match": ""},
            **{"phase_rules-4-phase": ""},
        ),
    )
    assert response.status_code == 302
    site = sites()[-1]
    assert len(sites()) == before + 1
    assert response.location == f"/admin/sites/{site.key}/install"
    assert site.name == "My shop"
    assert site.allowed_origins == ["https://my-shop.example", "https://www.my-shop.example:8443"]
    assert site.phase_rules[0] == {"match": "/journal*", "phase": "awareness"}
    assert {"match": "/account*", "phase": "loyalty"} not in site.phase_rules
    assert len(site.phase_rules) == 7
    page = signed_in.get(response.location).get_data(as_text=True)
    snippet = html.unescape(re.search(r'<code id="snippet">(.*?)</code>', page, re.S).group(1))
    assert snippet.startswith("<script ") and site.key in snippet
    assert "Waiting for the first response" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"allowed_origins": "shop.example/path"}, "allowed_origins", "Not an origin"),
        ({"allowed_origins": ""}, "allowed_origins", "Give between 1 and 100 entries"),
        ({"allowed_origins": "*\nhttps://a.example"}, "allowed_origins", "must be the only"),
        ({"name": "   "}, "name", "One line of text"),
        ({"phase_rules-0-match": "blog"}, "phase_rules.0.match", "A glob starts with"),
        ({"phase_rules-9-match": "/x"}, "phase_rules.8.phase", "Must be one of"),
    ],
)
def test_a_bad_new_site_is_shown_with_its_errors_and_not_stored(signed_in, changes, field, message):
    before = len(sites())
    response = signed_in.post("/admin/sites/new", data=new_site_form(signed_in, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="error-{field}' in page
    assert message in page
    assert len(sites()) == before


def test_adding_a_site_needs_the_csrf_token(signed_in):
    before = len(sites())
    form = {**new_site_form(signed_in), "csrf_token": "forged"}
    assert signed_in.post("/admin/sites/new", data=form).status_code == 400
    assert len(sites()) == before


@pytest.mark.parametrize("narrow_client", ["read-only", "site"], indirect=True)
def test_narrow_tokens_may_not_add_sites_or_manage_tokens(narrow_client, admin_headers):
    assert "Add a site" not in narrow_client.get("/admin/").get_data(as_text=True)
    token = csrf_token(narrow_client, "/admin/")
    before = (len(sites()), db.session.scalar(db.select(db.func.count(AdminToken.id))))
    for path in INSTANCE_PAGES:
        assert narrow_client.get(path).status_code == 403
    posts = {
        "/admin/sites/new": {"name": "X", "allowed_origins": "https://x.example"},
        "/admin/tokens": {"name": "mine"},
        "/admin/tokens/1/revoke": {},
    }
    for path, fields in posts.items():
        assert narrow_client.post(path, data={"csrf_token": token, **fields}).status_code == 403
    assert narrow_client.get("/admin/tokens/1/revoke").status_code == 403
    assert (len(sites()), db.session.scalar(db.select(db.func.count(AdminToken.id)))) == before
    assert find_token(secret_of(admin_headers)) is not None


def test_a_new_site_gets_started_until_its_first_response(signed_in, site, make_response):
    page = signed_in.get(f"/admin/sites/{site.key}").get_data(as_text=True)
    assert "Get started" in page
    assert 'id="install-check"' in page
    make_response(site)
    page = signed_in.get(f"/admin/sites/{site.key}").get_data(as_text=True)
    assert "Get started" not in page
    assert "Customer journey" in page or "journey" in page.lower()


def test_the_install_check_turns_green_on_the_first_response(signed_in, site, make_response):
    check = f"/admin/sites/{site.key}/install-check"
    assert signed_in.get(check).get_json() == {
        "received": False,
        "first_received_at": None,
        "refused_origins": [],
    }
    first = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    make_response(site, received_at=first + timedelta(hours=1))
    make_response(site, received_at=first)
    body = signed_in.get(check).get_json()
    assert body["received"] is True
    assert body["first_received_at"] == "2026-11-02T09:30:00.000000Z"
    page = signed_in.get(f"/admin/sites/{site.key}/install").get_data(as_text=True)
    assert "Received ✓ at" in page


def test_the_install_check_needs_a_session_and_hides_other_sites(
    client, app, make_token, make_site, site
):
    assert client.get(f"/admin/sites/{site.key}/install-check").status_code == 302
    other = make_site(name="Other")
    scoped = app.test_client()
    sign_in(scoped, secret_of(make_token(site=other)))
    assert scoped.get(f"/admin/sites/{site.key}/install-check").status_code == 404
    assert scoped.get(f"/admin/sites/{site.key}/install").status_code == 404


def test_a_refused_origin_is_listed_and_allowed_in_one_click(signed_in, site):
    count_refused_origin(site.id, "https://NEW.shop.example")
    count_refused_origin(site.id, "https://new.shop.example")
    count_refused_origin(site.id, "https://scanner.example")
    check = f"/admin/sites/{site.key}/install-check"
    refused = signed_in.get(check).get_json()["refused_origins"]
    assert [(row["origin"], row["count"]) for row in refused] == [
        ("https://new.shop.example", 2),
        ("https://scanner.example", 1),
    ]
    page = signed_in.get(f"/admin/sites/{site.key}/install").get_data(as_text=True)
    assert "Allow https://new.shop.example" in page
    form = {"csrf_token": csrf_token(signed_in, "/admin/"), "origin": "https://new.shop.example"}
    response = signed_in.post(f"/admin/sites/{site.key}/allowed-origins", data=form)
    assert response.status_code == 302
    assert sites()[0].allowed_origins == ["https://shop.example", "https://new.shop.example"]
    after = signed_in.get(check).get_json()["refused_origins"]
    assert [row["origin"] for row in after] == ["https://scanner.example"]


@pytest.mark.parametrize("origin", ["javascript:alert(1)", "https://a.example/path", "*", ""])
def test_allowing_a_bad_origin_is_refused(signed_in, site, origin):
    form = {"csrf_token": csrf_token(signed_in, "/admin/"), "origin": origin}
    response = signed_in.post(f"/admin/sites/{site.key}/allowed-origins", data=form)
    assert response.status_code == 422
    assert 'role="alert"' in response.get_data(as_text=True)
    assert sites()[0].allowed_origins == ["https://shop.example"]


@pytest.mark.parametrize("narrow_client", ["read-only"], indirect=True)
def test_a_read_only_token_may_not_allow_an_origin(narrow_client, site):
    count_refused_origin(site.id, "https://new.shop.example")
    page = narrow_client.get(f"/admin/sites/{site.key}/install").get_data(as_text=True)
    assert "Allow https://new.shop.example" not in page
    form = {
        "csrf_token": csrf_token(narrow_client, "/admin/"),
        "origin": "https://new.shop.example",
    }
    response = narrow_client.post(f"/admin/sites/{site.key}/allowed-origins", data=form)
    assert response.status_code == 403
    assert sites()[0].allowed_origins == ["https://shop.example"]


def test_allowing_needs_the_csrf_token(signed_in, site):
    form = {"csrf_token": "forged", "origin": "https://new.shop.example"}
    assert signed_in.post(f"/admin/sites/{site.key}/allowed-origins", data=form).status_code == 400
    assert sites()[0].allowed_origins == ["https://shop.example"]


def response_queries(app, client) -> int:
    """Return how many statements reading the responses table the sites list runs."""
    statements = []

    def record(conn, cursor, statement, *args):
        if "responses" in statement:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get("/admin/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def test_the_sites_list_counts_recent_responses_in_one_grouped_query(
    app, signed_in, make_site, make_response
):
    now = datetime.now(UTC)
    busy = make_site(name="Busy")
    make_response(busy, received_at=now - timedelta(days=40))
    make_response(busy, received_at=now - timedelta(days=3))
    make_response(busy, received_at=now - timedelta(hours=2))
    make_site(name="Quiet")
    one = response_queries(app, signed_in)
    page = signed_in.get("/admin/").get_data(as_text=True)
    assert 'data-recent="2"' in page
    assert 'data-recent="0"' in page
    assert "No response yet" in page
    for number in range(4):
        make_response(make_site(name=f"Shop {number}"), received_at=now)
    assert response_queries(app, signed_in) == one == 1


def test_a_token_is_created_shown_once_and_works(app, signed_in, site):
    form = {
        "csrf_token": csrf_token(signed_in, "/admin/tokens"),
        "name": "Reporting script",
        "site": site.key,
        "read_only": "y",
    }
    response = signed_in.post("/admin/tokens", data=form)
    assert response.status_code == 201
    secret = SECRET.search(response.get_data(as_text=True)).group(1)
    token = find_token(secret)
    assert (token.name, token.site_id, token.read_only) == ("Reporting script", site.id, True)
    listing = signed_in.get("/admin/tokens").get_data(as_text=True)
    assert secret not in listing
    assert "Reporting script" in listing
    api = app.test_client().get(
        "/api/v1/admin/sites", headers={"Authorization": f"Bearer {secret}"}
    )
    assert [found["key"] for found in api.get_json()["sites"]] == [site.key]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "a", "site": "pk_nope"}, "site"),
    ],
)
def test_a_bad_token_form_is_shown_with_its_errors(signed_in, fields, field):
    before = db.session.scalar(db.select(db.func.count(AdminToken.id)))
    form = {"csrf_token": csrf_token(signed_in, "/admin/tokens"), "site": "", **fields}
    response = signed_in.post("/admin/tokens", data=form)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AdminToken.id))) == before


def test_revoking_asks_first_and_then_revokes(app, signed_in, make_token):
    victim_secret = secret_of(make_token(name="old laptop"))
    victim = find_token(victim_secret)
    page = signed_in.get(f"/admin/tokens/{victim.id}/revoke").get_data(as_text=True)
    assert "cannot be restored" in page
    assert find_token(victim_secret) is not None
    response = signed_in.post(
        f"/admin/tokens/{victim.id}/revoke", data={"csrf_token": csrf_token(signed_in, "/admin/")}
    )
    assert response.status_code == 302
    assert find_token(victim_secret) is None
    assert signed_in.get(f"/admin/tokens/{victim.id}/revoke").status_code == 404


def test_revoking_needs_the_csrf_token(signed_in, make_token):
    victim_secret = secret_of(make_token(name="old laptop"))
    victim = find_token(victim_secret)
    response = signed_in.post(f"/admin/tokens/{victim.id}/revoke", data={"csrf_token": "x"})
    assert response.status_code == 400
    assert find_token(victim_secret) is not None


def test_revoking_ones_own_token_signs_out(signed_in, admin_headers):
    own = find_token(secret_of(admin_headers))
    assert "you will be signed out" in signed_in.get(f"/admin/tokens/{own.id}/revoke").get_data(
        as_text=True
    )
    signed_in.post(
        f"/admin/tokens/{own.id}/revoke", data={"csrf_token": csrf_token(signed_in, "/admin/")}
    )
    assert signed_in.get("/admin/").status_code == 302


def audit_trail() -> list[tuple]:
    """Return every audit entry as (actor kind, action, site key), oldest first."""
    db.session.expire_all()
    entries = db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)).all()
    return [(entry.actor_kind, entry.action, entry.site_key) for entry in entries]


def test_the_first_hours_changes_are_audited_as_the_dashboards(signed_in, make_token):
    assert signed_in.post("/admin/sites/new", data=new_site_form(signed_in)).status_code == 302
    key = sites()[0].key
    allow = {"csrf_token": csrf_token(signed_in, "/admin/"), "origin": "https://new.example"}
    assert signed_in.post(f"/admin/sites/{key}/allowed-origins", data=allow).status_code == 302
    create = {"csrf_token": csrf_token(signed_in, "/admin/tokens"), "name": "Script", "site": ""}
    assert signed_in.post("/admin/tokens", data=create).status_code == 201
    created = db.session.scalar(db.select(AdminToken).where(AdminToken.name == "Script"))
    revoke = {"csrf_token": csrf_token(signed_in, "/admin/")}
    assert signed_in.post(f"/admin/tokens/{created.id}/revoke", data=revoke).status_code == 302
    assert audit_trail() == [
        ("dashboard", "site.create", key),
        ("dashboard", "site.update", key),
        ("dashboard", "token.create", None),
        ("dashboard", "token.revoke", None),
    ]
