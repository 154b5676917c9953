"""Crafted and mangled dashboard forms: refused with the form's errors, nothing stored changed.

SPEC: a form posted with fields missing, repeated or mangled, or with a body no dashboard
form sends (multipart, files, JSON), is refused (400, or 422 with the form's errors) and
changes nothing stored; never a server error. Every POST route of the dashboard is taken
from the URL map, so a new form must say here how it is posted to be covered.
"""

import io
import re
from html import unescape as html_unescape

import pytest
from dashboard_session import csrf_token, dashboard_routes, secret_of

from server.alerts.rules import create_rule
from server.auth.tokens import create_token
from server.extensions import db
from server.models import AdminToken, Response, Site
from server.schemas.sites import SiteSchema

FORMS = dashboard_routes("POST")
ALERTS = "/admin/sites/<site_key>/alerts"
ALERT_RULE = "<int(max=2147483647):rule_id>"


def stored(site) -> dict:
    """Return a site's settings as the admin API shows them, read afresh from the database."""
    db.session.expire_all()
    return SiteSchema().dump(db.session.get(Site, site.id))


def instance() -> tuple:
    """Return what the instance-wide forms change: the sites and the tokens, live or not."""
    db.session.expire_all()
    sites = db.session.scalars(db.select(Site.key).order_by(Site.id)).all()
    tokens = db.session.execute(db.select(AdminToken.id, AdminToken.revoked_at)).all()
    return sites, sorted(tokens)


def page_form(client, path: str, marker: str) -> dict:
    """Return every field of the page's form whose tag holds `marker`, as a browser posts it."""
    page = client.get(path).get_data(as_text=True)
    page = re.search(rf"<form[^>]*{re.escape(marker)}.*?</form>", page, re.S)[0]
    form = {}
    for tag in re.findall(r"<(?:input|textarea|select)\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or ('type="checkbox"' in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        form[name[1]] = html_unescape(value[1]) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page):
        form[name] = html_unescape(text).removeprefix("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        form[name] = chosen[1] if chosen else ""
    return form


@pytest.fixture
def ruled_site(make_site):
    """Return a site with two phase rules and a question of its own."""
    return make_site(
        phase_rules=[
            {"match": "/blog*", "phase": "awareness"},
            {"match": "/checkout*", "phase": "conversion"},
        ],
        widget={"questions": {"nl": {"csat": "Hoe was het?"}}},
    )


def full_settings_form(client, site) -> dict:
    """Return every field of the settings form as the browser posts it, unchanged."""
    return page_form(client, f"/admin/sites/{site.key}/settings", 'id="settings-form"')


def test_the_full_form_posted_back_changes_nothing(signed_in, ruled_site):
    before = stored(ruled_site)
    form = full_settings_form(signed_in, ruled_site)
    response = signed_in.post(f"/admin/sites/{ruled_site.key}/settings", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert {**stored(ruled_site), "updated_at": None} == {**before, "updated_at": None}


def mangled_forms() -> list:
    """Return (id, how to mangle the posted settings form) pairs."""

    def without(name):
        return lambda form: {key: value for key, value in form.items() if key != name}

    def changed(**fields):
        return lambda form: {**form, **fields}

    cases = [
        ("rule-phase-without-match", without("phase_rules-0-match")),
        ("rule-match-without-phase", without("phase_rules-0-phase")),
        ("new-rule-phase-only", changed(**{"phase_rules-7-phase": "loyalty"})),
        ("new-rule-match-only", changed(**{"phase_rules-7-match": "/x"})),
        ("rule-index-huge", changed(**{f"phase_rules-{10**30}-match": "/x"})),
        ("rule-nul", changed(**{"phase_rules-0-match": "/a\x00"})),
        ("rule-huge", changed(**{"phase_rules-0-match": "/" + "*a" * 5000})),
        ("question-nul", changed(**{"questions-nl-csat": "a\x00b"})),
        ("cooldown-huge", changed(cooldown_days="9" * 5000)),
        ("cooldown-float", changed(cooldown_days="1e309")),
        ("metric-mangled", changed(metric="stars")),
        ("name-huge", changed(name="x" * 100_000)),
        ("origins-nul", changed(allowed_origins="https://shop.example\x00")),
    ]
    for name in (
        "name",
        "allowed_origins",
        "keep_query_params",
        "metric",
        "color",
        "position",
        "label",
        "cooldown_days",
        "questions-nl-csat",
    ):
        cases.append((f"missing-{name}", without(name)))
    return [pytest.param(mangle, id=case) for case, mangle in cases]


@pytest.mark.parametrize("mangle", mangled_forms())
def test_a_mangled_settings_form_is_a_form_error_and_changes_nothing(signed_in, ruled_site, mangle):
    before = stored(ruled_site)
    form = mangle(full_settings_form(signed_in, ruled_site))
    response = signed_in.post(f"/admin/sites/{ruled_site.key}/settings", data=form)
    assert response.status_code == 422, response.get_data(as_text=True)[:3000]
    assert 'role="alert"' in response.get_data(as_text=True)
    assert stored(ruled_site) == before


@pytest.mark.parametrize(
    "extra",
    [
        {"phase_rules-x-match": "/x", "phase_rules--1-phase": "loyalty"},
        {"questions-xx-csat": "Hi", "questions-nl-stars": "Hi", "widget": "{}"},
        {"bogus": "1", "site_key": "pk_someone_elses_site_000", "key": "pk_x"},
    ],
    ids=["rule-index-not-a-number", "unknown-questions", "unknown-fields"],
)
def test_unknown_form_fields_are_ignored(signed_in, ruled_site, extra):
    before = stored(ruled_site)
    form = {**full_settings_form(signed_in, ruled_site), **extra}
    response = signed_in.post(f"/admin/sites/{ruled_site.key}/settings", data=form)
    assert response.status_code == 302
    assert {**stored(ruled_site), "updated_at": None} == {**before, "updated_at": None}


@pytest.mark.parametrize(
    "form",
    [
        {},
        {"token": ""},
        {"token": "tp_" + "\x00" * 43},
        "token=tp_%ED%A0%80" + "x" * 42,
        {"token": "x" * 100_000},
        {"token": ["tp_a", "tp_b"]},
    ],
    ids=["missing", "empty", "nul", "lone-surrogate", "huge", "twice"],
)
def test_a_mangled_sign_in_is_refused_without_failing(client, form):
    token = csrf_token(client)
    if isinstance(form, str):
        # A raw body: the test client cannot encode a lone surrogate itself.
        data, kind = f"csrf_token={token}&{form}", "application/x-www-form-urlencoded"
        response = client.post("/admin/sign-in", data=data, content_type=kind)
    else:
        response = client.post("/admin/sign-in", data={"csrf_token": token, **form})
    assert response.status_code in (401, 422), response.get_data(as_text=True)[:2000]
    assert client.get("/admin/").status_code == 302


@pytest.fixture
def poster(client, admin_headers, ruled_site):
    """Return, per dashboard form, a way to post it and to see what it changed.

    `post(route, fields, **options)` posts to the route (the test site's, for a site's form);
    `fields(route)` is the form as a browser posts it unchanged; `state()` is everything a
    form could change: the stored site and whether the client is signed in.
    """
    secret = secret_of(admin_headers)
    response = Response(site=ruled_site, metric="csat", score=2, comment="Slow", page_path="/")
    response.page_url = "https://shop.example/"
    db.session.add(response)
    db.session.commit()
    inbox = f"/admin/sites/{ruled_site.key}/inbox"

    victim = create_token("victim")[0]

    rule = create_rule(
        ruled_site, name="Hook", on="response", channel="webhook", target="https://hooks.example/x"
    )
    rule_path = f"{ALERTS}/{ALERT_RULE}"

    def url(route):
        route = route.replace("<int:response_id>", str(response.id))
        route = route.replace("<int:token_id>", str(victim.id))
        route = route.replace(ALERT_RULE, str(rule.id))
        return route.replace("<site_key>", ruled_site.key)

    def rule_form(visitor) -> dict:
        return {"csrf_token": csrf_token(visitor, "/admin/"), "name": "Hook", "enabled": "y"}

    def signed_in_client():
        signed = client.application.test_client()
        signed.post("/admin/sign-in", data={"token": secret, "csrf_token": csrf_token(signed)})
        return signed

    clients = {"/admin/sign-in": client.application.test_client()}
    builders = {
        "/admin/sign-in": lambda visitor: {"token": secret, "csrf_token": csrf_token(visitor)},
        "/admin/sign-out": lambda visitor: {"csrf_token": csrf_token(visitor)},
        "/admin/sites/<site_key>/settings": lambda visitor: full_settings_form(visitor, ruled_site),
        # `ids` is left out: it holds many values (the ticked comments), so repeating it is
        # no mistake; a bulk call with none ticked changes nothing.
        "/admin/sites/<site_key>/inbox/triage": lambda visitor: {
            "csrf_token": csrf_token(visitor, inbox),
            "status": "read",
            "next": inbox,
        },
        "/admin/sites/<site_key>/inbox/<int:response_id>/note": lambda visitor: {
            "csrf_token": csrf_token(visitor, inbox),
            "note": "Called back",
            "next": inbox,
        },
        "/admin/sites/new": lambda visitor: {
            **page_form(visitor, "/admin/sites/new", 'action="/admin/sites/new"'),
            "name": "Another shop",
            "allowed_origins": "https://another.example",
        },
        "/admin/sites/<site_key>/allowed-origins": lambda visitor: {
            "csrf_token": csrf_token(visitor, "/admin/tokens"),
            "origin": "https://other.example",
        },
        "/admin/tokens": lambda visitor: {
            **page_form(visitor, "/admin/tokens", 'action="/admin/tokens"'),
            "name": "ci",
        },
        "/admin/tokens/<int:token_id>/revoke": lambda visitor: {
            "csrf_token": csrf_token(visitor, "/admin/tokens")
        },
        ALERTS: lambda visitor: {
            **rule_form(visitor),
            "on": "response",
            "channel": "webhook",
            "target": "https://hooks.example/y",
            "metric": "nps",
            "max_score": "6",
        },
        rule_path: rule_form,
        **{
            f"{rule_path}/{action}": lambda visitor: {"csrf_token": csrf_token(visitor, "/admin/")}
            for action in ("switch", "test", "delete")
        },
    }
    assert set(builders) == set(FORMS), "say how each dashboard form is posted"

    class Poster:
        def visitor(self, route):
            if route not in clients:
                clients[route] = signed_in_client()
            return clients[route]

        def fields(self, route) -> dict:
            return builders[route](self.visitor(route))

        def post(self, route, data=None, **options):
            return self.visitor(route).post(url(route), data=data, **options)

        def state(self, route):
            signed = self.visitor(route).get("/admin/").status_code == 200
            db.session.expire_all()
            triage = db.session.get(Response, response.id)
            return stored(ruled_site), signed, (triage.status, triage.note), instance()

    return Poster()


def assert_refused(response, codes=(400,)) -> None:
    """Check a form was refused with the dashboard's HTML page, not a failure."""
    page = response.get_data(as_text=True)
    assert response.status_code in codes, page[:2000]
    assert "text/html" in response.content_type
    assert "Traceback" not in page


def as_file(value: str, name: str = "a.txt") -> tuple:
    """Return a form value as an uploaded file, as `curl -F field=@a.txt` sends it."""
    return (io.BytesIO(value.encode()), name)


def bodies(fields: dict) -> dict:
    """Return (id, keyword arguments of `post`) for each body no dashboard form sends."""
    text_fields = [name for name in fields if name != "csrf_token"]
    first = text_fields[0] if text_fields else "token"
    return {
        "multipart": {"data": fields, "content_type": "multipart/form-data"},
        "file-for-text": {"data": {**fields, first: as_file(fields.get(first, "x"))}},
        "every-field-a-file": {
            "data": {**{name: as_file(value) for name, value in fields.items()}}
        },
        "extra-file": {"data": {**fields, "upload": as_file("x")}},
        "json": {"json": fields},
        "text": {
            "data": "&".join(f"{k}={v}" for k, v in fields.items()),
            "content_type": "text/plain",
        },
    }


@pytest.mark.parametrize("route", FORMS)
@pytest.mark.parametrize(
    "body", ["multipart", "file-for-text", "every-field-a-file", "extra-file", "json", "text"]
)
def test_a_form_body_no_dashboard_form_sends_is_refused(poster, route, body):
    fields = poster.fields(route)
    before = poster.state(route)
    assert_refused(poster.post(route, **bodies(fields)[body]))
    assert poster.state(route) == before


def test_the_testers_file_uploads_are_refused(poster):
    """`curl -F name=@a.txt …/settings` and `curl -F token=@t.txt /admin/sign-in` were 500s."""
    for route, name in [("/admin/sites/<site_key>/settings", "name"), ("/admin/sign-in", "token")]:
        fields = poster.fields(route)
        before = poster.state(route)
        assert_refused(poster.post(route, {**fields, name: as_file(fields[name])}))
        assert poster.state(route) == before


@pytest.mark.parametrize("route", FORMS)
def test_a_field_sent_twice_is_a_form_error(poster, route):
    fields = poster.fields(route)
    for name in [name for name in fields if name != "csrf_token"]:
        fields = poster.fields(route)
        before = poster.state(route)
        response = poster.post(route, {**fields, name: [fields[name], fields[name] + "2"]})
        assert_refused(response, codes=(422,))
        assert "more than once" in response.get_data(as_text=True), name
        assert poster.state(route) == before, name


@pytest.mark.parametrize("route", FORMS)
def test_every_form_still_works_as_a_browser_posts_it(poster, route):
    """The refusals above are not a form refusing everything."""
    response = poster.post(route, poster.fields(route))
    # A new token's page shows its secret once, so it is an answer, not a redirect.
    created = 201 if route == "/admin/tokens" else 302
    assert response.status_code == created, response.get_data(as_text=True)[:2000]
