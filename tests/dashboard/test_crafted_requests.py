"""Crafted query strings on every dashboard page and mangled forms: never a server error.

SPEC: no query string, however crafted, makes a dashboard page fail; unknown parameters are
ignored and bad values are shown as a form error. A form posted with fields missing or
mangled is refused with the form's errors and changes nothing stored.
"""

import re
from html import unescape as html_unescape

import pytest
from conftest import base_config
from dashboard_session import csrf_token

from server import create_app
from server.extensions import db
from server.models import Site
from server.schemas.sites import SiteSchema


def dashboard_pages() -> list[str]:
    """Return every GET route of the dashboard, from the app's URL map."""
    app = create_app(base_config("sqlite://"))
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("dashboard.") and "GET" in rule.methods
    )


PAGES = dashboard_pages()

#: A value for each route parameter, whatever page it is on.
ROUTE_VALUES = {"code": "nl", "filename": "admin.css"}

HUGE = "x" * 100_000

#: Raw query strings, as a browser or a script could send them.
CRAFTED = {
    "route-parameter": "site_key=pk_someone_elses_site_000&code=xx&filename=../../etc/passwd",
    "url-for-options": "_external=1&_scheme=javascript&_anchor=x&_method=POST",
    "duplicates": "metric=csat&metric=nps&phase=conversion&phase=bogus&from=2026-01-01&from=x",
    "arrays": "metric[]=csat&phase[0]=conversion&path[]=/a&match[]=/*&phase[]=conversion",
    "unknown": "bogus=1&utm_source=newsletter&fbclid=abc",
    "empty-names": "=x&&=&metric=",
    "nul": "path=%00&q=a%00b&url=https://shop.example/%00&match=/%00&phase=conversion&next=%00",
    "nul-names": "%00=1&metric%00=csat",
    "lone-surrogate": "q=%ED%A0%80&path=/%ED%A0%80&%ED%A0%80=x&url=https://shop.example/%ED%A0%80",
    "invalid-utf8": "q=%FF%FE&path=%C3&metric=%80",
    "bad-dates": "from=2026-13-45&to=yesterday",
    "window-backwards": "from=2026-12-01&to=2026-01-01",
    "calendar-ends": "from=0001-01-01T00:00%2B01:00&to=9999-12-31T23:59-01:00",
    "huge-values": f"q={HUGE}&path={HUGE}&cursor={HUGE}&url=https://shop.example/{HUGE}",
    "huge-numbers": "limit=99999999999999999999999&min_score=-1e309&max_score=NaN",
    "full-width-digits": "min_score=%EF%BC%91&limit=%E0%A5%A7",
    "bad-choices": "metric=stars&phase=checkout&format=xlsx&status=everything&theme=mood",
    "bad-cursor": "cursor=garbage&cursor=",
    "phase-tester": "url=javascript:alert(1)&match=/*&match=/a&phase=bogus",
    "phase-tester-rows": "url=https://shop.example/a&match=" + "&match=".join(["/*a"] * 300),
    "redirects": "next=https://evil.example/&next=//evil.example&signed_out=1",
    "html": "q=<script>alert(1)</script>&path=%22><img src=x onerror=alert(1)>",
}


def page_url(rule: str, site_key: str) -> str:
    """Fill a dashboard route's parameters: the test site's key and a value per name."""
    values = {"site_key": site_key, **ROUTE_VALUES}
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda found: values[found[1]], rule)


def assert_no_failure(client, url: str) -> None:
    """GET `url` and check the answer is no server error, no trace and no open redirect."""
    with client.get(url) as response:
        assert response.status_code < 500, (url[:300], response.get_data(as_text=True)[:2000])
        assert b"Traceback" not in response.get_data()
        assert b"<script>alert(1)" not in response.get_data()
        if response.status_code in (301, 302, 303, 307, 308):
            assert response.location.startswith("/admin/"), response.location


@pytest.mark.parametrize("page", PAGES)
def test_no_query_string_makes_a_page_fail(signed_in, site, make_response, page):
    make_response(site, "csat", 2, comment="slow", page_path="/a", phase="conversion")
    for crafted in CRAFTED.values():
        assert_no_failure(signed_in, f"{page_url(page, site.key)}?{crafted}")


def test_no_query_string_makes_a_page_fail_before_sign_in(client, site):
    for page in PAGES:
        for crafted in CRAFTED.values():
            assert_no_failure(client, f"{page_url(page, site.key)}?{crafted}")


def test_unknown_parameters_are_ignored(signed_in, site):
    plain = signed_in.get(f"/admin/sites/{site.key}")
    query = f"{CRAFTED['route-parameter']}&{CRAFTED['url-for-options']}&bogus=1"
    crafted = signed_in.get(f"/admin/sites/{site.key}?{query}")
    assert plain.status_code == crafted.status_code == 200
    # The page's own links (metrics, pages, export) carry only the parameters it reads; the
    # language links return to the very address asked for, whatever it held.
    links = re.findall(r'href="(/admin/sites/[^"]*)"', crafted.get_data(as_text=True))
    assert any("metric=" in link for link in links)
    for link in links:
        assert "site_key" not in link and "bogus" not in link and "_external" not in link


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-13-45", "from"),
        ("metric=stars", "metric"),
        ("path=%00", "path"),
        ("q=a%00b", "q"),
        ("limit=99999999999999999999999", "limit"),
        (f"q={HUGE}", "q"),
    ],
)
def test_bad_values_are_shown_as_a_form_error(signed_in, site, query, field):
    response = signed_in.get(f"/admin/sites/{site.key}?{query}")
    assert response.status_code == 422
    assert f"{field}:" in response.get_data(as_text=True)


def stored(site) -> dict:
    """Return a site's settings as the admin API shows them, read afresh from the database."""
    db.session.expire_all()
    return SiteSchema().dump(db.session.get(Site, site.id))


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
    page = client.get(f"/admin/sites/{site.key}/settings").get_data(as_text=True)
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
    assert response.status_code in (200, 401), response.get_data(as_text=True)[:2000]
    assert client.get("/admin/").status_code == 302
