"""The per-site script and proactive prompts: settings inlined, triggers, sampling and the cap."""

import pytest

from .conftest import server_requests, site_script_html

QUESTION = "How was checking out?"
TALL = '<div style="height: 4000px">Long page</div>'


@pytest.fixture
def open_site_page(browser_page, live_server, host_pages):
    """Return a function that makes a site with `widget` settings and loads a page embedding
    its per-site script; it returns (page, site key, requests made to the server)."""

    def load(widget=None, path="/", body="", clock=False, random=None):
        key = live_server.create_site(allowed_origins=[host_pages.url], widget=widget or {})
        page = browser_page.page
        if clock:
            page.clock.install()
        if random is not None:
            page.add_init_script(f"Math.random = () => {random}")
        requests = server_requests(page, live_server)
        page.goto(host_pages.add(site_script_html(live_server.url, key, body=body), path))
        page.locator("touchpoint-widget").wait_for(state="attached")
        return page, key, requests

    return load


def trigger(on, value=None, **extra):
    return {"triggers": [{"on": on, "value": value, "question": QUESTION, **extra}]}


def question(page):
    return page.get_by_role("heading", name=QUESTION)


def test_the_per_site_script_makes_no_request_before_interaction(open_site_page, live_server):
    page, key, requests = open_site_page({"label": "Tell us", "metric": "thumbs"})
    assert requests == [f"{live_server.url}/w/{key}.js"]
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    page.get_by_role("button", name="Tell us").hover()
    page.wait_for_function("performance.getEntriesByType('resource').length >= 2")
    assert [url.rsplit("/", 2)[1] for url in requests[1:]] == ["widget"]


def test_the_question_shows_in_the_first_frame_after_the_click(open_site_page):
    page, _, requests = open_site_page(
        {"metric": "nps", "questions": {"en": {"nps": "Would you tell a friend?"}}}
    )
    page.evaluate(
        """() => {
        const root = document.querySelector('touchpoint-widget').shadowRoot;
        root.querySelector('.trigger').addEventListener('click', () =>
            requestAnimationFrame(() => {
                window.firstFrame = [root.querySelector('h2').textContent,
                                     root.querySelectorAll('input[name=score]').length];
            }));
        }"""
    )
    page.get_by_role("button", name="Feedback").click()
    page.wait_for_function("window.firstFrame")
    assert page.evaluate("window.firstFrame") == ["Would you tell a friend?", 11]
    assert not any(url.endswith("/config") for url in requests)


def test_data_attributes_on_the_tag_still_win(open_site_page, live_server, host_pages):
    page, key, _ = open_site_page({"label": "From settings", "metric": "ces"})
    html = site_script_html(live_server.url, key).replace(
        '.js" defer>', '.js" data-label="From the tag" data-metric="thumbs" defer>'
    )
    page.goto(host_pages.add(html))
    page.get_by_role("button", name="From the tag").click()
    page.get_by_role("heading", name="Was this page helpful?").wait_for()


def test_time_on_page_fires_at_its_second(open_site_page):
    page, _, _ = open_site_page(trigger("time_on_page", 30), clock=True)
    page.clock.run_for(29_000)
    assert not question(page).is_visible()
    page.clock.run_for(2_000)
    question(page).wait_for()
    # The button stays the visitor's way in.
    assert page.locator("touchpoint-widget .trigger").is_visible()


def test_scroll_depth_fires_past_its_share_of_the_page(open_site_page):
    page, _, _ = open_site_page(trigger("scroll_depth", 60), body=TALL)
    page.mouse.wheel(0, 1000)
    page.wait_for_function("scrollY > 900")
    page.wait_for_timeout(200)
    assert not question(page).is_visible()
    page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
    question(page).wait_for()


def test_an_event_trigger_fires_on_track_of_its_name_only(open_site_page):
    page, _, requests = open_site_page(trigger("event", "checkout_done", metric="ces"))
    page.evaluate("Touchpoint.track('added_to_cart')")
    page.wait_for_timeout(200)
    assert not question(page).is_visible()
    assert len(requests) == 1
    page.evaluate("Touchpoint.track('checkout_done')")
    question(page).wait_for()
    assert page.get_by_role("radio").count() == 7


def test_exit_intent_fires_when_the_mouse_leaves_through_the_top(open_site_page):
    page, _, _ = open_site_page(trigger("exit_intent"))
    page.mouse.move(300, 300)
    page.mouse.move(300, 400)
    page.wait_for_timeout(200)
    assert not question(page).is_visible()
    page.mouse.move(300, 5)
    page.mouse.move(300, -20)
    question(page).wait_for()


@pytest.mark.parametrize(("random", "shown"), [(0.29, True), (0.31, False)])
def test_sampling_is_one_draw_per_page_view(open_site_page, random, shown):
    messages = []
    page, _, _ = open_site_page({**trigger("event", "go"), "sampling": 0.3}, random=random)
    page.on("console", lambda message: messages.append(message.text))
    page.evaluate("Touchpoint.track('go')")
    if shown:
        question(page).wait_for()
    else:
        page.wait_for_timeout(300)
        assert not question(page).is_visible()
        page.reload()
        page.evaluate("Touchpoint.track('go')")
        page.wait_for_timeout(300)
        assert any("not sampled" in text for text in messages)


def test_paths_limit_where_a_trigger_fires(open_site_page):
    page, _, _ = open_site_page(trigger("event", "go", paths=["/checkout/*"]), path="/checkout")
    page.evaluate("Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()


def test_a_prompt_shows_at_most_once_per_visit_and_then_waits_for_the_cooldown(
    open_site_page, browser_page, host_pages
):
    messages = []
    page, _, _ = open_site_page(trigger("event", "go"), path="/checkout/pay")
    page.on("console", lambda message: messages.append(message.text))
    page.evaluate("Touchpoint.track('go')")
    question(page).wait_for()
    page.get_by_role("button", name="Close").click()
    page.reload()
    page.evaluate("Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    assert any("shown in this visit" in text for text in messages)
    # Another tab is another visit; the dismissal started the cooldown there too.
    other = browser_page.context.new_page()
    other.on("console", lambda message: messages.append(message.text))
    other.goto(page.url)
    other.locator("touchpoint-widget").wait_for(state="attached")
    other.evaluate("Touchpoint.track('go')")
    other.wait_for_timeout(300)
    assert not question(other).is_visible()
    assert any("cooldown_days" in text for text in messages)


def test_a_prompt_waits_while_the_visitor_types_in_a_field(open_site_page):
    page, _, _ = open_site_page(trigger("event", "go"))
    page.get_by_role("textbox", name="Search").fill("blue shoes")
    page.evaluate("Touchpoint.track('go')")
    page.wait_for_timeout(300)
    assert not question(page).is_visible()
    page.get_by_role("heading", name="Host shop").click()
    question(page).wait_for()
