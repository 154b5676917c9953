"""Dashboard helpers for tests: its routes, its CSRF token, a token's secret, its forms."""

import re

from conftest import base_config

from server import create_app
from server.dashboard.i18n import LANGUAGES
from server.models import METRICS

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path="/admin/sign-in") -> str:
    """Return the CSRF token a page's form carries."""
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def secret_of(headers: dict) -> str:
    """Return the token secret inside `Authorization` headers."""
    return headers["Authorization"].removeprefix("Bearer ")


def sign_in(client, secret: str, **options):
    """Post the sign-in form with `secret` and its CSRF token."""
    data = {"token": secret, "csrf_token": csrf_token(client)}
    return client.post("/admin/sign-in", data=data, **options)


def dashboard_routes(method: str) -> list[str]:
    """Return every route of the dashboard that answers `method`, from the app's URL map."""
    app = create_app(base_config("sqlite://"))
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("dashboard.") and method in rule.methods
    )


def settings_form(client, site, **changes) -> dict:
    """Return the settings form as the browser would post it, with `changes` applied."""
    form = {
        "csrf_token": csrf_token(client, f"/admin/sites/{site.key}/settings"),
        "name": site.name,
        "enabled": "y",
        "allowed_origins": "\n".join(site.allowed_origins),
        "keep_query_params": "",
        "metric": "csat",
        "color": "",
        "position": "",
        "label": "",
        "cooldown_days": "30",
        "sampling": "1.0",
    }
    for language in LANGUAGES:
        for metric in METRICS:
            form[f"questions-{language}-{metric}"] = ""
    for index, rule in enumerate(site.phase_rules):
        form[f"phase_rules-{index}-match"] = rule["match"]
        form[f"phase_rules-{index}-phase"] = rule["phase"]
    form.update(changes)
    return form
