"""The interactive API docs: served from this server, started under a strict policy."""

RECORD_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation',
  e => cspViolations.push(e.violatedDirective + ' ' + e.blockedURI))"""


def test_the_docs_render_every_operation_with_no_policy_violation(browser_page, live_server):
    requests = []
    browser_page.page.on("request", lambda request: requests.append(request.url))
    browser_page.page.add_init_script(RECORD_VIOLATIONS)
    page = browser_page.page
    page.goto(f"{live_server.url}/api/v1/docs")
    page.get_by_text("/api/v1/admin/sites/{site_key}/stats").first.wait_for()
    operations = page.locator(".opblock").count()
    document = page.request.get(f"{live_server.url}/api/v1/openapi.json").json()
    expected = sum(
        method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
        for path in document["paths"].values()
        for method in path
    )
    assert operations == expected
    page.locator(".opblock-summary").first.click()
    page.locator(".opblock-body").first.wait_for()

    assert page.evaluate("cspViolations") == []
    assert browser_page.console_errors == []
    assert browser_page.page_errors == []
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requests)
