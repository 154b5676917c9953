"""Exchange an admin token for a dashboard session and check that session on every request."""

import time
from datetime import timedelta

from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface

from ..auth.tokens import find_token
from ..extensions import db
from ..models import AdminToken
from ..security import DASHBOARD_PREFIX

TOKEN_KEY = "token_id"
EXPIRES_KEY = "expires_at"


class DashboardSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session for the dashboard only, Secure whenever over HTTPS."""

    def open_session(self, app: Flask, request):
        """Open the signed cookie on dashboard paths; elsewhere a null session, never saved.

        Outside the dashboard no view reads or writes the session, so parsing and signing the
        cookie would be pure per-request cost on the ingest hot path.
        """
        path = request.path
        if path == DASHBOARD_PREFIX or path.startswith(DASHBOARD_PREFIX + "/"):
            return super().open_session(app, request)
        return self.make_null_session(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Mark the cookie Secure when configured so or when this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def sign_in(secret: str, lifetime: timedelta) -> AdminToken | None:
    """Start a session for the live token whose secret is `secret`; return it, or None.

    Only the token's id goes into the (signed, not encrypted) cookie, never the secret; the
    expiry is kept inside it too because a browser may ignore the cookie's own expiry.
    """
    token = find_token(secret.strip())
    if token is None:
        return None
    sign_out()
    session.permanent = True
    session[TOKEN_KEY] = token.id
    session[EXPIRES_KEY] = int(time.time() + lifetime.total_seconds())
    return token


def session_token() -> AdminToken | None:
    """Return the live token of the current session; end the session when it is not live."""
    token_id, expires_at = session.get(TOKEN_KEY), session.get(EXPIRES_KEY)
    if not isinstance(token_id, int) or not isinstance(expires_at, int):
        return None
    token = db.session.get(AdminToken, token_id) if expires_at > time.time() else None
    if token is None or token.revoked_at is not None:
        sign_out()
        return None
    return token


def sign_out() -> None:
    """End the session's sign-in; the chosen language stays."""
    session.pop(TOKEN_KEY, None)
    session.pop(EXPIRES_KEY, None)
