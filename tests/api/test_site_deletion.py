"""Deleting a big site: its responses go in small committed batches, so ingest elsewhere goes on."""

from datetime import UTC, datetime
from itertools import pairwise

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import Response, Site
from server.sites import manage

RESPONSES = 2_000
BATCH = 100
SUBMISSION = {"metric": "csat", "score": 4, "page": {"url": "https://shop.example/"}}


@pytest.fixture
def app_config(app_config, backend, tmp_path):
    """Use a SQLite file: an in-memory database has one connection, so no writer ever waits."""
    if backend == "sqlite":
        return {**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'big.db'}"}
    return app_config


def add_responses(site: Site, how_many: int) -> None:
    """Store `how_many` responses for `site` in one statement."""
    now = datetime.now(UTC)
    rows = [
        {
            "site_id": site.id,
            "metric": "csat",
            "score": 1 + n % 5,
            "page_url": "https://shop.example/",
            "page_path": "/",
            "received_at": now,
        }
        for n in range(how_many)
    ]
    db.session.execute(insert(Response), rows)
    db.session.commit()


def responses_left(site_id: int) -> int:
    """Count a site's responses on a connection of its own."""
    with db.engine.connect() as connection:
        query = select(func.count()).select_from(Response).where(Response.site_id == site_id)
        return connection.scalar(query)


def test_ingest_to_other_sites_goes_on_while_a_big_site_is_deleted(
    app, client, make_site, admin_headers, monkeypatch
):
    monkeypatch.setattr(manage, "DELETE_BATCH", BATCH)
    doomed, kept = make_site(name="Doomed"), make_site(name="Kept")
    doomed_id, kept_key = doomed.id, kept.key
    add_responses(doomed, RESPONSES)
    ingest = app.test_client()
    seen: list[tuple[int, int]] = []  # (the ingest's status, the doomed site's responses left)
    deleting = False

    def ingest_between_transactions(session):
        # Each time the deletion commits, a visitor of another site submits: with the
        # responses deleted in one transaction this happens once, when they are all gone.
        nonlocal deleting
        if deleting:
            deleting = False
            status = ingest.post(f"/api/v1/sites/{kept_key}/responses", json=SUBMISSION)
            seen.append((status.status_code, responses_left(doomed_id)))
            deleting = True

    event.listen(Session, "after_commit", ingest_between_transactions)
    try:
        deleting = True
        answer = client.delete(f"/api/v1/admin/sites/{doomed.key}", headers=admin_headers)
        deleting = False
    finally:
        event.remove(Session, "after_commit", ingest_between_transactions)

    assert answer.status_code == 204
    statuses = [status for status, _ in seen]
    assert statuses == [201] * len(seen)
    left = [count for _, count in seen if count]
    # The other site's visitors got in between batches, while the doomed responses went.
    assert len(left) >= RESPONSES // BATCH - 1
    assert max(earlier - later for earlier, later in pairwise([RESPONSES, *left])) <= BATCH
    assert responses_left(doomed_id) == 0
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1


def test_responses_sent_while_the_site_is_deleted_go_with_it(app, make_site, monkeypatch):
    monkeypatch.setattr(manage, "DELETE_BATCH", BATCH)
    doomed = make_site(name="Doomed")
    doomed_id = doomed.id
    add_responses(doomed, 3 * BATCH)
    original = manage.delete_response_batch

    def batch_with_a_latecomer(site_id, last_id):
        deleted = original(site_id, last_id)
        add_responses(doomed, 1)  # a worker whose cache still holds the site stores one more
        return deleted

    monkeypatch.setattr(manage, "delete_response_batch", batch_with_a_latecomer)
    manage.delete_site(doomed)
    assert responses_left(doomed_id) == 0
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0
