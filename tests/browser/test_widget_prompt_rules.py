"""The rules a proactive prompt keeps: frames, the cooldown across tabs, short pages, single-page
apps, hidden tabs, odd event names and bad entries, and paths with escapes."""

import pytest

from . import test_widget_triggers
from .test_widget_triggers import QUESTION, question, trigger

# The same fixture: a site with `widget` settings and a page that embeds its per-site script.
open_site_page = test_widget_triggers.open_site_page

FRAME = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Card</title></head>'
    '<body><input aria-label="Card number"></body></html>'
)


@pytest.fixture
def console(browser_page):
    """Collect the text of every console line of the test's pages."""
    lines = []
    browser_page.context.on(
        "page", lambda page: page.on("console", lambda line: lines.append(line.text))
    )
    browser_page.page.on("console", lambda line: lines.append(line.text))
    return lines


@pytest.mark.parametrize("cross_origin", [False, True], ids=["same-origin", "cross-origin"])
@pytest.mark.parametrize("how", ["trigger", "ask"])
def test_a_prompt_waits_while_the_visitor_types_in_a_frame(
    open_site_page, host_pages, cross_origin, how
):
    src = host_pages.add(FRAME, "/card")
    if cross_origin:
        src = src.replace("127.0.0.1", "localhost")
    body = f'<iframe src="{src}" title="Payment"></iframe>'
    page, _, _ = open_site_page(trigger("event", "go"), body=body)
    card = page.frame_locator("iframe").get_by_role("textbox", name="Card number")
    card.fill("4242 4242")
    assert page.evaluate("document.activeElement.localName") == "iframe"
    if how == "ask":
        page.evaluate(f"Touchpoint.ask({{metric: 'thumbs', question: {QUESTION!r}}})")
    else:
        page.evaluate("Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    # The keys the visitor types still reach the frame's field.
    card.press_sequentially(" 42")
    assert card.input_value() == "4242 4242 42"
    page.get_by_role("heading", name="Host shop").click()
    question(page).wait_for()


def test_a_prompt_shown_and_ignored_starts_the_cooldown_in_every_tab(
    open_site_page, browser_page, console
):
    page, _, _ = open_site_page(trigger("event", "go"))
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()
    assert page.evaluate("typeof JSON.parse(localStorage['touchpoint:asked'])") == "number"
    # The visitor neither answers nor closes it, and opens the site in a new tab.
    other = browser_page.context.new_page()
    other.goto(page.url)
    other.locator("touchpoint-widget").wait_for(state="attached")
    other.evaluate("Touchpoint.track('go')")
    other.wait_for_timeout(300)
    assert not question(other).is_visible()
    assert any("cooldown_days (30)" in line for line in console)


def test_an_ignored_ask_waits_for_the_cooldown_on_the_next_page(open_site_page, console):
    page, _, _ = open_site_page({"metric": "thumbs"})
    ask = f"Touchpoint.ask({{question: {QUESTION!r}}})"
    page.evaluate(ask)
    question(page).wait_for()
    page.reload()
    page.locator("touchpoint-widget").wait_for(state="attached")
    page.evaluate(ask)
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    assert any("cooldown_days" in line for line in console)


@pytest.mark.parametrize(
    ("height", "depth"),
    [(100, 90), (900, 50)],
    ids=["page shorter than the viewport", "threshold in view at load"],
)
def test_scroll_depth_fires_without_a_scroll_when_the_page_is_deep_enough(
    open_site_page, height, depth
):
    body = f'<div style="height: {height}px"></div>'
    page, _, _ = open_site_page(trigger("scroll_depth", depth), body=body)
    question(page).wait_for()
    assert page.evaluate("scrollY") == 0


def test_scroll_depth_fires_when_a_taller_viewport_reaches_it(open_site_page):
    page, _, _ = open_site_page(trigger("scroll_depth", 90), body='<div style="height: 1200px">')
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    page.set_viewport_size({"width": 1280, "height": 1600})
    question(page).wait_for()


def test_a_single_page_app_gets_the_triggers_of_its_new_path(open_site_page):
    checkout = trigger("event", "go", paths=["/checkout/*"])
    page, _, _ = open_site_page(checkout, path="/cart")
    page.evaluate("Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    page.evaluate("history.pushState({}, '', '/checkout/pay'); Touchpoint.track('go')")
    question(page).wait_for()
    # Followed without patching the page's history.
    assert page.evaluate("String(history.pushState).includes('[native code]')")


@pytest.mark.parametrize("navigation_api", [True, False], ids=["navigatesuccess", "popstate"])
def test_a_new_path_arms_its_triggers_without_any_other_event(
    open_site_page, browser_page, navigation_api
):
    if not navigation_api:
        # A browser without the Navigation API (Firefox, Safari before 26) sees pushState
        # only at the next trigger event, and back/forward by `popstate`.
        browser_page.page.add_init_script("delete Window.prototype.navigation")
    # A short page: a scroll_depth trigger fires as soon as it is armed. The clock stands still,
    # so no tick of the widget's timer looks at the path in between.
    checkout = trigger("scroll_depth", 50, paths=["/checkout/*"])
    page, _, _ = open_site_page(checkout, path="/cart", clock=True)
    pause(page)
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    if navigation_api:
        page.evaluate("history.pushState({}, '', '/checkout/pay')")
    else:
        page.evaluate("history.pushState({}, '', '/checkout/pay'); history.pushState({}, '', '/x')")
        page.wait_for_timeout(300)
        assert not question(page).is_visible()
        page.evaluate("history.back()")
    question(page).wait_for()


def test_time_on_page_starts_again_on_a_new_path(open_site_page):
    page, _, _ = open_site_page(trigger("time_on_page", 30), clock=True)
    pause(page)
    page.clock.run_for(20_000)
    page.evaluate("history.pushState({}, '', '/other')")
    page.clock.run_for(20_000)
    # Time for a prompt that fired to show (the lazy module is fetched in real time).
    page.wait_for_timeout(500)
    assert not question(page).is_visible()
    page.clock.run_for(11_000)
    question(page).wait_for()


def test_the_visit_cap_holds_across_paths_of_a_single_page_app(open_site_page, console):
    page, _, _ = open_site_page({"cooldown_days": 0, **trigger("event", "go")}, path="/a")
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()
    page.get_by_role("button", name="Close").click()
    page.evaluate("history.pushState({}, '', '/b'); Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    assert any("shown in this visit" in line for line in console)


def test_time_on_page_counts_only_visible_time(open_site_page):
    page, _, _ = open_site_page(trigger("time_on_page", 30), clock=True)
    pause(page)
    # The page loaded on a running clock: a second or two counted already.
    page.clock.run_for(15_000)
    hide(page, True)
    page.clock.run_for(60_000)
    page.wait_for_timeout(500)
    assert not question(page).is_visible()
    hide(page, False)
    page.clock.run_for(5_000)
    page.wait_for_timeout(500)
    assert not question(page).is_visible()
    page.clock.run_for(12_000)
    question(page).wait_for()


def pause(page):
    """Stop the page's clock: from now on it moves only with `run_for`."""
    page.clock.pause_at(page.evaluate("Date.now() + 1"))


def hide(page, hidden):
    """Hide or show the page's tab as the browser does: its visibility, then the event."""
    # Headless Chromium keeps every tab visible, so the page is told its state the way the
    # browser tells it (the properties the widget reads, then `visibilitychange`).
    state = "hidden" if hidden else "visible"
    page.evaluate(
        """(hidden) => {
        Object.defineProperty(document, 'hidden', {value: hidden, configurable: true});
        Object.defineProperty(document, 'visibilityState',
                              {value: hidden ? 'hidden' : 'visible', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
        }""",
        hidden,
    )
    assert page.evaluate("document.visibilityState") == state


@pytest.mark.parametrize("name", ["__proto__", "constructor", "toString", "hasOwnProperty"])
def test_track_of_an_object_property_name_is_just_an_event(open_site_page, browser_page, name):
    warnings = []
    page, _, _ = open_site_page(trigger("event", "go"))
    page.on("console", lambda line: line.type == "warning" and warnings.append(line.text))
    page.evaluate("(name) => Touchpoint.track(name)", name)
    page.wait_for_timeout(200)
    assert not question(page).is_visible()
    assert warnings == []
    assert browser_page.page_errors == []
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()


def test_bad_trigger_entries_are_skipped_and_the_others_armed(open_site_page, browser_page):
    good = trigger("event", "go")["triggers"][0]
    page, _, _ = open_site_page({"triggers": [None, 5, "event", [], {}, good]})
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()
    assert browser_page.page_errors == []


@pytest.mark.parametrize(
    ("paths", "path"),
    [(["/café/*"], "/café/1"), (["/%E0%A4%A/*"], "/%E0%A4%A/3")],
    ids=["decoded", "malformed escape, raw"],
)
def test_paths_fit_the_decoded_path(open_site_page, host_pages, paths, path):
    page, _, _ = open_site_page(trigger("event", "go", paths=paths))
    # The same page, moved to the path (the host pages' server knows only its own).
    page.evaluate("(path) => history.replaceState({}, '', path)", path)
    assert page.evaluate("location.pathname") in {"/caf%C3%A9/1", path}
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()
