"""The dashboard's inbox in a real Chromium: triage by keyboard and in bulk, the note inline,
no accessibility violations, and read-only tokens see comments but no controls."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import AuditEntry, Response, Site
from server.sites.keys import new_site_key

from .conftest import run_axe, sign_in, token_secret

#: Comments newest first, across metrics.
COMMENTS = [
    ("nps", 2, "The payment page took ages to load."),
    ("csat", 5, "Found the right size in seconds."),
    ("ces", 3, "Buy cheap watches at spam.example"),
    ("csat", 1, "Waited 40 minutes on the phone."),
]


@pytest.fixture
def inbox_site(live_server) -> tuple[str, list[int]]:
    """Create a site with four comments across metrics and one without; return key and ids."""
    now = datetime.now(UTC)
    with live_server.app.app_context():
        site = Site(key=new_site_key(), name="Inbox shop", allowed_origins=["*"])
        rows = [
            Response(
                site=site,
                metric=metric,
                score=score,
                comment=comment,
                page_url="https://shop.example/checkout",
                page_path="/checkout",
                phase="conversion",
                received_at=now - timedelta(minutes=index + 1),
            )
            for index, (metric, score, comment) in enumerate(COMMENTS)
        ]
        silent = Response(site=site, metric="csat", score=4, page_url="https://s.example/")
        silent.page_path = "/"
        db.session.add_all([site, *rows, silent])
        db.session.commit()
        return site.key, [row.id for row in rows]


def stored(live_server, ids) -> list[tuple]:
    """Return the (status, note) of the responses `ids`, in that order."""
    with live_server.app.app_context():
        db.session.expire_all()
        return [(db.session.get(Response, i).status, db.session.get(Response, i).note) for i in ids]


def open_inbox(page, live_server, key, token) -> None:
    """Sign in with `token` and open the site's inbox."""
    sign_in(page, live_server.url, token)
    page.goto(f"{live_server.url}/admin/sites/{key}")
    page.get_by_role("navigation", name="Inbox shop").get_by_role("link", name="Inbox").click()
    page.get_by_role("heading", name="Inbox · Inbox shop").wait_for()
    # inbox.js is deferred: the keys work once the document has been parsed to the end.
    page.wait_for_load_state("domcontentloaded")


def listed_texts(page) -> list[str]:
    """Return the comments the inbox lists, top to bottom."""
    return page.locator(".inbox-row .comment-text").all_inner_texts()


def test_triage_by_keyboard_bulk_and_note(browser_page, live_server, inbox_site):
    page = browser_page.page
    key, ids = inbox_site
    open_inbox(page, live_server, key, token_secret(live_server.app))
    assert listed_texts(page) == [comment for _, _, comment in COMMENTS]

    page.keyboard.press("j")
    expect(page.locator(f"#row-{ids[0]}")).to_be_focused()
    page.keyboard.press("r")
    expect(page.locator(f"#row-{ids[0]}")).to_have_attribute("data-status", "read")
    expect(page.locator(f"#row-{ids[0]}")).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(page.locator(f"#row-{ids[2]}")).to_be_focused()
    page.keyboard.press("s")
    expect(page.get_by_role("status")).to_contain_text("1 comment marked Spam.")
    # Spam leaves the inbox unless asked for.
    assert "Buy cheap watches at spam.example" not in listed_texts(page)
    # The row that took the spam's place has the focus, so j/k carry on from there.
    expect(page.locator(f"#row-{ids[3]}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#row-{ids[1]}")).to_be_focused()
    page.keyboard.press("e")
    expect(page.get_by_role("status")).to_contain_text("marked Resolved")
    assert [status for status, _ in stored(live_server, ids)] == ["read", "resolved", "spam", "new"]

    # Typing a note is not triage: the letters go into the note.
    note = page.get_by_label("Note").nth(0)
    note.fill("")
    note.press_sequentially("refund sent; see ticket 4411")
    page.get_by_role("button", name="Save note").nth(0).click()
    expect(page.get_by_role("status")).to_contain_text("Note saved.")
    assert stored(live_server, ids)[0] == ("read", "refund sent; see ticket 4411")

    page.get_by_label(f"Select comment {ids[0]}").check()
    page.get_by_label(f"Select comment {ids[3]}").check()
    page.get_by_role("button", name="Mark selected: Resolved").click()
    expect(page.get_by_role("status")).to_contain_text("2 comments marked Resolved.")
    assert [status for status, _ in stored(live_server, ids)] == [
        "resolved",
        "resolved",
        "spam",
        "resolved",
    ]

    page.get_by_label("Status").select_option("spam")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".inbox-row .comment-text")).to_have_text([COMMENTS[2][2]])
    with live_server.app.app_context():
        kinds = db.session.scalars(
            db.select(AuditEntry.actor_kind).where(AuditEntry.site_key == key)
        ).all()
    assert kinds and set(kinds) == {"dashboard"}
    assert browser_page.page_errors == [] and browser_page.console_errors == []


def test_the_inbox_and_audit_pages_have_no_accessibility_violations(
    axe_page, live_server, inbox_site
):
    page = axe_page
    key, ids = inbox_site
    open_inbox(page, live_server, key, token_secret(live_server.app))
    assert run_axe(page) == []
    page.get_by_label(f"Select comment {ids[1]}").check()
    page.get_by_role("button", name="Mark selected: Read").click()
    page.get_by_role("navigation", name="Inbox shop").get_by_role("link", name="Audit log").click()
    expect(page.locator("table.audit tbody tr")).to_have_count(1)
    assert run_axe(page) == []


def test_read_only_sees_comments_but_no_controls(axe_page, live_server, inbox_site):
    page = axe_page
    key, ids = inbox_site
    with live_server.app.app_context():
        db.session.get(Response, ids[0]).note = "Called back on Monday"
        db.session.commit()
    open_inbox(page, live_server, key, token_secret(live_server.app, read_only=True))
    assert listed_texts(page) == [comment for _, _, comment in COMMENTS]
    expect(page.get_by_text("Called back on Monday")).to_be_visible()
    expect(page.locator("main form[method=post]")).to_have_count(0)
    expect(page.locator("main textarea, main input[type=checkbox]")).to_have_count(0)
    page.locator(f"#row-{ids[0]}").focus()
    page.keyboard.press("s")
    assert stored(live_server, ids)[0][0] == "new"
    assert run_axe(page) == []


def test_a_row_pulled_up_from_the_next_page_takes_the_focus(browser_page, live_server):
    """Spam the last row of a full first page: the row from page 2 that takes its place gets
    the focus, and the address names it (so a reload finds it again)."""
    page = browser_page.page
    now = datetime.now(UTC)
    with live_server.app.app_context():
        site = Site(key=new_site_key(), name="Inbox shop", allowed_origins=["*"])
        rows = [
            Response(
                site=site,
                metric="csat",
                score=2,
                comment=f"Comment number {index}",
                page_url="https://shop.example/",
                page_path="/",
                received_at=now - timedelta(minutes=index + 1),
            )
            for index in range(52)
        ]
        db.session.add_all([site, *rows])
        db.session.commit()
        key, ids = site.key, [row.id for row in rows]
    open_inbox(page, live_server, key, token_secret(live_server.app))
    expect(page.locator(".inbox-row")).to_have_count(50)
    page.locator(f"#row-{ids[49]}").focus()
    page.keyboard.press("s")
    expect(page.get_by_role("status")).to_contain_text("1 comment marked Spam.")
    expect(page.locator(f"#row-{ids[50]}")).to_be_focused()
    assert page.url.endswith(f"#row-{ids[50]}")
    page.reload()
    expect(page.locator(f"#row-{ids[50]}")).to_be_focused()
    page.keyboard.press("k")
    expect(page.locator(f"#row-{ids[48]}")).to_be_focused()
    assert browser_page.page_errors == []


def test_a_link_to_a_comment_the_list_does_not_hold_says_so(browser_page, live_server, inbox_site):
    page = browser_page.page
    key, ids = inbox_site
    open_inbox(page, live_server, key, token_secret(live_server.app))
    inbox = page.url.partition("#")[0]
    missing = page.get_by_text("The comment this link points to is not in this list")
    expect(missing).to_be_hidden()
    for fragment, shown in ((f"#row-{ids[1]}", False), ("#row-999999", True)):
        page.goto("about:blank")
        page.goto(inbox + fragment)
        page.wait_for_load_state("domcontentloaded")
        if shown:
            expect(missing).to_be_visible()
            expect(page.locator(".inbox-row:focus")).to_have_count(0)
        else:
            expect(page.locator(f"#row-{ids[1]}")).to_be_focused()
            expect(missing).to_be_hidden()
    assert browser_page.page_errors == []
