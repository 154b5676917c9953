"""The admin dashboard in a real Chromium: sign-in, the numbers, safety, settings, accessibility."""

import os
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.insight.stats import site_stats
from server.insight.themes import comment_mask
from server.models import PHASES, Response, Site
from server.sites.keys import new_site_key

from .conftest import run_axe, sign_in, token_secret

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "dashboard.png"

HOSTILE = [
    "<script>window.owned = true; document.title = 'owned'</script>",
    "<img src=x onerror=\"window.owned = true; document.title = 'owned'\">",
]

#: Pages of a demo shop per phase, with the share of satisfied visitors each tends to give.
JOURNEY = {
    "awareness": (["/blog/gift-guide", "/blog/sizing"], 0.82),
    "consideration": (["/products/boots", "/products/jackets", "/search"], 0.74),
    "conversion": (["/cart", "/checkout/pay"], 0.4),
    "loyalty": (["/account", "/orders"], 0.7),
    "advocacy": (["/review", "/refer"], 0.95),
}

COMMENTS = {
    True: [
        "Found the right size in seconds.",
        "Snel geleverd en makkelijk besteld.",
        "Great advice in the blog.",
        "Smooth checkout, thanks!",
    ],
    False: [
        "The payment page took ages to load.",
        "Kon de retourvoorwaarden niet vinden.",
        "I had to explain my problem again to a chatbot.",
        "Waited 40 minutes on the phone.",
        "Returning the boots is far too complicated.",
    ],
}


def seed_site(app, name: str, seed: int = 7) -> str:
    """Create a site with a month of realistic CSAT and NPS responses; return its key."""
    generator = random.Random(seed)
    now = datetime.now(UTC)
    with app.app_context():
        site = Site(
            key=new_site_key(),
            name=name,
            allowed_origins=["https://shop.example"],
            phase_rules=[{"match": "/checkout*", "phase": "conversion"}],
            widget={"metric": "csat"},
        )
        db.session.add(site)
        rows = []
        for phase, (paths, satisfied) in JOURNEY.items():
            for _ in range(70):
                happy = generator.random() < satisfied
                path = generator.choice(paths)
                comment = generator.choice(COMMENTS[happy]) if generator.random() < 0.3 else None
                rows.append(
                    Response(
                        site=site,
                        metric="csat",
                        score=generator.choice((4, 5) if happy else (1, 2, 3)),
                        comment=comment,
                        themes=comment_mask(comment),
                        page_url=f"https://shop.example{path}",
                        page_path=path,
                        phase=phase,
                        received_at=now - timedelta(minutes=generator.randrange(1, 29 * 24 * 60)),
                    )
                )
            for _ in range(25):
                rows.append(
                    Response(
                        site=site,
                        metric="nps",
                        score=generator.choice(range(11)),
                        page_url="https://shop.example/review",
                        page_path="/review",
                        phase=phase,
                        received_at=now - timedelta(minutes=generator.randrange(1, 29 * 24 * 60)),
                    )
                )
        db.session.add_all(rows)
        db.session.commit()
        return site.key


def api_stats(app, site_key: str, metric: str, group_by: str) -> dict:
    """Return the stats the API gives, computed by the same function inside the live app."""
    with app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.key == site_key))
        return site_stats(site, metric, group_by, {})


@pytest.fixture
def dashboard(browser_page, live_server):
    """Return the page, the live server and a seeded site's key, signed in read-write."""
    key = seed_site(live_server.app, "Demo shop")
    sign_in(browser_page.page, live_server.url, token_secret(live_server.app))
    return browser_page.page, live_server, key


def test_every_view_shows_the_numbers_of_the_api(dashboard, browser_page):
    page, server, key = dashboard
    page.locator(f'a[href="/admin/sites/{key}"]').click()
    page.get_by_role("heading", name="Demo shop").wait_for()

    for metric in ("csat", "nps"):
        overall = api_stats(server.app, key, metric, "none")["overall"]
        card = page.locator(f'.headline[data-metric="{metric}"]')
        assert float(card.locator("[data-score]").inner_text()) == overall["score"]
        assert str(overall["count"]) in card.locator("[data-interval]").inner_text()

    phases = {
        group["key"]: group for group in api_stats(server.app, key, "csat", "phase")["groups"]
    }
    for phase in PHASES:
        row = page.locator(f'tr[data-phase="{phase}"]')
        assert float(row.locator("[data-score]").inner_text()) == phases[phase]["score"]
        assert int(row.locator("[data-count]").inner_text()) == phases[phase]["count"]
    assert page.locator("svg.intervals circle.score").count() == len(PHASES)

    for group in api_stats(server.app, key, "csat", "page")["groups"]:
        row = page.locator(f'tr[data-page="{group["key"]}"]')
        assert float(row.locator("[data-score]").inner_text()) == group["score"]

    page.get_by_role("link", name="NPS").first.click()
    nps = api_stats(server.app, key, "nps", "phase")
    row = page.locator('tr[data-phase="conversion"]')
    conversion = next(group for group in nps["groups"] if group["key"] == "conversion")
    assert float(row.locator("[data-score]").inner_text()) == conversion["score"]
    assert not browser_page.page_errors and not browser_page.console_errors


def test_the_dashboard_looks_right(dashboard, tmp_path):
    page, server, key = dashboard
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/admin/sites/{key}")
    target = SCREENSHOT if os.environ.get("TOUCHPOINT_UPDATE_SCREENSHOT") == "1" else tmp_path
    path = target if target == SCREENSHOT else tmp_path / "dashboard.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the site page scrolls sideways on a phone"


def test_a_hostile_comment_is_text_and_runs_nothing(dashboard, browser_page):
    page, server, key = dashboard
    with server.app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.key == key))
        for comment in HOSTILE:
            db.session.add(
                Response(
                    site=site,
                    metric="csat",
                    score=1,
                    comment=comment,
                    page_url="https://shop.example/x",
                    page_path="/x",
                )
            )
        db.session.commit()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server.url}/admin/sites/{key}?metric=csat")
    cells = page.locator(".comment-card .comment-text").all_inner_texts()
    for comment in HOSTILE:
        assert comment in cells
    assert page.evaluate("window.owned") is None
    assert page.title() != "owned"
    assert page.locator(".comment-text img, .comment-text script").count() == 0
    assert not dialogs


def test_a_theme_tag_shows_the_words_behind_it_on_hover_and_focus(dashboard):
    page, server, key = dashboard
    comment = "Ik stond 40 minuten in de wacht bij de klantenservice"
    with server.app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.key == key))
        db.session.add(
            Response(
                site=site, metric="csat", score=1, comment=comment, themes=comment_mask(comment),
                page_url="https://shop.example/x", page_path="/x",
                received_at=datetime.now(UTC),
            )
        )  # fmt: skip
        db.session.commit()
    page.goto(f"{server.url}/admin/sites/{key}?metric=csat")
    row = page.locator(".comment-card[data-response]").filter(has_text="40 minuten")
    tag = row.locator('.theme-tag[data-theme="waiting"]')
    evidence = tag.locator(".evidence")
    opacity = "element => getComputedStyle(element).opacity"
    assert evidence.evaluate(opacity) == "0"
    tag.focus()
    assert evidence.evaluate(opacity) == "1"
    assert evidence.inner_text() == "“in de wacht”"
    page.locator("h1").first.hover()
    tag.blur()
    assert evidence.evaluate(opacity) == "0"
    tag.hover()
    assert evidence.evaluate(opacity) == "1"


def test_a_form_without_its_csrf_token_is_refused(dashboard):
    page, server, key = dashboard
    page.goto(f"{server.url}/admin/sites/{key}/settings")
    page.evaluate("document.querySelector('#settings-form input[name=csrf_token]').remove()")
    page.get_by_label("Name", exact=True).fill("Renamed without a token")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_role("heading", name="400 Bad Request").wait_for()
    with server.app.app_context():
        assert db.session.scalar(db.select(Site.name).where(Site.key == key)) == "Demo shop"


def test_settings_change_and_the_phase_tester_uses_the_saved_rules(dashboard):
    page, server, key = dashboard
    page.goto(f"{server.url}/admin/sites/{key}/settings")
    page.get_by_label("Path pattern 2").fill("/account*")
    page.get_by_label("Phase of rule 2").select_option("loyalty")
    # Typing a bare path into the tester never blocks saving: it is a form of its own.
    page.get_by_label("Path or address").fill("/account/orders")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved.").wait_for()
    with server.app.app_context():
        rules = db.session.scalar(db.select(Site.phase_rules).where(Site.key == key))
    assert rules[-1] == {"match": "/account*", "phase": "loyalty"}
    page.get_by_label("Path or address").fill("https://shop.example/account/orders?x=1")
    page.get_by_role("button", name="Test", exact=True).click()
    expect(page.locator("#tester-result")).to_have_text(
        "Path /account/orders: phase Loyalty, set by rule 2 (/account*)."
    )
    page.get_by_label("Path or address").fill("/about")
    page.get_by_role("button", name="Test", exact=True).click()
    page.get_by_text("no rule fits").wait_for()


def test_the_snippet_copies(dashboard, browser_page):
    page, server, key = dashboard
    browser_page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.goto(f"{server.url}/admin/sites/{key}/settings")
    page.get_by_role("button", name="Copy snippet").click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f'<script src="{server.url}/w/{key}.js" defer></script>'


def test_a_read_only_token_cannot_change_settings(browser_page, live_server):
    page = browser_page.page
    key = seed_site(live_server.app, "Read-only shop", seed=8)
    sign_in(page, live_server.url, token_secret(live_server.app, read_only=True))
    page.goto(f"{live_server.url}/admin/sites/{key}/settings")
    assert page.get_by_label("Name", exact=True).is_disabled()
    assert page.get_by_role("button", name="Save settings").count() == 0
    page.evaluate(
        "document.querySelectorAll('fieldset').forEach(f => f.disabled = false);"
        "document.getElementById('name').value = 'Changed';"
        "document.getElementById('settings-form').submit()"
    )
    page.get_by_role("heading", name="403 Forbidden").wait_for()
    with live_server.app.app_context():
        assert db.session.scalar(db.select(Site.name).where(Site.key == key)) == "Read-only shop"


def test_sign_out_ends_the_session(dashboard):
    page, server, _ = dashboard
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You are signed out.").wait_for()
    page.goto(f"{server.url}/admin/")
    assert re.search(r"/admin/sign-in", page.url)
    page.get_by_role("heading", name="Sign in").wait_for()


def test_the_dutch_dashboard(dashboard):
    page, server, key = dashboard
    page.goto(f"{server.url}/admin/sites/{key}")
    page.get_by_role("link", name="Nederlands").click()
    page.get_by_role("heading", name="Klantreis · CSAT").wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/sites/{key}", "/admin/sites/{key}/settings", "/admin/no-such-page"],
)
@pytest.mark.parametrize("language", ["English", "Nederlands"])
def test_pages_have_no_accessibility_violations(axe_page, live_server, path, language):
    key = seed_site(live_server.app, "Accessible shop", seed=9)
    sign_in(axe_page, live_server.url, token_secret(live_server.app))
    axe_page.get_by_role("link", name=language).click()
    axe_page.goto(live_server.url + path.format(key=key))
    assert run_axe(axe_page) == []


def test_sign_in_page_has_no_accessibility_violations(axe_page, live_server):
    axe_page.goto(f"{live_server.url}/admin/sign-in")
    assert run_axe(axe_page) == []
