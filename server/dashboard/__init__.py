"""Serve the admin dashboard at /admin/ for people who would rather look than read."""

from datetime import timedelta

from flask import Flask

from ..extensions import babel, csrf
from . import (  # noqa: F401 (their routes join `bp`)
    alerts_views,
    sessions,
    settings_views,
    setup_views,
    token_views,
)
from .i18n import CATALOGS, DEFAULT_LANGUAGE, decimal_text, select_locale, significant_text
from .views import bp, template_helpers

# The inbox and audit pages' routes live on the dashboard blueprint; importing adds them.
from . import inbox_views  # noqa: F401  isort: skip


def init_app(app: Flask) -> None:
    """Register the dashboard with its session cookie, CSRF protection and translations."""
    hours = app.config["TOUCHPOINT_SESSION_HOURS"]
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    # The expiry is kept inside the session (sessions.sign_in), so re-sending the cookie on
    # every request extends nothing; it would let a request that changed nothing (a static
    # file, a page loading beside a form post) overwrite the cookie a concurrent post just
    # set, and lose its flash message. Only requests that change the session send it.
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # The API authenticates with bearer headers, not cookies, so only the dashboard's forms
    # need CSRF tokens: the check runs in the blueprint's before_request.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(hours * 3600))
    app.session_interface = sessions.DashboardSessionInterface()
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=DEFAULT_LANGUAGE,
        default_timezone="UTC",
        default_translation_directories=str(CATALOGS),
    )
    app.jinja_env.filters.update(decimal=decimal_text, significant=significant_text)
    app.context_processor(template_helpers)
    app.register_blueprint(bp)
