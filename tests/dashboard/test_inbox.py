"""The dashboard's inbox and audit pages without a browser: what they list, what their forms
change, and what read-only and site-scoped tokens get."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from dashboard_session import csrf_token, secret_of, sign_in
from sqlalchemy import select

from server.extensions import db
from server.models import AuditEntry, Response


@pytest.fixture
def comments(site, make_response):
    """Return three commented responses across metrics (newest first) and one without."""
    now = datetime.now(UTC)
    rows = [
        make_response(site, metric=metric, score=score, comment=text, received_at=now - age)
        for metric, score, text, age in [
            ("nps", 3, "Too slow <b>checkout</b>", timedelta(minutes=1)),
            ("csat", 5, "Lovely", timedelta(minutes=2)),
            ("ces", 2, "Hard to find returns", timedelta(minutes=3)),
        ]
    ]
    make_response(site, score=4)
    return rows


def inbox_url(site, **query) -> str:
    """Return the inbox's address with `query`."""
    text = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/admin/sites/{site.key}/inbox" + (f"?{text}" if text else "")


def listed(page: str) -> list[int]:
    """Return the response ids an inbox page lists, top to bottom."""
    return [int(found) for found in re.findall(r'id="row-(\d+)"', page)]


def test_inbox_lists_comments_across_metrics_newest_first(signed_in, site, comments):
    page = signed_in.get(inbox_url(site)).get_data(as_text=True)
    assert listed(page) == [row.id for row in comments]
    assert "Too slow &lt;b&gt;checkout&lt;/b&gt;" in page


def test_inbox_filters(signed_in, site, comments):
    assert listed(signed_in.get(inbox_url(site, max_score=3)).get_data(as_text=True)) == [
        comments[0].id,
        comments[2].id,
    ]
    bad = signed_in.get(inbox_url(site, status="archived"))
    assert bad.status_code == 422 and "status" in bad.get_data(as_text=True)


def post_form(client, site, path, **fields):
    """Post an inbox form with the page's CSRF token."""
    data = {"csrf_token": csrf_token(client, inbox_url(site)), **fields}
    return client.post(f"/admin/sites/{site.key}/inbox{path}", data=data)


def test_bulk_and_note_forms_change_and_audit(signed_in, site, comments):
    ids = [str(comments[0].id), str(comments[2].id)]
    answer = post_form(signed_in, site, "/triage", ids=ids, status="spam", next=inbox_url(site))
    assert answer.status_code == 302
    assert answer.location == inbox_url(site)
    assert listed(signed_in.get(inbox_url(site)).get_data(as_text=True)) == [comments[1].id]
    spam = signed_in.get(inbox_url(site, status="spam")).get_data(as_text=True)
    assert listed(spam) == [comments[0].id, comments[2].id]
    note = post_form(signed_in, site, f"/{comments[1].id}/note", note=" Thanked them\x00 ")
    assert note.status_code == 302 and note.location.endswith(f"#row-{comments[1].id}")
    db.session.expire_all()
    assert db.session.get(Response, comments[1].id).note == "Thanked them"
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["responses.triage", "response.triage"]
    assert {e.actor_kind for e in db.session.scalars(select(AuditEntry))} == {"dashboard"}


@pytest.mark.parametrize(
    "fields",
    [
        {"ids": ["1"], "status": "archived"},
        {"ids": ["x"], "status": "read"},
        {"ids": ["1"], "status": ["read", "spam"]},
    ],
)
def test_bad_triage_forms_are_refused(signed_in, site, comments, fields):
    answer = post_form(signed_in, site, "/triage", **fields)
    assert answer.status_code == 422
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_note_of_another_site_is_404(signed_in, make_site, site, comments):
    other = make_site(name="Other")
    answer = post_form(signed_in, other, f"/{comments[0].id}/note", note="x")
    assert answer.status_code == 404


def test_read_only_sees_no_controls_and_cannot_post(client, make_token, site, comments):
    assert sign_in(client, secret_of(make_token(read_only=True))).status_code == 302
    page = client.get(inbox_url(site)).get_data(as_text=True)
    assert listed(page) == [row.id for row in comments]
    assert "<textarea" not in page and 'type="checkbox"' not in page
    assert 'method="post" class="inbox' not in page
    token = csrf_token(client, inbox_url(site))
    refused = client.post(
        f"/admin/sites/{site.key}/inbox/triage",
        data={"csrf_token": token, "ids": [str(comments[0].id)], "status": "spam"},
    )
    assert refused.status_code == 403
    db.session.expire_all()
    assert db.session.get(Response, comments[0].id).status == "new"


def test_audit_page_shows_the_log_a_token_may_read(client, make_token, make_site):
    mine, theirs = make_site(name="Mine"), make_site(name="Theirs")
    admin = make_token(name="admin")
    for site in (mine, theirs):
        client.patch(f"/api/v1/admin/sites/{site.key}", json={"name": "N"}, headers=admin)
    assert sign_in(client, secret_of(make_token(site=mine))).status_code == 302
    page = client.get("/admin/audit").get_data(as_text=True)
    assert mine.key in page and theirs.key not in page
    assert client.get(f"/admin/audit?site={theirs.key}").status_code == 404
