"""Storing responses: the insert's parameters, and many threads writing one SQLite file."""

import json
import threading
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import base_config
from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import DATETIME

from server.extensions import db
from server.ingest.store import COLUMNS, row_values
from server.models import Response

#: Threads posting at once, as gunicorn's gthread workers run them (and then some).
WRITERS = 8


def row(**changes) -> dict:
    """Return the columns of a loaded, tagged response with `changes` applied."""
    fields = {
        "metric": "csat",
        "score": 4,
        "comment": "Quick checkout",
        "page_url": "https://shop.example/checkout",
        "page_path": "/checkout",
        "page_title": None,
        "referrer_host": None,
        "phase": "conversion",
        "phase_source": "rule",
        "locale": "nl-NL",
        "tags": {"plan": "pro"},
        "email": None,
        "event_id": None,
        "received_at": datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC),
        "device": "desktop",
        "themes": 0,
        "comment_folded": "quick checkout",
        "email_folded": None,
        "reasons": 0,
    }
    return {**fields, **changes}


@pytest.mark.parametrize(
    "received_at",
    [
        datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC),
        datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
        datetime(2026, 3, 4, 7, 6, 7, 500000, tzinfo=timezone(timedelta(hours=2))),
    ],
)
def test_sqlite_parameters_hold_the_text_sqlalchemy_stores(received_at):
    values = dict(zip(COLUMNS, row_values(7, row(received_at=received_at), "sqlite"), strict=True))
    naive_utc = received_at.astimezone(UTC).replace(tzinfo=None)
    assert values["received_at"] == DATETIME().bind_processor(None)(naive_utc)
    assert values["site_id"] == 7
    assert json.loads(values["tags"]) == {"plan": "pro"}


def test_postgresql_parameters_keep_the_datetime_and_no_tags_as_null():
    values = dict(zip(COLUMNS, row_values(7, row(tags=None), "postgresql"), strict=True))
    assert values["received_at"] == row()["received_at"]
    assert values["tags"] is None
    assert [values[name] for name in ("metric", "score", "event_id")] == ["csat", 4, None]


@pytest.fixture
def app_config(backend, tmp_path) -> dict:
    """Run on a SQLite file: an in-memory database is one per connection, not shared."""
    return base_config(f"sqlite:///{tmp_path / 'store.db'}")


def post_from_threads(app, site_key: str, bodies: list[dict]) -> list[int]:
    """Post every body at once, one thread each; return the answers' status codes."""
    barrier = threading.Barrier(len(bodies))
    statuses = []

    def send(body):
        client = app.test_client()
        barrier.wait()
        answer = client.post(f"/api/v1/sites/{site_key}/responses", json=body)
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def submission(**changes) -> dict:
    """Return a valid submission."""
    return {"metric": "csat", "score": 4, "page": {"url": "https://shop.example/"}, **changes}


@pytest.mark.parametrize("backend", ["sqlite"])
def test_threads_writing_one_sqlite_file_all_commit(app, site):
    bodies = [submission(event_id=str(uuid.uuid4())) for _ in range(WRITERS * 3)]
    statuses = post_from_threads(app, site.key, bodies)
    assert statuses == [201] * len(bodies)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == len(bodies)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_threads_sending_one_event_id_to_sqlite_store_one_row(app, site):
    event_id = str(uuid.uuid4())
    statuses = post_from_threads(app, site.key, [submission(event_id=event_id)] * WRITERS)
    assert sorted(statuses) == [200] * (WRITERS - 1) + [201]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
