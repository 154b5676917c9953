"""The site page in a real Chromium: a phone's width, figures on focus, presets, paging in place."""

import os
from datetime import UTC, datetime, timedelta

import pytest

from server.extensions import db
from server.models import Response, Site

from .conftest import run_axe, sign_in, token_secret
from .test_dashboard import ROOT, seed_site

PHONE = {"width": 390, "height": 844}
#: The phone screenshots docs/dashboard.md shows, rewritten with TOUCHPOINT_UPDATE_SCREENSHOT=1.
SCREENSHOTS = {"site": ROOT / "docs" / "dashboard-phone-site.png",
               "settings": ROOT / "docs" / "dashboard-phone-settings.png"}  # fmt: skip


def seed_previous_period(app, key: str) -> None:
    """Give the site CSAT responses in the 30 days before the default window, and long paths."""
    now = datetime.now(UTC)
    with app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.key == key))
        for index in range(60):
            path = "/products/an-unusually-long-product-page-name-that-must-wrap-on-a-phone"
            db.session.add(
                Response(
                    site=site, metric="csat", score=5 if index % 3 else 2,
                    comment="Ordered quickly" if index % 10 == 0 else None,
                    page_url=f"https://shop.example{path}", page_path=path, phase="consideration",
                    received_at=now - timedelta(days=31 + index % 28),
                )
            )  # fmt: skip
        db.session.commit()


@pytest.fixture
def site_page(browser_page, live_server):
    """Return the page (signed in) and the url of a seeded site with a previous period."""
    key = seed_site(live_server.app, "Phone shop", seed=11)
    seed_previous_period(live_server.app, key)
    sign_in(browser_page.page, live_server.url, token_secret(live_server.app))
    return browser_page.page, f"{live_server.url}/admin/sites/{key}"


def screenshot(page, name: str, tmp_path) -> None:
    """Take a full-page screenshot, into docs/ when asked to update them."""
    update = os.environ.get("TOUCHPOINT_UPDATE_SCREENSHOT") == "1"
    path = SCREENSHOTS[name] if update else tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000


def assert_no_sideways_scrolling(page) -> None:
    """Check that neither the page nor any region in it scrolls sideways at this width."""
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(element => element.clientWidth > 1
                && element.scrollWidth > element.clientWidth + 1
                && getComputedStyle(element).overflowX !== 'visible')
            .map(element => element.parentElement.className + ' > ' + element.className)"""
    )
    assert wide == []


def test_the_site_and_settings_pages_fit_a_phone(site_page, tmp_path):
    page, url = site_page
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert_no_sideways_scrolling(page)
    card = page.locator(".comment-card").first
    assert card.is_visible()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    # The comment comes first in its card, above its facts, in reading order.
    text, facts = card.locator(".comment-text"), card.locator(".comment-facts")
    assert text.bounding_box()["y"] < facts.bounding_box()["y"]
    screenshot(page, "site", tmp_path)
    page.goto(f"{url}/settings")
    assert_no_sideways_scrolling(page)
    screenshot(page, "settings", tmp_path)


def test_keyboard_focus_shows_the_figures_behind_a_verdict(site_page):
    page, url = site_page
    page.goto(f"{url}?metric=csat")
    verdict = page.locator('.headline[data-metric="csat"] .has-tip')
    figures = page.locator("#change-csat")
    assert verdict.get_attribute("aria-describedby") == "change-csat"
    opacity = "element => getComputedStyle(element).opacity"
    assert figures.evaluate(opacity) == "0"
    for _ in range(200):
        page.keyboard.press("Tab")
        if (
            page.evaluate("document.activeElement.getAttribute('aria-describedby')")
            == "change-csat"
        ):
            break
    else:
        pytest.fail("the verdict cannot be reached with the keyboard")
    assert figures.evaluate(opacity) == "1"
    assert "p " in figures.inner_text() and "q " in figures.inner_text()
    assert "responses before" in figures.inner_text()


def test_a_preset_sets_the_days_it_names(site_page):
    page, url = site_page
    page.goto(url)
    page.get_by_role("link", name="Last 7 days").click()
    today = datetime.now(UTC).date()
    assert page.locator("#f-from").input_value() == (today - timedelta(days=6)).isoformat()
    assert page.locator("#f-until").input_value() == today.isoformat()
    assert page.get_by_role("link", name="Last 7 days").get_attribute("aria-current") == "true"
    assert page.get_by_label("Up to and including").input_value() == today.isoformat()


def test_older_comments_keep_the_reader_s_place(site_page):
    page, url = site_page
    page.goto(url)
    first = page.locator(".comment-card").first.get_attribute("data-response")
    page.get_by_role("link", name="Older comments").click()
    page.wait_for_url("**#comments")
    assert page.evaluate("document.activeElement.id") == "comments"
    assert page.evaluate("window.scrollY") > 0
    assert page.locator(".comment-card").first.get_attribute("data-response") != first


def test_the_phone_layout_has_no_accessibility_violations(chromium, live_server):
    context = chromium.new_context(locale="en-US", bypass_csp=True, viewport=PHONE)
    page = context.new_page()
    key = seed_site(live_server.app, "Accessible phone shop", seed=13)
    seed_previous_period(live_server.app, key)
    sign_in(page, live_server.url, token_secret(live_server.app))
    page.goto(f"{live_server.url}/admin/sites/{key}")
    page.locator(".has-tip").first.focus()
    assert run_axe(page) == []
    context.close()
