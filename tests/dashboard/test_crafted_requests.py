"""Crafted query strings on every dashboard page and crafted return targets: never a failure.

SPEC: no query string, however crafted, makes a dashboard page fail; unknown parameters are
ignored and bad values are shown as a form error. A `next` target is followed only when it
is a dashboard page; anything else (another host, a path outside /admin/ once the browser
has resolved it, a value that would break the `Location` header) returns to the dashboard's
home. Crafted forms are in test_crafted_forms.py.
"""

import re
from html import unescape as html_unescape
from urllib.parse import parse_qs, quote, urljoin, urlsplit

import pytest
from dashboard_session import csrf_token, dashboard_routes, secret_of

PAGES = dashboard_routes("GET")

#: A value for each route parameter, whatever page it is on.
ROUTE_VALUES = {"code": "nl", "filename": "admin.css", "token_id": "1", "rule_id": "1"}

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
    # Found by an outside tester: a newline in the target broke the Location header (500).
    "next-newline": "next=/admin/%0a",
    "next-return": "next=/admin/%0d",
    "next-header": "next=/admin/%0d%0aX:1",
    "next-dot-segments": "next=/admin/../../x",
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
            assert_stays_in_dashboard(response.location)


def assert_stays_in_dashboard(location: str) -> None:
    """Check a redirect's target is, once the browser has resolved it, a dashboard path."""
    resolved = urlsplit(urljoin("http://localhost/admin/sites/pk_x/settings", location))
    assert resolved.netloc == "localhost", location
    assert resolved.path.startswith("/admin/"), location


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


#: `next` values that are no dashboard page: each kind of trick, as the decoded parameter.
UNSAFE_TARGETS = [
    "/admin/\n",
    "/admin/\r",
    "/admin/\r\nX:1",
    "/admin/?a=\r\nSet-Cookie:x=1",
    "/admin/\x00",
    "/admin/\t",
    "/admin/\x7f",
    "/admin/\x85",
    "/admin/\u2028",
    " /admin/",
    "/admin/ ",
    "/admin/../../x",
    "/admin/sites/../../x",
    "/admin/./",
    "/admin/sites/..",
    "/admin/%2e%2e/%2e%2e/x",
    "/admin/.%2e/x",
    "/admin/%2f%2fevil.example",
    "/admin/%5c%5cevil.example",
    "/admin/%0a",
    "/admin/\\evil.example",
    "\\evil.example/admin/",
    "/\\evil.example/admin/",
    "https://evil.example/admin/",
    "javascript:alert(1)//admin/",
    "//evil.example/admin/",
    "///evil.example/admin/",
    "/admin//evil.example",
    "/admin",
    "/administer",
    "/api/v1/health",
    "/admin/nowhere",
    "/admin/sign-out",
    "/admin/caf\u00e9",
    "/admin/?x#y",
    "/admin/#//evil.example",
    "/admin/?\\evil",
    "/admin/?q=\u00e9",
    "/admin/?" + "q=x&" * 1000,
    "",
]

#: `next` values that are dashboard pages, followed as they are.
SAFE_TARGETS = [
    "/admin/",
    "/admin/sign-in?signed_out=1",
    "/admin/sites/{key}",
    "/admin/sites/{key}/settings",
    "/admin/sites/{key}?metric=nps&path=%2Fcheckout%3Fa%3D1&q=%E2%82%AC",
]


def follows(response, target: str) -> None:
    """Check `response` redirects to `target` when it is a safe one, else to the home page."""
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.location == target


def sign_in_to(client, secret: str, target: str):
    """Post a valid sign-in with `next` set to `target` (encoded as a browser would)."""
    return client.post(
        f"/admin/sign-in?next={quote(target, safe='')}",
        data={"token": secret, "csrf_token": csrf_token(client)},
    )


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_an_unsafe_next_goes_home_after_signing_in(client, admin_headers, target):
    follows(sign_in_to(client, secret_of(admin_headers), target), "/admin/")
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("target", UNSAFE_TARGETS)
def test_an_unsafe_next_goes_home_after_switching_language(client, signed_in, target):
    for visitor in (client.application.test_client(), signed_in):
        follows(visitor.get(f"/admin/language/nl?next={quote(target, safe='')}"), "/admin/")


@pytest.mark.parametrize("target", SAFE_TARGETS)
def test_a_dashboard_next_is_followed(client, admin_headers, site, target):
    target = target.format(key=site.key)
    follows(sign_in_to(client, secret_of(admin_headers), target), target)
    follows(client.get(f"/admin/language/nl?next={quote(target, safe='')}"), target)


@pytest.mark.parametrize(
    "raw",
    ["next=/admin/%0a", "next=/admin/%0d", "next=/admin/%0d%0aX:1", "next=/admin/../../x"],
)
def test_the_testers_targets_go_home(client, admin_headers, raw):
    follows(client.get(f"/admin/language/en?{raw}"), "/admin/")
    token = csrf_token(client)
    response = client.post(
        f"/admin/sign-in?{raw}", data={"token": secret_of(admin_headers), "csrf_token": token}
    )
    follows(response, "/admin/")


@pytest.mark.parametrize(
    "path",
    ["/admin/sites/{key}?q=%0d%0aX:1", "/admin/sites/{key}?q=" + "x" * 5000, "/admin/sites/%0a"],
)
def test_the_way_back_to_a_page_is_always_a_dashboard_path(client, signed_in, site, path):
    path = path.format(key=site.key)
    for visitor in (client.application.test_client(), signed_in):
        page = visitor.get(path)
        assert page.status_code < 500
        language_links = re.findall(r'href="(/admin/language/[^"]*)"', page.get_data(as_text=True))
        assert language_links or page.status_code == 302
        for link in language_links:
            target = parse_qs(urlsplit(html_unescape(link)).query).get("next", ["/admin/"])[0]
            assert "\n" not in target and "\r" not in target and len(target) <= 2048
            assert_stays_in_dashboard(target)
        if page.status_code == 302:
            assert_stays_in_dashboard(page.location)
