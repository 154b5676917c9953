"""The widget on a host page: no requests, cookies, storage or globals until used; isolated."""

import pytest

from .conftest import host_html, stub_script


def test_page_load_makes_no_request_sets_no_cookie_writes_no_storage(
    browser_page, open_host_page, site_key, live_server
):
    requests = []
    browser_page.page.on("request", lambda request: requests.append(request.url))
    page = open_host_page(site_key)
    page.wait_for_timeout(300)

    assert [url for url in requests if url.startswith(live_server.url)] == [
        f"{live_server.url}/widget.js"
    ]
    assert browser_page.context.cookies() == []
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.get_by_role("button", name="Feedback").is_visible()
    assert browser_page.console_errors == [] and browser_page.page_errors == []


def test_the_widget_adds_exactly_one_global(
    browser_page, open_host_page, host_pages, live_server, site_key
):
    page = browser_page.page
    page.goto(host_pages.add(host_html(live_server.url, None)))
    before = set(page.evaluate("Object.keys(window)"))
    open_host_page(site_key)
    after = set(page.evaluate("Object.keys(window)"))
    assert after - before == {"Touchpoint"}


HOSTILE_CSS = (
    "<style>button{background:#f0f!important;color:#0f0!important;font-size:40px!important;"
    "padding:0!important;border:9px dotted red!important}"
    '*{font-family:"Comic Sans MS",cursive!important;letter-spacing:9px!important}'
    "dialog,h2,p,label,input,textarea,fieldset{display:none!important}"
    "touchpoint-widget{display:none!important;opacity:0!important}</style>"
)

STYLE_OF = """el => { const s = getComputedStyle(el);
  return {font: s.fontFamily, size: s.fontSize, background: s.backgroundColor,
          spacing: s.letterSpacing, border: s.borderTopStyle, display: s.display} }"""


def test_host_css_cannot_restyle_the_widget(open_host_page, site_key):
    page = open_host_page(site_key, head=HOSTILE_CSS)
    trigger = page.get_by_role("button", name="Feedback")
    style = trigger.evaluate(STYLE_OF)
    assert "Comic Sans" not in style["font"]
    assert style["size"] == "15px"
    assert style["background"] == "rgb(31, 79, 209)"
    assert style["spacing"] == "normal"
    assert style["border"] == "solid"
    assert trigger.is_visible()

    trigger.click()
    dialog = page.get_by_role("dialog")
    # The dialog opens at once and says "Loading…" until the site's settings are in; the
    # scale comes with the question.
    page.get_by_role("radio").first.wait_for(state="attached")
    assert page.get_by_role("radio").count() == 5
    assert page.get_by_text("Send").is_visible()
    assert "Comic Sans" not in dialog.evaluate(STYLE_OF)["font"]
    assert page.get_by_role("textbox", name="Comment (optional)").is_visible()


def test_shadow_root_is_open(open_host_page, site_key):
    page = open_host_page(site_key)
    assert page.evaluate("document.querySelector('touchpoint-widget').shadowRoot !== null")


@pytest.mark.parametrize(
    ("position", "edge"),
    [("bottom-right", "right"), ("bottom-left", "left"), ("right", "right"), ("left", "left")],
)
def test_position_puts_the_trigger_on_its_edge(open_host_page, site_key, position, edge):
    page = open_host_page(site_key, attributes={"position": position})
    box = page.get_by_role("button", name="Feedback").bounding_box()
    width = page.viewport_size["width"]
    if edge == "right":
        assert box["x"] + box["width"] > width - 40
    else:
        assert box["x"] < 40


@pytest.mark.parametrize(
    ("color", "text"),
    [("#ffd400", "rgb(0, 0, 0)"), ("#0b3d2e", "rgb(255, 255, 255)"), ("#fff", "rgb(0, 0, 0)")],
)
def test_custom_color_gets_readable_text(open_host_page, site_key, color, text):
    page = open_host_page(site_key, attributes={"color": color, "label": "Tell us"})
    trigger = page.get_by_role("button", name="Tell us")
    assert trigger.evaluate("el => getComputedStyle(el).color") == text


def test_calls_never_throw_into_the_host_page(browser_page, open_host_page, site_key):
    page = open_host_page(site_key)
    page.evaluate(
        """() => {
          Touchpoint('no-such-method'); Touchpoint.setTags(null); Touchpoint.ask(42);
          Touchpoint.on('open', () => { throw new Error('host callback fails') });
          // Names that are properties of every object are event names like any other: taking
          // them warns of nothing (the widget warns of what it could not do).
          window.heard = [];
          window.warned = [];
          const warn = console.warn;
          console.warn = (...args) => warned.push(String(args[0]));
          for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
            Touchpoint.on(name, () => heard.push(name));
          }
          console.warn = warn;
          Touchpoint.on('open', () => heard.push('open'));
          Touchpoint.open({metric: 'bogus'});
        }"""
    )
    page.get_by_role("dialog").wait_for()
    assert page.evaluate("warned") == [] and page.evaluate("heard") == ["open"]
    assert page.evaluate("typeof Object.prototype.push") == "undefined"
    assert browser_page.page_errors == []


def test_without_a_site_key_the_page_is_untouched(browser_page, live_server, host_pages):
    page = browser_page.page
    html = host_html(live_server.url, "", head=stub_script(["setPhase", "loyalty"], ["open"]))
    page.goto(host_pages.add(html))
    # No element to wait for without a site key; this page has no CSP, so the string may run.
    page.wait_for_function("window.Touchpoint && window.Touchpoint.loaded")
    page.evaluate("Touchpoint.open()")
    assert page.locator("touchpoint-widget").count() == 0
    assert browser_page.page_errors == []


def test_a_second_copy_of_the_script_changes_nothing(open_host_page, live_server, site_key):
    second = (
        f'<script src="{live_server.url}/widget.js?again" data-site="{site_key}" defer></script>'
    )
    page = open_host_page(site_key, head=second)
    page.wait_for_load_state("load")
    assert page.locator("touchpoint-widget").count() == 1
    assert page.get_by_role("button", name="Feedback").count() == 1
