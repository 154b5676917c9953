"""Triage through the admin API: one response's status and note, bulk status, the status filter,
and spam out of the numbers."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.extensions import db
from server.insight.export import COLUMNS
from server.models import AuditEntry, Response

ADMIN = "/api/v1/admin/sites"


@pytest.fixture
def rows(site, make_response):
    """Return five responses of `site`, oldest first, one minute apart."""
    start = datetime.now(UTC) - timedelta(hours=1)
    return [
        make_response(site, score=score, received_at=start + timedelta(minutes=index))
        for index, score in enumerate((1, 2, 3, 4, 5))
    ]


def patch(client, site, response_id, body, headers):
    """PATCH one response's triage."""
    return client.patch(f"{ADMIN}/{site.key}/responses/{response_id}", json=body, headers=headers)


def bulk(client, site, body, headers):
    """POST a bulk triage."""
    return client.post(f"{ADMIN}/{site.key}/responses/triage", json=body, headers=headers)


def listed(client, site, headers, **query) -> list[int]:
    """Return the ids the listing answers for `query`, newest first."""
    answer = client.get(f"{ADMIN}/{site.key}/responses", query_string=query, headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return [item["id"] for item in answer.get_json()["items"]]


def test_a_new_response_is_new_without_a_note(client, admin_headers, site, rows):
    item = client.get(f"{ADMIN}/{site.key}/responses", headers=admin_headers).get_json()["items"][0]
    assert (item["status"], item["note"]) == ("new", None)
    assert list(item)[-3:] == ["status", "note", "theme_evidence"]


def test_patch_sets_status_and_a_cleaned_note(client, admin_headers, site, rows):
    note = "  Called back\x00 the customer,\n\tÉ refund sent \x07 "
    answer = patch(client, site, rows[0].id, {"status": "resolved", "note": note}, admin_headers)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "resolved"
    assert body["note"] == "Called back the customer,\n\tÉ refund sent"
    db.session.expire_all()
    stored = db.session.get(Response, rows[0].id)
    assert (stored.status, stored.note) == ("resolved", body["note"])


def test_patch_keeps_what_it_does_not_name(client, admin_headers, site, rows):
    patch(client, site, rows[0].id, {"status": "read", "note": "keep me"}, admin_headers)
    assert patch(client, site, rows[0].id, {"status": "resolved"}, admin_headers).status_code == 200
    assert patch(client, site, rows[0].id, {"note": "  "}, admin_headers).get_json()["note"] is None
    patch(client, site, rows[0].id, {"note": "again"}, admin_headers)
    assert patch(client, site, rows[0].id, {"note": None}, admin_headers).get_json()["note"] is None
    db.session.expire_all()
    stored = db.session.get(Response, rows[0].id)
    assert (stored.status, stored.note) == ("resolved", None)


def test_note_is_stored_alike_in_nfc(client, admin_headers, site, rows):
    decomposed = "Cafe\u0301 " + "x" * 1994
    answer = patch(client, site, rows[0].id, {"note": decomposed}, admin_headers)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["note"] == "Café " + "x" * 1994


@pytest.mark.parametrize(
    "body, field",
    [
        ({"status": "done"}, "status"),
        ({"status": None}, "status"),
        ({"status": 1}, "status"),
        ({"note": "x" * 2001}, "note"),
        ({"note": 5}, "note"),
        ({"note": "a\udfff"}, "note"),
        ({"note": "\ud800", "status": "read"}, "note"),
        ({"note": "ok", "bogus": 1}, "bogus"),
    ],
)
def test_bad_triage_is_422_naming_the_field(client, admin_headers, site, rows, body, field):
    answer = patch(client, site, rows[0].id, body, admin_headers)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]
    db.session.expire_all()
    assert db.session.get(Response, rows[0].id).status == "new"


def test_patch_of_another_sites_response_is_404(client, admin_headers, make_site, rows):
    other = make_site(name="Other")
    answer = patch(client, other, rows[0].id, {"status": "read"}, admin_headers)
    assert answer.status_code == 404
    assert patch(client, other, 2**63 - 1, {"status": "read"}, admin_headers).status_code == 404


def test_read_only_tokens_cannot_triage(client, make_token, site, rows):
    for headers in (make_token(read_only=True), make_token(site=site, read_only=True)):
        assert patch(client, site, rows[0].id, {"status": "spam"}, headers).status_code == 403
        body = {"ids": [rows[0].id], "status": "spam"}
        assert bulk(client, site, body, headers).status_code == 403
    db.session.expire_all()
    assert db.session.get(Response, rows[0].id).status == "new"


def test_bulk_changes_this_sites_responses_only(client, admin_headers, site, make_site, rows):
    other = make_site(name="Other")
    stranger = Response(site=other, metric="csat", score=1, page_url="https://o.example/")
    stranger.page_path = "/"
    db.session.add(stranger)
    db.session.commit()
    ids = [rows[0].id, rows[1].id, stranger.id, 10**15]
    answer = bulk(client, site, {"ids": ids, "status": "resolved"}, admin_headers)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json() == {"updated": 2}
    db.session.expire_all()
    assert db.session.get(Response, stranger.id).status == "new"
    assert listed(client, site, admin_headers, status="resolved") == [rows[1].id, rows[0].id]
    # Those already resolved are not changed again.
    again = bulk(client, site, {"ids": [*ids, rows[2].id], "status": "resolved"}, admin_headers)
    assert again.get_json() == {"updated": 1}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"ids": list(range(1, 502)), "status": "read"}, "ids"),
        ({"ids": [1, "2"], "status": "read"}, "ids.1"),
        ({"ids": [True], "status": "read"}, "ids.0"),
        ({"ids": [0], "status": "read"}, "ids.0"),
        ({"ids": [2**63], "status": "read"}, "ids.0"),
        ({"ids": "1,2", "status": "read"}, "ids"),
        ({"ids": [1]}, "status"),
        ({"status": "read"}, "ids"),
        ({"ids": [1], "status": "archived"}, "status"),
    ],
)
def test_bad_bulk_is_422_naming_the_field(client, admin_headers, site, body, field):
    answer = bulk(client, site, body, admin_headers)
    assert answer.status_code == 422
    assert field in answer.get_json()["errors"]


def test_bulk_of_500_ids_is_one_call(client, admin_headers, site, rows):
    ids = [row.id for row in rows] + list(range(10**6, 10**6 + 495))
    answer = bulk(client, site, {"ids": ids, "status": "read"}, admin_headers)
    assert answer.get_json() == {"updated": 5}


def test_spam_is_listed_and_exported_only_when_asked(client, admin_headers, site, rows):
    bulk(client, site, {"ids": [rows[1].id, rows[3].id], "status": "spam"}, admin_headers)
    assert listed(client, site, admin_headers) == [rows[4].id, rows[2].id, rows[0].id]
    assert listed(client, site, admin_headers, status="spam") == [rows[3].id, rows[1].id]
    assert listed(client, site, admin_headers, status="new") == [rows[4].id, rows[2].id, rows[0].id]
    export = client.get(f"{ADMIN}/{site.key}/export", headers=admin_headers)
    assert [row["id"] for row in csv.DictReader(io.StringIO(export.get_data(as_text=True)))] == [
        str(rows[0].id),
        str(rows[2].id),
        str(rows[4].id),
    ]
    spam = client.get(
        f"{ADMIN}/{site.key}/export",
        query_string={"status": "spam", "format": "ndjson"},
        headers=admin_headers,
    )
    lines = [json.loads(line) for line in spam.get_data(as_text=True).splitlines()]
    assert [(line["id"], line["status"]) for line in lines] == [
        (rows[1].id, "spam"),
        (rows[3].id, "spam"),
    ]


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_export_ends_with_status_and_note(client, admin_headers, site, rows, fmt):
    patch(
        client, site, rows[0].id, {"status": "read", "note": '=HYPERLINK(1), "ok"'}, admin_headers
    )
    answer = client.get(
        f"{ADMIN}/{site.key}/export",
        query_string={"format": fmt, "status": "read"},
        headers=admin_headers,
    )
    text = answer.get_data(as_text=True)
    assert COLUMNS[-2:] == ("status", "note")
    if fmt == "csv":
        header, row = list(csv.reader(io.StringIO(text)))
        assert header[-2:] == ["status", "note"]
        assert row[-2:] == ["read", '\'=HYPERLINK(1), "ok"']
    else:
        (record,) = [json.loads(line) for line in text.splitlines()]
        assert list(record)[-2:] == ["status", "note"]
        assert (record["status"], record["note"]) == ("read", '=HYPERLINK(1), "ok"')


def test_spam_is_left_out_of_stats_and_moments(client, admin_headers, site, rows):
    def stats():
        answer = client.get(
            f"{ADMIN}/{site.key}/stats", query_string={"metric": "csat"}, headers=admin_headers
        )
        return answer.get_json()["overall"]

    assert stats()["count"] == 5
    bulk(client, site, {"ids": [rows[0].id, rows[1].id], "status": "spam"}, admin_headers)
    overall = stats()
    assert (overall["count"], overall["mean"]) == (3, 4.0)
    moments = client.get(
        f"{ADMIN}/{site.key}/moments",
        query_string={"metric": "csat", "min_count": 2},
        headers=admin_headers,
    ).get_json()
    assert moments["baseline"]["count"] == 3
    # Asking for a status does not bring spam into a report.
    assert (
        client.get(
            f"{ADMIN}/{site.key}/stats",
            query_string={"metric": "csat", "status": "spam"},
            headers=admin_headers,
        ).status_code
        == 422
    )


def test_triage_is_audited_with_the_token(client, make_token, site, rows):
    headers = make_token(name="support desk")
    patch(client, site, rows[0].id, {"status": "read", "note": "private words"}, headers)
    bulk(client, site, {"ids": [rows[1].id, rows[2].id, 999], "status": "spam"}, headers)
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.token_name, e.actor_kind, e.site_key) for e in entries] == [
        ("response.triage", "support desk", "token", site.key),
        ("responses.triage", "support desk", "token", site.key),
    ]
    assert entries[0].details == {"id": rows[0].id, "status": "read", "note": "set"}
    assert "private words" not in json.dumps(entries[0].details)
    assert entries[1].details == {
        "status": "spam",
        "updated": 2,
        "ids": [rows[1].id, rows[2].id],
    }


def test_an_empty_triage_changes_nothing_and_records_nothing(client, admin_headers, site, rows):
    answer = patch(client, site, rows[0].id, {}, admin_headers)
    assert answer.status_code == 200
    assert (answer.get_json()["status"], answer.get_json()["note"]) == ("new", None)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEntry)) == 0
