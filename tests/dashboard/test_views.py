"""The admin dashboard over HTTP: sessions, CSRF, access rules, settings and the phase tester."""

import json
import re
import time
from datetime import UTC, datetime, timedelta

import flask
import pytest
from babel.numbers import format_decimal
from dashboard_session import CSRF_FIELD, csrf_token, secret_of, settings_form, sign_in

from server.auth.tokens import revoke_token
from server.dashboard.sessions import EXPIRES_KEY
from server.extensions import db
from server.insight.themes import comment_mask
from server.models import AdminToken, Site


def test_pages_need_a_session(client, site):
    for path in ("/admin/", f"/admin/sites/{site.key}", f"/admin/sites/{site.key}/settings"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/admin/sign-in?next=")


def test_sign_in_gives_a_strict_http_only_session(client, admin_headers):
    response = sign_in(client, secret_of(admin_headers))
    assert response.status_code == 302
    assert response.location == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Expires=" in cookie
    assert "Secure" not in cookie
    assert secret_of(admin_headers) not in cookie
    assert client.get("/admin/").status_code == 200


def test_session_cookie_is_secure_over_https(app, admin_headers):
    client = app.test_client()
    page = client.get("/admin/sign-in", base_url="https://localhost")
    token = CSRF_FIELD.search(page.get_data(as_text=True)).group(1)
    response = client.post(
        "/admin/sign-in",
        data={"token": secret_of(admin_headers), "csrf_token": token},
        base_url="https://localhost",
        headers={"Referer": "https://localhost/admin/sign-in"},
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/admin/sites", "/administer"])
def test_only_dashboard_paths_open_the_session(app, signed_in, path):
    cookie = {"Cookie": f"session={signed_in.get_cookie('session').value}"}
    with app.test_request_context(path, headers=cookie):
        opened = app.session_interface.open_session(app, flask.request)
    assert app.session_interface.is_null_session(opened)
    with app.test_request_context("/admin/", headers=cookie):
        opened = app.session_interface.open_session(app, flask.request)
    assert not app.session_interface.is_null_session(opened)
    assert isinstance(opened.get(EXPIRES_KEY), int)


def test_api_answers_set_no_session_cookie(signed_in, admin_headers, site):
    signed_in.get("/admin/language/nl")
    response = signed_in.get("/api/v1/admin/sites", headers=admin_headers)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_request_that_changes_nothing_does_not_resend_the_session(signed_in, site):
    # A page or file loading beside a form post would otherwise write back the session it
    # read, over the one the post just set, and the post's flash message would be lost.
    for path in ("/admin/", f"/admin/sites/{site.key}/alerts", "/admin/static/admin.css"):
        with signed_in.get(path) as answer:
            assert answer.status_code == 200 and "Set-Cookie" not in answer.headers, path
    # A request that does change it still sends it.
    assert "Set-Cookie" in signed_in.get("/admin/language/nl").headers


@pytest.mark.parametrize("secret", ["", "tp_not-a-real-token", "not even the prefix"])
def test_a_bad_token_does_not_sign_in(client, secret):
    response = sign_in(client, secret)
    assert response.status_code in (401, 422)
    assert client.get("/admin/").status_code == 302


def test_a_refused_token_is_told_so(client):
    response = sign_in(client, "tp_" + "x" * 43)
    assert response.status_code == 401
    assert "not valid or has been revoked" in response.get_data(as_text=True)


def test_sign_in_returns_to_the_page_asked_for(client, site, admin_headers):
    token = csrf_token(client)
    response = client.post(
        f"/admin/sign-in?next=/admin/sites/{site.key}",
        data={"token": secret_of(admin_headers), "csrf_token": token},
    )
    assert response.location == f"/admin/sites/{site.key}"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/admin/", "/admin//evil.example", "/api/"]
)
def test_sign_in_never_redirects_away(client, admin_headers, target):
    token = csrf_token(client)
    response = client.post(
        "/admin/sign-in",
        query_string={"next": target},
        data={"token": secret_of(admin_headers), "csrf_token": token},
    )
    assert response.location == "/admin/"


def test_a_form_without_the_csrf_token_is_refused(client, admin_headers):
    response = client.post("/admin/sign-in", data={"token": secret_of(admin_headers)})
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert client.get("/admin/").status_code == 302


def test_settings_without_the_csrf_token_are_refused(signed_in, site):
    response = signed_in.post(f"/admin/sites/{site.key}/settings", data={"name": "Changed"})
    assert response.status_code == 400
    assert db.session.get(Site, site.id).name == "Shop"


def test_sign_out_ends_the_session(signed_in):
    response = signed_in.post(
        "/admin/sign-out", data={"csrf_token": csrf_token(signed_in, "/admin/")}
    )
    assert response.status_code == 302
    assert signed_in.get("/admin/").status_code == 302


def test_sign_out_needs_the_csrf_token(signed_in):
    assert signed_in.post("/admin/sign-out").status_code == 400
    assert signed_in.get("/admin/").status_code == 200


def test_a_revoked_token_ends_the_session(signed_in):
    token = db.session.scalars(db.select(AdminToken)).one()
    revoke_token(token.id)
    assert signed_in.get("/admin/").status_code == 302


def test_an_expired_session_is_signed_out(signed_in):
    with signed_in.session_transaction("/admin/") as session:
        session[EXPIRES_KEY] = int(time.time()) - 1
    assert signed_in.get("/admin/").status_code == 302


def test_site_list_shows_what_the_token_may_see(client, make_site, make_token):
    mine = make_site(name="Mine")
    make_site(name="Theirs")
    sign_in(client, secret_of(make_token(site=mine)))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Mine" in page
    assert "Theirs" not in page


def test_a_scoped_token_cannot_open_another_site(client, make_site, make_token):
    mine, theirs = make_site(name="Mine"), make_site(name="Theirs")
    sign_in(client, secret_of(make_token(site=mine)))
    for path in (f"/admin/sites/{theirs.key}", f"/admin/sites/{theirs.key}/settings"):
        response = client.get(path)
        assert response.status_code == 404
        assert "text/html" in response.content_type
    assert client.get(f"/admin/sites/{mine.key}").status_code == 200


def test_a_read_only_token_sees_settings_but_cannot_change_them(client, site, make_token):
    sign_in(client, secret_of(make_token(read_only=True)))
    page = client.get(f"/admin/sites/{site.key}/settings")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "fieldset" in html and "disabled" in html
    assert "Save settings" not in html
    response = client.post(
        f"/admin/sites/{site.key}/settings",
        data={"csrf_token": CSRF_FIELD.search(html).group(1), "name": "Changed"},
    )
    assert response.status_code == 403
    assert db.session.get(Site, site.id).name == "Shop"


def test_settings_are_saved(signed_in, site):
    form = settings_form(
        signed_in,
        site,
        name="Shop NL",
        allowed_origins="https://shop.example\nhttps://winkel.example",
        keep_query_params="utm_source, q",
        color="#0a7",
        position="left",
        label="Feedback?",
        cooldown_days="7",
        **{
            "phase_rules-2-match": "/account*",
            "phase_rules-2-phase": "loyalty",
            "questions-nl-csat": "Hoe tevreden ben je?",
        },
    )
    form.pop("enabled")
    response = signed_in.post(f"/admin/sites/{site.key}/settings", data=form)
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Site, site.id)
    assert saved.name == "Shop NL"
    assert saved.enabled is False
    assert saved.allowed_origins == ["https://shop.example", "https://winkel.example"]
    assert saved.keep_query_params == ["utm_source", "q"]
    assert saved.phase_rules[-1] == {"match": "/account*", "phase": "loyalty"}
    assert len(saved.phase_rules) == 3
    assert saved.widget["color"] == "#0a7"
    assert saved.widget["position"] == "left"
    assert saved.widget["cooldown_days"] == 7
    assert saved.widget["questions"] == {"nl": {"csat": "Hoe tevreden ben je?"}}
    assert "Settings saved." in signed_in.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"allowed_origins": "shop.example/path"}, "allowed_origins.0"),
        ({"name": ""}, "name"),
        ({"color": "blue"}, "widget.color"),
        ({"cooldown_days": "soon"}, "widget.cooldown_days"),
        ({"phase_rules-0-match": "checkout"}, "phase_rules.0.match"),
        ({"phase_rules-0-phase": ""}, "phase_rules.0.phase"),
    ],
)
def test_invalid_settings_are_refused_by_the_api_schema(signed_in, site, changes, field):
    response = signed_in.post(
        f"/admin/sites/{site.key}/settings", data=settings_form(signed_in, site, **changes)
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="error-{field.split(".")[0]}' in html or f'id="error-{field}' in html
    db.session.expire_all()
    assert db.session.get(Site, site.id).name == "Shop"


def phase_answer(client, site, text: str):
    """Return the settings page's phase tester answer for `text` (status, its text)."""
    response = client.get(f"/admin/sites/{site.key}/settings", query_string={"test": text})
    found = re.search(r'<div id="tester-result" role="status">(.*?)</div>', response.text, re.S)
    return response.status_code, re.sub(r"<[^>]+>", "", found.group(1)).strip()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/checkout", "Path /checkout: phase Conversion, set by rule 2 (/checkout*)."),
        (
            "https://shop.example/checkout/pay/3?x=1#top",
            "Path /checkout/pay/3: phase Conversion, set by rule 2 (/checkout*).",
        ),
        ("  /blog/post  ", "Path /blog/post: phase Awareness, set by rule 1 (/blog*)."),
        ("/account", "Path /account: no rule fits, so the phase stays unknown."),
    ],
)
def test_phase_tester_takes_a_path_or_a_url_and_names_the_rule(signed_in, site, text, answer):
    assert phase_answer(signed_in, site, text) == (200, answer)


def test_phase_tester_uses_the_saved_rules(signed_in, site):
    text = "https://shop.example/account/orders"
    assert "no rule fits" in phase_answer(signed_in, site, text)[1]
    rules = [*site.phase_rules, {"match": "/account/*", "phase": "loyalty"}]
    form = settings_form(signed_in, site)
    form |= {"phase_rules-2-match": "/account/*", "phase_rules-2-phase": "loyalty"}
    assert signed_in.post(f"/admin/sites/{site.key}/settings", data=form).status_code == 302
    assert db.session.get(Site, site.id).phase_rules == rules
    assert phase_answer(signed_in, site, text)[1] == (
        "Path /account/orders: phase Loyalty, set by rule 3 (/account/*)."
    )


@pytest.mark.parametrize("text", ["not a url", "ftp://shop.example/", "//evil.example/x"])
def test_phase_tester_names_what_is_wrong(signed_in, site, text):
    assert phase_answer(signed_in, site, text) == (
        200,
        "Give a path like /checkout/pay or a full http or https URL.",
    )


def test_the_phase_tester_is_not_part_of_the_settings_form(signed_in, site):
    page = signed_in.get(f"/admin/sites/{site.key}/settings").text
    settings = re.search(
        r'<form method="post" class="settings" id="settings-form">.*?</form>', page, re.S
    )
    assert 'name="test"' not in settings.group(0)
    assert 'id="tester-url" name="test" type="text"' in page


def test_pages_carry_a_strict_content_security_policy(signed_in, site):
    for path in ("/admin/", f"/admin/sites/{site.key}", "/admin/no-such-page"):
        response = signed_in.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["Cache-Control"] == "no-store"


def test_error_pages_are_html(signed_in):
    response = signed_in.get("/admin/no-such-page")
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    assert "<h1>404 Not Found</h1>" in response.get_data(as_text=True)


def test_the_api_keeps_its_json_errors(client):
    response = client.get("/api/v1/admin/sites")
    assert response.status_code == 401
    assert response.get_json()["code"] == 401


def test_language_follows_accept_language(client):
    page = client.get("/admin/sign-in", headers={"Accept-Language": "nl-NL,nl;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Aanmelden" in html


def test_language_switch_wins_over_accept_language(client):
    response = client.get("/admin/language/nl?next=/admin/sign-in")
    assert response.location == "/admin/sign-in"
    html = client.get("/admin/sign-in", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Beheertoken" in html


def test_site_page_numbers_match_the_stats_api(signed_in, site, make_response, admin_headers):
    now = datetime.now(UTC)
    for score, path, phase in [
        (5, "/checkout", "conversion"),
        (2, "/checkout", "conversion"),
        (4, "/blog/a", "awareness"),
        (5, "/blog/a", "awareness"),
        (1, "/", None),
    ]:
        make_response(
            site, "csat", score, page_path=path, phase=phase, received_at=now - timedelta(hours=1)
        )
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/stats?metric=csat&group_by=phase", headers=admin_headers
    ).get_json()
    html = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    headline = re.search(r'data-metric="csat".*?data-score>([^<]+)<', html, re.S).group(1)
    assert float(headline) == api["overall"]["score"]
    for group in api["groups"]:
        if group["key"] == "unknown":
            continue
        row = re.search(
            rf'data-phase="{group["key"]}".*?data-score>([^<]+)<.*?data-count>(\d+)<', html, re.S
        )
        assert float(row.group(1)) == group["score"]
        assert int(row.group(2)) == group["count"]


HOSTILE_COMMENTS = [
    "<script>document.title='owned'</script>",
    "<img src=x onerror=alert(1)>",
    'Fine "quoted" & <b>bold</b>',
]


def test_comments_are_shown_as_text(signed_in, site, make_response):
    for comment in HOSTILE_COMMENTS:
        make_response(site, "csat", 1, comment=comment)
    html = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    assert "<script>document" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;document.title=&#39;owned&#39;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_each_comment_shows_its_themes_with_the_words_behind_them(signed_in, site, make_response):
    comment = "De app is zo sloom & niemand neemt op <b>ooit</b>"
    make_response(site, "csat", 1, comment=comment, themes=comment_mask(comment))
    html = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    tags = re.findall(r'<span class="tag theme-tag" tabindex="0" data-theme="(\w+)">', html)
    assert tags == ["speed", "waiting", "human_contact"]
    assert '<span class="evidence" role="tooltip">“app is zo sloom”</span>' in html
    # The evidence is the comment's own text, escaped like the comment.
    assert "niemand neemt op &lt;b&gt;ooit&lt;/b&gt;" in html


def test_comments_page_newest_first_and_filter(signed_in, site, make_response):
    now = datetime.now(UTC)
    for minute in range(45):
        make_response(
            site,
            "csat",
            1 + minute % 5,
            comment=f"comment number {minute:02d}",
            received_at=now - timedelta(minutes=minute),
        )
    make_response(site, "csat", 5, comment=None)
    first = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    shown = re.findall(r"comment number (\d\d)", first)
    assert shown == [f"{minute:02d}" for minute in range(20)]
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = signed_in.get(next_link).get_data(as_text=True)
    assert re.findall(r"comment number (\d\d)", second)[0] == "20"
    filtered = signed_in.get(
        f"/admin/sites/{site.key}?metric=csat&min_score=5&q=NUMBER 1"
    ).get_data(as_text=True)
    assert re.findall(r"comment number (\d\d)", filtered) == ["14", "19"]


def test_bad_filters_are_named_on_the_page(signed_in, site):
    response = signed_in.get(f"/admin/sites/{site.key}?from=yesterday&min_score=99")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "from:" in html and "min_score:" in html


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("csv", "text/csv"), ("ndjson", "application/x-ndjson")]
)
def test_export_buttons_download_the_api_export(
    signed_in, site, make_response, admin_headers, fmt, content_type
):
    make_response(site, "csat", 5, comment="=1+1", page_path="/checkout", phase="conversion")
    make_response(site, "csat", 2, comment="slow", page_path="/blog/a", phase="awareness")
    window = "from=2020-01-01&to=2100-01-01"
    page = signed_in.get(f"/admin/sites/{site.key}?metric=csat&phase=conversion&{window}")
    link = re.search(rf'href="([^"]+format={fmt}[^"]*)"', page.get_data(as_text=True))
    url = link.group(1).replace("&amp;", "&")
    download = signed_in.get(url)
    assert download.status_code == 200
    assert download.content_type.startswith(content_type)
    assert "attachment" in download.headers["Content-Disposition"]
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/export?format={fmt}&metric=csat&phase=conversion&{window}",
        headers=admin_headers,
    )
    assert download.get_data() == api.get_data()
    assert b"slow" not in download.get_data()


def test_export_keeps_the_window_the_page_shows(signed_in, site, make_response):
    make_response(site, "csat", 4, received_at=datetime.now(UTC) - timedelta(days=45))
    make_response(site, "csat", 5, received_at=datetime.now(UTC) - timedelta(days=1))
    page = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    url = re.search(r'href="([^"]+format=ndjson[^"]*)"', page).group(1).replace("&amp;", "&")
    lines = signed_in.get(url).get_data(as_text=True).splitlines()
    assert [json.loads(line)["score"] for line in lines] == [5]


def test_export_needs_a_session(client, site):
    assert client.get(f"/admin/sites/{site.key}/export").status_code == 302


def test_moments_of_truth_show_despair_first_with_comments(
    signed_in, site, make_response, admin_headers
):
    when = datetime.now(UTC) - timedelta(hours=2)
    for index in range(200):
        make_response(site, "csat", 3 + index % 2, page_path=f"/p/{index % 10}", received_at=when)
    for index in range(40):
        make_response(
            site,
            "csat",
            1,
            page_path="/checkout/pay",
            received_at=when,
            comment=f"<b>Payment</b> failed {index}",
        )
    for _ in range(70):
        make_response(site, "csat", 5, page_path="/thanks", received_at=when)
    api = signed_in.get(
        f"/api/v1/admin/sites/{site.key}/moments?metric=csat", headers=admin_headers
    ).get_json()
    assert [moment["key"] for moment in api["moments"]][:2] == ["/thanks", "/checkout/pay"]
    html = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    shown = re.findall(r'data-moment="([^"]+)"', html)
    assert shown[:2] == ["/checkout/pay", "/thanks"]
    despair = next(moment for moment in api["moments"] if moment["key"] == "/checkout/pay")
    block = html[html.index('data-moment="/checkout/pay"') :]
    score, rest = (format_decimal(despair[name], locale="en") for name in ("score", "rest_score"))
    assert f"{despair['count']} responses · score {score} vs {rest}" in block
    assert "&lt;b&gt;Payment&lt;/b&gt; failed 39" in block


def test_themes_per_phase_match_the_stats_api(signed_in, site, make_response, admin_headers):
    when = datetime.now(UTC) - timedelta(hours=3)
    for comment, phase in [
        ("The checkout is so slow", "conversion"),
        ("Traag en ik kon de knop niet vinden", "conversion"),
        ("Returning the shoes is complicated", "loyalty"),
        ("Great", "awareness"),
    ]:
        response = make_response(site, "csat", 2, comment=comment, phase=phase, received_at=when)
        response.themes = comment_mask(comment)
    db.session.commit()
    html = signed_in.get(f"/admin/sites/{site.key}?metric=csat").get_data(as_text=True)
    for phase in ("conversion", "loyalty", "awareness"):
        api = signed_in.get(
            f"/api/v1/admin/sites/{site.key}/stats?metric=csat&group_by=theme&phase={phase}",
            headers=admin_headers,
        ).get_json()
        column = ["awareness", "consideration", "conversion", "loyalty", "advocacy"].index(phase)
        for group in api["groups"]:
            row = re.search(rf'data-theme="{group["key"]}">(.*?)</tr>', html, re.S).group(1)
            assert re.findall(r'data-count="(\d+)"', row)[column] == str(group["count"])
    speed = re.search(r'data-theme="speed">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'data-count="(\d+)"', speed) == ["0", "0", "2", "0", "0", "0"]


def test_refused_sign_ins_are_rate_limited_but_good_ones_are_not(client, admin_headers):
    for _ in range(10):
        assert sign_in(client, secret_of(admin_headers)).status_code == 302
    for _ in range(10):
        assert sign_in(client, "tp_" + "y" * 43).status_code == 401
    refused = sign_in(client, "tp_" + "y" * 43)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert "Too many attempts" in refused.get_data(as_text=True)
    assert sign_in(client, secret_of(admin_headers)).status_code == 429
    other = sign_in(client, "tp_" + "y" * 43, environ_overrides={"REMOTE_ADDR": "198.51.100.9"})
    assert other.status_code == 401


def test_the_settings_page_lists_refused_origins_most_frequent_first(client, site, make_token):
    for origin in ("https://copy.example", "https://other.example", "https://other.example"):
        client.post(
            f"/api/v1/sites/{site.key}/responses",
            data="{}",
            headers={"Origin": origin, "Content-Type": "text/plain"},
        )
    sign_in(client, secret_of(make_token(site=site, read_only=True)))
    html = client.get(f"/admin/sites/{site.key}/settings").get_data(as_text=True)
    section = html[html.index('id="refused-origins"') :]
    rows = re.findall(r"<code>([^<]*)</code></th><td>(\d+)</td>", section)
    assert rows == [("https://other.example", "2"), ("https://copy.example", "1")]


def test_the_settings_page_says_when_no_origin_was_refused(signed_in, site):
    html = signed_in.get(f"/admin/sites/{site.key}/settings").get_data(as_text=True)
    assert "No page on another origin has tried to send feedback." in html


def test_the_settings_page_hands_out_the_per_site_snippet(app, signed_in, site):
    html = signed_in.get(f"/admin/sites/{site.key}/settings").get_data(as_text=True)
    assert f"&lt;script src=&#34;http://localhost/w/{site.key}.js&#34; defer&gt;" in html
    app.config["TOUCHPOINT_PUBLIC_URL"] = "https://feedback.example"
    html = signed_in.get(f"/admin/sites/{site.key}/settings").get_data(as_text=True)
    assert f"https://feedback.example/w/{site.key}.js" in html
