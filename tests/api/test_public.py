"""The public API: submitting responses and reading a site's widget settings."""

import io
import json
import threading
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from conftest import POSTGRES_URL, base_config
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from server import create_app
from server.extensions import db
from server.models import Response

ORIGIN = "https://shop.example"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
)


def payload(**changes) -> dict:
    """Return a valid submission with `changes` applied (None removes a field)."""
    body = {
        "metric": "csat",
        "score": 4,
        "comment": "Quick checkout",
        "page": {"url": "https://shop.example/products/42", "title": "Red shoes"},
        "hp": "",
    }
    for key, value in changes.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def submit(client, site_key, body, **headers):
    """Post `body` (a dict, or raw bytes/str) to the site's responses endpoint."""
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    headers.setdefault("Content-Type", "application/json")
    return client.post(f"/api/v1/sites/{site_key}/responses", data=data, headers=headers)


def stored_rows() -> list[Response]:
    """Return every stored response, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Response).order_by(Response.id)))


def assert_error(response, status: int, *fields: str) -> None:
    """Assert the error shape, the status and that exactly `fields` failed."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == status
    assert set(body.get("errors", {})) == set(fields)


def test_stores_a_response_and_answers_201(client, site):
    response = submit(client, site.key, payload(), Origin=ORIGIN)
    assert response.status_code == 201
    body = response.get_json()
    (row,) = stored_rows()
    assert body == {"id": row.id, "duplicate": False, "phase": None}
    assert (row.metric, row.score, row.comment) == ("csat", 4, "Quick checkout")
    assert row.page_url == "https://shop.example/products/42"
    assert row.page_path == "/products/42"
    assert row.page_title == "Red shoes"


def test_accepts_a_text_plain_body(client, site):
    response = submit(client, site.key, payload(), **{"Content-Type": "text/plain;charset=UTF-8"})
    assert response.status_code == 201
    assert len(stored_rows()) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"metric": "stars"}, "metric"),
        ({"metric": None}, "metric"),
        ({"metric": 3}, "metric"),
        ({"score": 6}, "score"),
        ({"score": 0}, "score"),
        ({"metric": "nps", "score": 11}, "score"),
        ({"metric": "ces", "score": 8}, "score"),
        ({"metric": "thumbs", "score": 2}, "score"),
        ({"score": True}, "score"),
        ({"score": 4.0}, "score"),
        ({"score": 4.5}, "score"),
        ({"score": "4"}, "score"),
        ({"score": None}, "score"),
        ({"page": None}, "page"),
        ({"page": "https://shop.example/"}, "page"),
        ({"page": {"title": "No URL"}}, "page.url"),
        ({"page": {"url": "ftp://shop.example/file"}}, "page.url"),
        ({"page": {"url": "/relative/path"}}, "page.url"),
        ({"page": {"url": "javascript:alert(1)"}}, "page.url"),
        ({"page": {"url": "https://shop.example:99999/"}}, "page.url"),
        ({"page": {"url": "https://shop.example/" + "a" * 2030}}, "page.url"),
        ({"page": {"url": 42}}, "page.url"),
        ({"page": {"url": "https://shop.example/", "title": 7}}, "page.title"),
        ({"comment": "x" * 2001}, "comment"),
        ({"comment": ["not", "text"]}, "comment"),
        ({"phase": "purchase"}, "phase"),
        ({"phase": ""}, "phase"),
        ({"tags": ["a"]}, "tags"),
        ({"tags": {f"k{i}": i for i in range(21)}}, "tags"),
        ({"tags": {"bad key": "x"}}, "tags.bad key"),
        ({"tags": {"k" * 41: "x"}}, "tags." + "k" * 41),
        ({"tags": {"plan": "x" * 201}}, "tags.plan"),
        ({"tags": {"plan": None}}, "tags.plan"),
        ({"tags": {"plan": "pro\x00"}}, "tags.plan"),
        ({"tags": {"plan": {"nested": 1}}}, "tags.plan"),
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"event_id": "0b8e7d4c1d2a4b5c8e9f0123456789ab"}, "event_id"),
        ({"event_id": 12}, "event_id"),
        ({"locale": 12}, "locale"),
    ],
)
def test_refuses_a_field_that_breaks_a_rule(client, site, changes, field):
    response = submit(client, site.key, payload(**changes))
    assert_error(response, 422, field)
    assert stored_rows() == []


def test_names_every_failing_field(client, site):
    body = {"metric": "stars", "score": "5", "page": {"url": "nope"}, "tags": {"a b": 1}}
    response = submit(client, site.key, body)
    assert_error(response, 422, "metric", "score", "page.url", "tags.a b")


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"{'metric': 'csat'}", b"[1, 2]", b'"text"', b"null", b'{"score": NaN}'],
)
def test_refuses_a_body_that_is_not_a_json_object(client, site, body):
    assert_error(submit(client, site.key, body), 400)
    assert stored_rows() == []


def test_refuses_invalid_utf8(client, site):
    assert_error(submit(client, site.key, b'{"metric": "\xff"}'), 400)


@pytest.mark.parametrize("field", ["comment", "page.title", "page.url", "tags.plan"])
def test_refuses_an_unpaired_surrogate_as_not_text(client, site, field):
    body = payload(tags={"plan": "pro"})
    *parents, name = field.split(".")
    target = body
    for parent in parents:
        target = target[parent]
    target[name] = "\ud83d broken"
    assert_error(submit(client, site.key, json.dumps(body).encode()), 400)
    assert stored_rows() == []


def test_a_paired_surrogate_escape_is_an_emoji(client, site):
    body = json.dumps(payload(comment="Great \U0001f600")).encode()
    assert b"\\ud83d\\ude00" in body
    assert submit(client, site.key, body).status_code == 201
    assert stored_rows()[0].comment == "Great \U0001f600"


def test_unknown_site_is_404(client, site):
    assert_error(submit(client, "pk_doesnotexist000000", payload()), 404)


@pytest.mark.parametrize("key", ["pk_abc\x00def0123456789", "pk_" + "x" * 200, "nonsense"])
def test_a_key_that_is_no_site_key_is_404_on_ingest_and_config(client, site, key):
    assert_error(submit(client, key, payload()), 404)
    assert_error(client.get(f"/api/v1/sites/{key}/config"), 404)


def test_disabled_site_is_404(client, make_site):
    closed = make_site(enabled=False)
    assert_error(submit(client, closed.key, payload()), 404)
    assert stored_rows() == []


@pytest.mark.parametrize("closed", [False, True], ids=["unknown", "disabled"])
def test_a_404_for_a_site_is_readable_by_any_origin(client, make_site, closed):
    key = make_site(enabled=False).key if closed else "pk_doesnotexist000000"
    # Readable, so the widget drops the response instead of retrying it as if offline.
    for response in (
        submit(client, key, payload(), Origin="https://anyone.example"),
        client.get("/api/v1/sites/pk_doesnotexist000000/config", headers={"Origin": ORIGIN}),
    ):
        assert_error(response, 404)
        assert response.headers["Access-Control-Allow-Origin"] in ("https://anyone.example", ORIGIN)
        assert "Origin" in response.headers["Vary"]


def test_oversized_body_is_413(app, client, site):
    limit = app.config["TOUCHPOINT_MAX_BODY_BYTES"]
    body = json.dumps(payload(comment="x" * limit))
    assert_error(submit(client, site.key, body), 413)
    assert stored_rows() == []


def test_body_larger_than_its_content_length_claims_is_413(app, client, site):
    limit = app.config["TOUCHPOINT_MAX_BODY_BYTES"]
    body = json.dumps(payload(comment="x" * limit)).encode()
    response = client.post(
        f"/api/v1/sites/{site.key}/responses",
        input_stream=io.BytesIO(body),
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        # As gunicorn marks a chunked body: no Content-Length, the server reads to its end.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_error(response, 413)


def test_foreign_origin_is_a_403_it_can_read_and_nothing_is_stored(client, site):
    response = submit(client, site.key, payload(), Origin="https://evil.example")
    assert_error(response, 403)
    # Readable by that origin alone, so the widget can tell "refused" from "offline".
    assert response.headers["Access-Control-Allow-Origin"] == "https://evil.example"
    assert stored_rows() == []


def test_no_origin_header_is_allowed(client, site):
    assert submit(client, site.key, payload()).status_code == 201


def test_any_origin_when_the_site_allows_star(client, make_site):
    open_site = make_site(allowed_origins=["*"])
    response = submit(client, open_site.key, payload(), Origin="https://anywhere.example")
    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == "https://anywhere.example"


def test_origin_comparison_ignores_case_and_trailing_slash(client, make_site):
    shop = make_site(allowed_origins=["https://Shop.Example/"])
    assert submit(client, shop.key, payload(), Origin="https://shop.example").status_code == 201


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("unknown site", "size"),
        ("size", "origin"),
        ("origin", "rate limit"),
        ("JSON", "honeypot"),
        ("honeypot", "fields"),
    ],
)
def test_checks_run_in_spec_order(app, client, site, first, second):
    limit = app.config["TOUCHPOINT_MAX_BODY_BYTES"]
    huge = json.dumps(payload(comment="x" * limit))
    cases = {
        ("unknown site", "size"): ("pk_unknown0000000000", huge, {}, 404),
        ("size", "origin"): (site.key, huge, {"Origin": "https://evil.example"}, 413),
        ("origin", "rate limit"): (site.key, "{}", {"Origin": "https://evil.example"}, 403),
        ("JSON", "honeypot"): (site.key, "not json, hp=filled", {}, 400),
        ("honeypot", "fields"): (site.key, json.dumps({"hp": "bot", "score": "x"}), {}, 201),
    }
    key, body, headers, status = cases[(first, second)]
    assert submit(client, key, body, **headers).status_code == status


def test_honeypot_answers_like_success_and_stores_nothing(client, site):
    response = submit(client, site.key, payload(hp="https://spam.example"))
    assert response.status_code == 201
    assert response.get_json() == {"id": None, "duplicate": False, "phase": None}
    assert stored_rows() == []


def test_same_event_id_is_stored_once(client, site):
    event_id = str(uuid.uuid4())
    first = submit(client, site.key, payload(event_id=event_id))
    second = submit(client, site.key, payload(event_id=event_id, score=1))
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.get_json() == {
        "id": first.get_json()["id"],
        "duplicate": True,
        "phase": first.get_json()["phase"],
    }
    (row,) = stored_rows()
    assert row.score == 4
    assert row.event_id == event_id


def test_event_id_is_stored_in_lower_case(client, site):
    event_id = str(uuid.uuid4())
    submit(client, site.key, payload(event_id=event_id.upper()))
    assert submit(client, site.key, payload(event_id=event_id)).status_code == 200
    assert stored_rows()[0].event_id == event_id


def test_same_event_id_on_two_sites_is_two_responses(client, site, make_site):
    other = make_site(name="Blog")
    event_id = str(uuid.uuid4())
    assert submit(client, site.key, payload(event_id=event_id)).status_code == 201
    assert submit(client, other.key, payload(event_id=event_id)).status_code == 201
    assert len(stored_rows()) == 2


def test_unknown_fields_are_ignored(client, site):
    response = submit(client, site.key, payload(widget_version="9.9", extra={"x": 1}))
    assert response.status_code == 201


def test_long_title_is_cut_not_refused(client, site):
    page = {"url": "https://shop.example/", "title": "t" * 400}
    assert submit(client, site.key, payload(page=page)).status_code == 201
    assert stored_rows()[0].page_title == "t" * 300


@pytest.mark.parametrize(
    ("referrer", "stored"),
    [
        ("https://www.Google.com/search?q=private", "www.google.com"),
        ("http://news.example:8080/a", "news.example"),
        ("not a url", None),
        ("", None),
        ("/relative", None),
    ],
)
def test_referrer_keeps_only_its_host(client, site, referrer, stored):
    page = {"url": "https://shop.example/", "referrer": referrer}
    assert submit(client, site.key, payload(page=page)).status_code == 201
    assert stored_rows()[0].referrer_host == stored


@pytest.mark.parametrize(
    ("locale", "stored"),
    [("nl-NL", "nl-NL"), ("en", "en"), ("zh-Hant-TW", "zh-Hant-TW"), ("dutch!", None), ("", None)],
)
def test_locale_is_kept_when_bcp47_else_dropped(client, site, locale, stored):
    assert submit(client, site.key, payload(locale=locale)).status_code == 201
    assert stored_rows()[0].locale == stored


def test_comment_is_cleaned(client, site):
    comment = "  \x00Too\x07 slow\r\n\tat checkout\x1b  "
    assert submit(client, site.key, payload(comment=comment)).status_code == 201
    assert stored_rows()[0].comment == "Too slow\n\tat checkout"


def test_blank_comment_is_stored_as_none(client, site):
    assert submit(client, site.key, payload(comment="  \n ")).status_code == 201
    assert stored_rows()[0].comment is None


def test_what_is_stored_respects_privacy(client, make_site):
    shop = make_site(keep_query_params=["variant"])
    page = {
        "url": "HTTPS://Shop.Example:443/p/42?utm_source=mail&variant=red&email=a%40b.c#reviews",
        "referrer": "https://mail.example/inbox?user=alice",
    }
    response = submit(
        client,
        shop.key,
        payload(page=page, email="alice@example.com"),
        Origin=ORIGIN,
        **{"User-Agent": IPHONE, "Cookie": "session=secret", "X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 201
    assert "Set-Cookie" not in response.headers
    (row,) = stored_rows()
    assert row.page_url == "https://shop.example/p/42?variant=red"
    assert row.page_path == "/p/42"
    assert row.referrer_host == "mail.example"
    assert row.device == "mobile"
    assert row.email is None
    stored = json.dumps([str(getattr(row, c.name)) for c in Response.__table__.columns])
    for secret in ("127.0.0.1", "203.0.113.9", "Mozilla", "session=secret", "alice", "utm"):
        assert secret not in stored


def test_received_at_is_the_server_clock_in_utc(client, site):
    before = datetime.now(UTC)
    submit(client, site.key, payload(received_at="2001-01-01T00:00:00Z"))
    row = stored_rows()[0]
    assert before - timedelta(seconds=1) <= row.received_at <= datetime.now(UTC)
    assert row.received_at.tzinfo is not None


def test_email_is_ignored_unless_the_site_collects_it(client, site):
    response = submit(client, site.key, payload(email={"not": "an address"}))
    assert response.status_code == 201
    assert stored_rows()[0].email is None


def test_email_is_stored_when_the_site_collects_it(client, make_site):
    shop = make_site(collect_email=True)
    assert submit(client, shop.key, payload(email="alice@example.com")).status_code == 201
    assert submit(client, shop.key, payload(email="")).status_code == 201
    assert [row.email for row in stored_rows()] == ["alice@example.com", None]


@pytest.mark.parametrize("email", ["not-an-address", "a@", 42, "x" * 250 + "@example.com"])
def test_bad_email_is_422_when_the_site_collects_it(client, make_site, email):
    shop = make_site(collect_email=True)
    assert_error(submit(client, shop.key, payload(email=email)), 422, "email")


def test_tags_are_stored(client, site):
    tags = {"plan": "pro", "seats": 12, "ratio": 0.5, "trial": False}
    assert submit(client, site.key, payload(tags=tags)).status_code == 201
    assert stored_rows()[0].tags == tags


@pytest.mark.parametrize(
    ("url", "client_phase", "phase", "source"),
    [
        ("https://shop.example/checkout", None, "conversion", "rule"),
        ("https://shop.example/checkout/pay/3", None, "conversion", "rule"),
        ("https://shop.example/blog/post", None, "awareness", "rule"),
        ("https://shop.example/checkout", "loyalty", "loyalty", "client"),
        ("https://shop.example/about", None, None, None),
    ],
)
def test_phase_resolution(client, site, url, client_phase, phase, source):
    response = submit(client, site.key, payload(page={"url": url}, phase=client_phase))
    assert response.get_json()["phase"] == phase
    row = stored_rows()[0]
    assert (row.phase, row.phase_source) == (phase, source)


def test_phase_rules_apply_in_order(client, make_site):
    shop = make_site(
        phase_rules=[
            {"match": "/checkout/*", "phase": "conversion"},
            {"match": "/checkout*", "phase": "consideration"},
        ]
    )
    first = submit(client, shop.key, payload(page={"url": "https://shop.example/checkout"}))
    second = submit(client, shop.key, payload(page={"url": "https://shop.example/checkout/x"}))
    assert first.get_json()["phase"] == "consideration"
    assert second.get_json()["phase"] == "conversion"


def test_answers_carry_cors_headers_for_allowed_origins(client, site):
    response = submit(client, site.key, payload(), Origin=ORIGIN)
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    refused = submit(client, site.key, payload(score=9), Origin=ORIGIN)
    assert refused.status_code == 422
    assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_preflight_for_an_allowed_origin(client, site):
    response = client.options(
        f"/api/v1/sites/{site.key}/responses",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


@pytest.mark.parametrize("path", ["responses", "config"])
def test_preflight_for_a_foreign_origin_has_no_cors_headers(client, site, path):
    response = client.options(
        f"/api/v1/sites/{site.key}/{path}",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 403
    assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]


def test_admin_and_health_endpoints_send_no_cors_headers(client, site):
    for path in ("/healthz", "/api/v1/openapi.json"):
        response = client.get(path, headers={"Origin": ORIGIN})
        assert "Access-Control-Allow-Origin" not in response.headers


def test_config_returns_the_widget_settings(client, make_site):
    shop = make_site(widget={"metric": "nps", "color": "#0a6"}, collect_email=True)
    response = client.get(f"/api/v1/sites/{shop.key}/config", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.get_json() == {
        "enabled": True,
        "collect_email": True,
        "keep_query_params": [],
        "widget": {"metric": "nps", "color": "#0a6"},
    }
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "max-age=" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")


def test_config_answers_304_for_a_matching_etag(client, site):
    first = client.get(f"/api/v1/sites/{site.key}/config")
    again = client.get(
        f"/api/v1/sites/{site.key}/config", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = client.get(f"/api/v1/sites/{site.key}/config", headers={"If-None-Match": '"other"'})
    assert other.status_code == 200


def test_config_of_a_disabled_site_says_so(client, make_site):
    closed = make_site(enabled=False)
    response = client.get(f"/api/v1/sites/{closed.key}/config")
    assert response.status_code == 200
    assert response.get_json()["enabled"] is False


def test_config_of_an_unknown_site_is_404(client):
    assert_error(client.get("/api/v1/sites/pk_unknown0000000000/config"), 404)


def test_config_names_the_kept_query_parameters(client, make_site):
    shop = make_site(keep_query_params=["utm_source", "q"])
    response = client.get(f"/api/v1/sites/{shop.key}/config", headers={"Origin": ORIGIN})
    assert response.get_json()["keep_query_params"] == ["q", "utm_source"]


def test_config_for_a_foreign_origin_is_a_403_it_can_read(client, site):
    # Readable, so that the widget can tell "refused" from "offline".
    response = client.get(f"/api/v1/sites/{site.key}/config", headers={"Origin": "https://x.test"})
    assert_error(response, 403)
    assert response.headers["Access-Control-Allow-Origin"] == "https://x.test"
    assert "Access-Control-Expose-Headers" not in response.headers


def test_openapi_documents_the_public_api(client):
    document = client.get("/api/v1/openapi.json").get_json()
    post = document["paths"]["/api/v1/sites/{site_key}/responses"]["post"]
    schema = post["requestBody"]["content"]["text/plain"]["schema"]
    assert schema == {
        "anyOf": [
            {"$ref": "#/components/schemas/ResponseIn"},
            {"$ref": "#/components/schemas/FilledHoneypot"},
        ]
    }
    assert {"201", "200", "400", "403", "404", "413", "422", "429", "503"} <= set(post["responses"])
    fields = document["components"]["schemas"]["ResponseIn"]["properties"]
    assert {"metric", "score", "page", "event_id", "hp", "tags"} <= set(fields)
    assert "/api/v1/sites/{site_key}/config" in document["paths"]


def test_database_refusing_connections_is_503_and_stores_nothing(client, site, monkeypatch):
    key = site.key
    assert submit(client, key, payload()).status_code == 201

    def refuse():
        raise OperationalError("connect", {}, Exception("connection refused"))

    monkeypatch.setattr(db.engine, "raw_connection", refuse)
    response = submit(client, key, payload(comment="lost"))
    assert_error(response, 503)
    assert response.headers["Retry-After"].isdigit()
    monkeypatch.undo()
    assert [row.comment for row in stored_rows()] == ["Quick checkout"]


def test_site_deleted_after_it_was_cached_is_404(client, site):
    key = site.key
    assert submit(client, key, payload()).status_code == 201
    db.session.delete(site)
    db.session.commit()
    assert_error(submit(client, key, payload()), 404)
    assert stored_rows() == []


def test_unreachable_database_is_503_never_500():
    config = base_config("postgresql+psycopg://postgres@127.0.0.1:9/unreachable")
    app = create_app(config)
    client = app.test_client()
    for response in (
        submit(client, "pk_anything0000000000", payload()),
        client.get("/api/v1/sites/pk_anything0000000000/config"),
    ):
        assert_error(response, 503)
        assert response.headers["Retry-After"].isdigit()


@pytest.mark.parametrize("backend", ["sqlite"])  # a read-only SQLite connection fails the write
def test_sqlite_write_failure_is_503_and_stores_nothing(app, client, site):
    db.session.execute(text("PRAGMA query_only = ON"))
    try:
        response = submit(client, site.key, payload())
    finally:
        db.session.execute(text("PRAGMA query_only = OFF"))
    assert_error(response, 503)
    assert stored_rows() == []
    assert submit(client, site.key, payload()).status_code == 201


#: Runs a test on PostgreSQL only (the `app` fixture skips or fails without its URL).
postgres_only = pytest.mark.parametrize("backend", ["postgresql"])


def terminate_backend(pid: int) -> None:
    """Kill one PostgreSQL server process, as a restart of the server would."""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))


@postgres_only
def test_connection_lost_mid_request_is_503_then_recovers(client, site, monkeypatch):
    key = site.key
    assert submit(client, key, payload(comment="first")).status_code == 201
    connect = db.engine.raw_connection

    def connection_whose_server_dies():
        connection = connect()
        terminate_backend(connection.dbapi_connection.info.backend_pid)
        return connection

    # The site is cached now, so the insert is the only use of the database left.
    monkeypatch.setattr(db.engine, "raw_connection", connection_whose_server_dies)
    response = submit(client, key, payload(comment="lost"))
    monkeypatch.undo()
    assert_error(response, 503)
    assert response.headers["Retry-After"].isdigit()
    assert submit(client, key, payload(comment="third")).status_code == 201
    assert [row.comment for row in stored_rows()] == ["first", "third"]


@postgres_only
def test_postgres_restart_recovers_on_the_next_request(client, site):
    key = site.key
    assert submit(client, key, payload()).status_code == 201
    db.session.close()
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    assert submit(client, key, payload()).status_code == 201
    assert len(stored_rows()) == 2


@postgres_only
def test_concurrent_duplicates_store_one_row(app, site):
    key, event_id = site.key, str(uuid.uuid4())
    workers = 8
    barrier = threading.Barrier(workers)
    answers = []

    def send():
        client = app.test_client()
        barrier.wait()
        response = submit(client, key, payload(event_id=event_id))
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    rows = stored_rows()
    assert len(rows) == 1
    assert sorted(status for status, _ in answers) == [200] * (workers - 1) + [201]
    assert {body["id"] for _, body in answers} == {rows[0].id}
