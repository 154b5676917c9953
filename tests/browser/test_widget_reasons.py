"""The reasons step: after a low score the comment asks what went wrong, six themes to toggle."""

import pytest

from .conftest import posts_of, run_axe

THEMES = {
    "speed": "Too slow",
    "findability": "Hard to find things",
    "unresolved": "My question wasn\N{RIGHT SINGLE QUOTATION MARK}t solved",
    "returns": "Returning was hard",
    "waiting": "Long wait for help",
    "human_contact": "No real person to talk to",
}
WHY = "What went wrong? Tell us more (optional)"


def pick(page, value):
    page.locator(f"touchpoint-widget input[name=score][value='{value}']").check()


@pytest.mark.parametrize(
    ("metric", "low", "high"),
    [("csat", 2, 3), ("ces", 3, 4), ("nps", 6, 7), ("thumbs", 0, 1)],
)
def test_a_low_score_asks_what_went_wrong_and_a_higher_one_does_not(
    open_host_page, site_key, metric, low, high
):
    page = open_host_page(site_key, attributes={"metric": metric})
    page.get_by_role("button", name="Feedback").click()
    pick(page, high)
    assert page.get_by_role("textbox", name="Comment (optional)").is_visible()
    assert page.get_by_role("button", name=THEMES["speed"]).count() == 0
    pick(page, low)
    page.get_by_role("textbox", name=WHY).wait_for()
    group = page.get_by_role("group", name=WHY)
    for name in THEMES.values():
        button = group.get_by_role("button", name=name, exact=True)
        assert button.get_attribute("aria-pressed") == "false"
    pick(page, high)
    page.get_by_role("textbox", name="Comment (optional)").wait_for()
    assert not group.is_visible()


def test_picked_reasons_are_sent_without_repeats(open_host_page, site_key, live_server):
    page = open_host_page(site_key)
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    pick(page, 1)
    for theme in ("waiting", "speed", "human_contact", "speed", "returns"):
        page.get_by_role("button", name=THEMES[theme], exact=True).click()
    assert page.get_by_role("button", name=THEMES["speed"]).get_attribute("aria-pressed") == "false"
    assert run_axe(page) == []
    page.get_by_role("textbox").fill("Forty minutes on hold.")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()
    (body,) = bodies
    # In the order the themes are shown.
    assert body["reasons"] == ["returns", "waiting", "human_contact"]
    assert body["comment"] == "Forty minutes on hold."
    assert body["score"] == 1


def test_reasons_picked_before_a_higher_score_are_not_sent(open_host_page, site_key, live_server):
    page = open_host_page(site_key)
    bodies = posts_of(page, live_server)
    page.get_by_role("button", name="Feedback").click()
    pick(page, 2)
    page.get_by_role("button", name=THEMES["findability"], exact=True).click()
    pick(page, 5)
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()
    assert "reasons" not in bodies[0]


def test_the_themes_are_named_in_the_visitors_language(open_host_page, site_key):
    page = open_host_page(site_key, attributes={"locale": "nl"})
    page.get_by_role("button", name="Feedback").click()
    pick(page, 1)
    page.get_by_role("textbox", name="Wat ging er mis? Vertel het ons (optioneel)").wait_for()
    assert page.get_by_role("button", name="Te traag", exact=True).is_visible()
