"""The widget under a strict Content-Security-Policy: no 'unsafe-inline', no eval, no violation."""

RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))"""


def test_the_widget_works_under_a_strict_csp(browser_page, open_host_page, site_key, live_server):
    policy = (
        f"default-src 'self'; script-src {live_server.url}; connect-src {live_server.url}; "
        "style-src 'self'"
    )
    browser_page.page.add_init_script(RECORD_VIOLATIONS)
    page = open_host_page(site_key, path="/checkout", headers={"Content-Security-Policy": policy})
    trigger = page.get_by_role("button", name="Feedback")
    assert trigger.evaluate("el => getComputedStyle(el).position") == "fixed"
    trigger.click()
    page.get_by_role("radio", name="5 \N{EN DASH} very satisfied").check()
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Your feedback was sent").wait_for()

    assert len(live_server.wait_for_rows(site_key, 1)) == 1
    assert page.evaluate("cspViolations") == []
    assert browser_page.console_errors == []
    assert browser_page.page_errors == []
