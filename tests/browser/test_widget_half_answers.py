"""Half answers: a chosen score is sent once on close or page hide; a comment follows it."""

from .conftest import posts_of

HIDE = (
    "Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});"
    "document.dispatchEvent(new Event('visibilitychange'))"
)


def pick(page, value):
    page.locator(f"touchpoint-widget input[name=score][value='{value}']").check()


def test_a_score_left_on_close_is_sent_once_and_the_comment_follows_it(
    open_host_page, site_key, live_server
):
    page = open_host_page(site_key)
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    pick(page, 4)
    page.get_by_role("textbox").fill("not sent until Send")
    page.get_by_role("button", name="Close").click()
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.score, row.comment) == (4, None)
    assert len(bodies) == 1 and "comment" not in bodies[0]
    assert row.event_id == bodies[0]["event_id"]

    # Back in the same page: the same prompt, the score still chosen; closing again sends nothing.
    page.get_by_role("button", name="Feedback").click()
    assert page.locator("touchpoint-widget input[value='4']").is_checked()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("textbox").fill("Found it after all.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()
    assert len(bodies) == 2
    assert bodies[1]["event_id"] == bodies[0]["event_id"]
    assert (bodies[1]["score"], bodies[1]["comment"]) == (4, "Found it after all.")
    assert len(live_server.rows(site_key)) == 1


def test_a_score_is_sent_once_when_the_page_is_hidden_then_left(
    open_host_page, site_key, live_server
):
    page = open_host_page(site_key)
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    pick(page, 2)
    page.evaluate(HIDE)
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert row.score == 2
    page.goto("about:blank")
    assert len(bodies) == 1
    assert len(live_server.rows(site_key)) == 1


def test_leaving_the_page_sends_the_chosen_score(open_host_page, site_key, live_server):
    page = open_host_page(site_key, attributes={"metric": "nps"})
    page.get_by_role("button", name="Feedback").click()
    pick(page, 9)
    page.goto("about:blank")
    (row,) = live_server.wait_for_rows(site_key, 1)
    assert (row.metric, row.score) == ("nps", 9)


def test_closing_without_a_score_sends_nothing(open_host_page, site_key, live_server):
    page = open_host_page(site_key)
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("button", name="Close").click()
    page.evaluate(HIDE)
    page.wait_for_timeout(300)
    assert bodies == []
