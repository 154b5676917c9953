"""A value the database or its driver refuses is a clear 422 with its cause logged, never a 500.

The schema keeps such values out (tests/api/test_parity.py); these rows skip it, as a rule
missing from the schema would, to check the net below it on both databases.
"""

import logging
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from server.ingest.store import Unstorable, store_response
from server.models import Response


def row(**changes) -> dict:
    """Return the columns of a loaded response with `changes` applied."""
    columns = {column.name: None for column in Response.__table__.columns}
    columns.update(
        metric="csat",
        score=4,
        page_url="https://shop.example/",
        page_path="/",
        received_at=datetime(2026, 3, 4, tzinfo=UTC),
        themes=0,
    )
    return {**columns, **changes}


@pytest.mark.parametrize(
    "changes",
    [{"score": 2**70}, {"comment": "a\ud800b"}, {"email": "\udc00@example.com"}],
    ids=["integer-too-large", "lone-surrogate", "lone-surrogate-email"],
)
def test_a_value_the_database_refuses_is_unstorable_and_logged(site, caplog, changes):
    with caplog.at_level(logging.ERROR, logger="server.ingest.store"), pytest.raises(Unstorable):
        store_response(site.id, row(**changes))
    assert "cannot be stored" in caplog.text


def test_an_unstorable_response_is_answered_422_and_nothing_is_stored(
    client, site, admin_headers, monkeypatch
):
    from server.ingest import record

    original = record.store_response
    monkeypatch.setattr(
        record,
        "store_response",
        lambda site_id, fields: original(site_id, {**fields, "score": 2**70}),
    )
    answer = client.post(
        f"/api/v1/sites/{site.key}/responses",
        json={"metric": "csat", "score": 4, "page": {"url": "https://shop.example/"}},
    )
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["errors"] == {
        "_schema": ["The database cannot store a value of this response."]
    }
    listed = client.get(f"/api/v1/admin/sites/{site.key}/responses", headers=admin_headers)
    assert listed.get_json()["items"] == []


def test_a_refusal_outside_ingest_gets_the_same_422(own_app, caplog):
    def refuse():
        raise IntegrityError("INSERT …", {}, sqlite3.IntegrityError("CHECK constraint failed"))

    own_app.add_url_rule("/api/v1/refuse", view_func=refuse)
    with caplog.at_level(logging.ERROR, logger="server.errors"):
        answer = own_app.test_client().get("/api/v1/refuse")
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == {
        "_schema": ["The database cannot store a value of this response."]
    }
    assert "CHECK constraint failed" in caplog.text
