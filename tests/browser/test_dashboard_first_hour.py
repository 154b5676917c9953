"""A first-time owner in a real Chromium: add a site, paste the snippet on their page, see it work.

The owner's page is served from another origin (the host pages' server), exactly as a real
shop embeds Touchpoint; a page on a third origin is refused and then allowed with one click.
"""

import pytest
from playwright.sync_api import expect

from server.extensions import db
from server.models import Site
from server.sites.refused_origins import count_refused_origin

from .conftest import run_axe, sign_in, token_secret, wait_for_widget

#: The install check polls every few seconds; the owner waits at most this long, in ms.
CHECK_WAIT = 20_000


def owner_page(snippet: str) -> str:
    """Return the owner's own shop page with the snippet pasted into its head."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>My shop</title>'
        f"{snippet}</head><body><main><h1>My shop</h1><p>Boots and jackets.</p></main>"
        "</body></html>"
    )


def send_feedback(page) -> None:
    """Open the widget, pick a score and send it, as a visitor would."""
    wait_for_widget(page)
    page.get_by_role("button", name="Feedback").click()
    page.get_by_role("radio", name="5 \N{EN DASH} very satisfied", exact=True).check()
    page.get_by_role("button", name="Send").click()


def allowed_origins(app, name: str) -> list[str]:
    """Return the allowed origins of the site called `name`, read afresh."""
    with app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.name == name))
        origins = list(site.allowed_origins)
        db.session.remove()
        return origins


def test_a_first_time_owner_goes_from_sign_in_to_a_first_response(
    browser_page, live_server, host_pages
):
    page = browser_page.page
    browser_page.context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    sign_in(page, live_server.url, token_secret(live_server.app))
    page.get_by_role("link", name="Add a site").click()
    expect(page.get_by_role("heading", name="Add a site")).to_be_visible()
    page.get_by_label("Name").fill("First hour shop")
    page.get_by_label("Allowed origins").fill(host_pages.url)
    page.get_by_role("button", name="Add the site").click()

    expect(page.get_by_role("heading", name="Install First hour shop")).to_be_visible()
    expect(page.locator("#check-status")).to_have_text("Waiting for the first response…")
    page.get_by_role("button", name="Copy snippet").click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    snippet = page.evaluate("navigator.clipboard.readText()")
    assert snippet == page.locator("#snippet").inner_text()
    assert snippet.startswith("<script ") and live_server.url in snippet

    shop = browser_page.context.new_page()
    shop.goto(host_pages.add(owner_page(snippet), "/products/boots"))
    send_feedback(shop)
    shop.get_by_text("Thank you! Your feedback was sent.").wait_for()

    expect(page.locator("#check-status")).to_contain_text("Received ✓ at", timeout=CHECK_WAIT)
    expect(page.locator("#check-status")).to_have_class("ok")

    # The same page on another origin (localhost, not 127.0.0.1) is refused and counted.
    stranger = host_pages.url.replace("127.0.0.1", "localhost")
    shop.goto(
        host_pages.add(owner_page(snippet), "/products/jackets").replace("127.0.0.1", "localhost")
    )
    send_feedback(shop)
    allow = page.get_by_role("button", name=f"Allow {stranger}")
    expect(allow).to_be_visible(timeout=CHECK_WAIT)
    allow.click()
    expect(page.get_by_role("status").filter(has_text="is allowed now")).to_be_visible()
    assert allowed_origins(live_server.app, "First hour shop") == [host_pages.url, stranger]
    expect(page.get_by_role("button", name=f"Allow {stranger}")).to_have_count(0)

    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_role("heading", name="First hour shop")).to_be_visible()
    assert page.get_by_text("Get started").count() == 0
    assert browser_page.page_errors == []


def test_the_copy_button_selects_the_snippet_without_a_clipboard(
    browser_page, live_server, host_pages
):
    page = browser_page.page
    sign_in(page, live_server.url, token_secret(live_server.app))
    key = live_server.create_site(name="No clipboard", allowed_origins=[host_pages.url])
    page.goto(f"{live_server.url}/admin/sites/{key}/install")
    page.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.get_by_role("button", name="Copy snippet").click()
    expect(page.locator(".copy-status")).to_contain_text("Selected")
    selected = page.evaluate("window.getSelection().toString()")
    assert selected == page.locator("#snippet").inner_text()


@pytest.fixture
def axe_page(axe_page, live_server):
    """Return the accessibility checks' page, signed in."""
    sign_in(axe_page, live_server.url, token_secret(live_server.app))
    return axe_page


@pytest.mark.parametrize(
    "path", ["/admin/", "/admin/sites/new", "/admin/sites/{key}/install", "/admin/sites/{key}"]
)
def test_the_first_hour_pages_have_no_accessibility_violations(axe_page, live_server, path):
    key = live_server.create_site(name="Axe shop", allowed_origins=["https://shop.example"])
    with live_server.app.app_context():
        site = db.session.scalar(db.select(Site).where(Site.key == key))
        count_refused_origin(site.id, "https://stranger.example")
        db.session.remove()
    axe_page.goto(live_server.url + path.format(key=key))
    assert run_axe(axe_page) == []


def test_the_tokens_pages_have_no_accessibility_violations_and_show_a_secret_once(axe_page):
    page = axe_page
    page.get_by_role("link", name="Tokens").click()
    expect(page.get_by_role("heading", name="Tokens", exact=True)).to_be_visible()
    assert run_axe(page) == []
    page.get_by_label("Name").fill("Reporting script")
    page.get_by_label("Read-only").check()
    page.get_by_role("button", name="Create the token").click()
    secret = page.locator("#new-secret").inner_text()
    assert secret.startswith("tp_")
    assert run_axe(page) == []
    page.get_by_role("link", name="Revoke Reporting script").click()
    assert run_axe(page) == []
    page.get_by_role("button", name="Revoke the token").click()
    expect(page.get_by_text("Token Reporting script is revoked.")).to_be_visible()
    assert secret not in page.content()


def test_the_new_site_form_shows_errors_accessibly(axe_page, live_server):
    page = axe_page
    page.goto(f"{live_server.url}/admin/sites/new")
    page.get_by_label("Name").fill("Broken")
    page.get_by_label("Allowed origins").fill("shop.example/path")
    page.get_by_role("button", name="Add the site").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#error-allowed_origins\\.0")).to_contain_text("Not an origin")
    assert run_axe(page) == []
