"""Serve the admin dashboard at /admin/ for people who would rather look than read."""

from datetime import timedelta

from flask import Flask

from ..extensions import csrf
from . import sessions
from .views import bp, template_helpers


def init_app(app: Flask) -> None:
    """Register the dashboard with its session cookie and CSRF protection."""
    hours = app.config["TOUCHPOINT_SESSION_HOURS"]
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=hours)
    app.config["SESSION_COOKIE_SAMESITE"] = "Strict"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    # The API authenticates with bearer headers, not cookies, so only the dashboard's forms
    # need CSRF tokens: the check runs in the blueprint's before_request.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", int(hours * 3600))
    app.session_interface = sessions.DashboardSessionInterface()
    csrf.init_app(app)
    app.context_processor(template_helpers)
    app.register_blueprint(bp)
