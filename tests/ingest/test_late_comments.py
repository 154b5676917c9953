"""A resubmission adds a late comment and reasons to a stored response (SPEC "Resubmitting")."""

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from conftest import base_config, postgres_uri
from sqlalchemy import select, update

from server.extensions import db
from server.ingest.store import store_response
from server.insight.themes import THEME_BITS, comment_mask
from server.models import Response
from server.text import fold

#: Resubmissions racing each other, as gunicorn's gthread workers run them.
RACERS = 8
URL = "https://shop.example/basket"


@pytest.fixture
def app_config(backend, tmp_path) -> dict:
    """Run on a SQLite file or PostgreSQL: threads need a database every connection shares."""
    uri = f"sqlite:///{tmp_path / 'late.db'}" if backend == "sqlite" else postgres_uri()
    return base_config(uri)


def submission(event_id: str, **changes) -> dict:
    """Return a low csat score under `event_id`, with `changes`."""
    return {"metric": "csat", "score": 2, "page": {"url": URL}, "event_id": event_id, **changes}


def post(client, site, body):
    """Submit `body` to `site`; return the answer."""
    return client.post(f"/api/v1/sites/{site.key}/responses", json=body)


def stored(event_id: str) -> Response:
    """Return the stored response of `event_id`, read afresh."""
    db.session.expire_all()
    return db.session.scalars(select(Response).where(Response.event_id == event_id)).one()


@pytest.fixture
def first(client, site):
    """Store a half answer (a score alone) and return its event_id and id."""
    event_id = str(uuid.uuid4())
    answer = post(client, site, submission(event_id))
    assert answer.status_code == 201
    return event_id, answer.get_json()["id"]


def test_late_comment_and_reasons_are_added_cleaned_folded_and_tagged(client, site, first):
    event_id, response_id = first
    comment = "  STRASSE bleef maar laden\x00 Cafe\u0301  "
    answer = post(client, site, submission(event_id, comment=comment, reasons=["returns"]))
    assert answer.status_code == 200
    assert answer.get_json() == {"id": response_id, "duplicate": True, "phase": None}
    row = stored(event_id)
    assert row.comment == "STRASSE bleef maar laden Café"
    assert row.comment_folded == fold(row.comment)
    assert row.themes == comment_mask(row.comment) == THEME_BITS["speed"]
    assert row.reasons == THEME_BITS["returns"]
    assert row.score == 2


def test_late_reasons_alone_are_added(client, site, first):
    event_id, _ = first
    assert post(client, site, submission(event_id, reasons=["waiting"])).status_code == 200
    row = stored(event_id)
    assert (row.comment, row.reasons) == (None, THEME_BITS["waiting"])


@pytest.mark.parametrize(
    "earlier",
    [{"comment": "first words"}, {"reasons": ["speed"]}],
    ids=["had-comment", "had-reasons"],
)
def test_a_response_with_a_comment_or_reasons_keeps_them(client, site, earlier):
    event_id = str(uuid.uuid4())
    assert post(client, site, submission(event_id, **earlier)).status_code == 201
    before = stored(event_id)
    before = (before.comment, before.themes, before.reasons)
    again = post(client, site, submission(event_id, comment="other words", reasons=["returns"]))
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True
    after = stored(event_id)
    assert (after.comment, after.themes, after.reasons) == before


def test_after_30_minutes_nothing_is_added(client, site, first):
    event_id, response_id = first
    row = stored(event_id)
    db.session.execute(
        update(Response)
        .where(Response.id == response_id)
        .values(received_at=row.received_at - timedelta(minutes=31))
    )
    db.session.commit()
    again = post(client, site, submission(event_id, comment="took ages", reasons=["speed"]))
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True
    row = stored(event_id)
    assert (row.comment, row.themes, row.reasons) == (None, 0, 0)


@pytest.mark.parametrize(
    "answer", [{"score": 5}, {"metric": "ces", "score": 2}], ids=["other-score", "other-metric"]
)
def test_a_different_answer_adds_nothing(client, site, first, answer):
    event_id, response_id = first
    again = post(
        client, site, submission(event_id, comment="late words", reasons=["speed"], **answer)
    )
    assert again.status_code == 200
    assert again.get_json()["id"] == response_id
    assert again.get_json()["duplicate"] is True
    row = stored(event_id)
    assert (row.metric, row.score, row.comment, row.themes, row.reasons) == ("csat", 2, None, 0, 0)


def test_another_sites_event_id_is_left_alone(client, site, make_site, first):
    event_id, _ = first
    other = make_site(name="Other", allowed_origins=["https://shop.example"])
    assert post(client, other, submission(event_id, comment="mine")).status_code == 201
    assert stored_for(site, event_id).comment is None


def stored_for(site, event_id: str) -> Response:
    """Return `site`'s stored response of `event_id`, read afresh."""
    db.session.expire_all()
    query = select(Response).where(Response.site_id == site.id, Response.event_id == event_id)
    return db.session.scalars(query).one()


def test_racing_resubmissions_add_one_comment(app, site, first):
    event_id, response_id = first
    barrier = threading.Barrier(RACERS)
    answers = []

    def resubmit(number: int):
        client = app.test_client()
        body = submission(event_id, comment=f"comment {number}", reasons=["speed"])
        barrier.wait()
        answer = post(client, site, body)
        answers.append((answer.status_code, answer.get_json()))

    threads = [threading.Thread(target=resubmit, args=(number,)) for number in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [(200, {"id": response_id, "duplicate": True, "phase": None})] * RACERS
    row = stored(event_id)
    assert row.comment in {f"comment {number}" for number in range(RACERS)}
    assert row.comment_folded == row.comment
    assert row.reasons == THEME_BITS["speed"]
    assert db.session.scalar(select(db.func.count()).select_from(Response)) == 1


def test_racing_stores_add_the_late_comment_once(app, site, first):
    event_id, response_id = first
    barrier = threading.Barrier(RACERS)
    outcomes = []

    def resubmit(number: int):
        comment = f"waited {number} days"
        fields = {
            **late_row(event_id),
            "comment": comment,
            "comment_folded": fold(comment),
            "themes": comment_mask(comment),
            "reasons": THEME_BITS["unresolved"],
        }
        with app.app_context():
            barrier.wait()
            outcomes.append(store_response(site.id, fields))

    threads = [threading.Thread(target=resubmit, args=(number,)) for number in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {(outcome.id, outcome.duplicate) for outcome in outcomes} == {(response_id, True)}
    assert sum(outcome.added_late for outcome in outcomes) == 1
    row = stored(event_id)
    assert row.themes == comment_mask(row.comment)


def late_row(event_id: str) -> dict:
    """Return the stored columns of a resubmission of `event_id`, received now."""
    return {
        "metric": "csat",
        "score": 2,
        "comment": None,
        "page_url": URL,
        "page_path": "/basket",
        "page_title": None,
        "referrer_host": None,
        "phase": None,
        "phase_source": None,
        "locale": None,
        "tags": None,
        "email": None,
        "event_id": event_id,
        "received_at": datetime.now(UTC),
        "device": None,
        "themes": 0,
        "comment_folded": None,
        "email_folded": None,
        "reasons": 0,
    }
