"""Issue admin tokens and check the bearer token on every admin call."""

import hashlib
import hmac
import secrets

from flask import g, request
from flask_smorest import abort
from sqlalchemy import select

from .extensions import db
from .models import AdminToken, Site, utcnow
from .sites import is_site_key

TOKEN_PREFIX = "tp_"

#: The OpenAPI security requirement of every admin operation.
BEARER_AUTH = [{"bearerAuth": []}]


def hash_token(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(name: str, site: Site | None = None, read_only: bool = False):
    """Create an admin token; return the row and its secret, which is never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AdminToken(name=name, token_hash=hash_token(secret), site=site, read_only=read_only)
    db.session.add(token)
    db.session.commit()
    return token, secret


def revoke_token(token_id: int) -> AdminToken | None:
    """Revoke the token with id `token_id`; return it, or None when there is none."""
    token = db.session.get(AdminToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token


def find_token(secret: str) -> AdminToken | None:
    """Return the live token whose secret is `secret`, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    digest = hash_token(secret)
    token = db.session.scalar(select(AdminToken).where(AdminToken.token_hash == digest))
    # The lookup is by digest; compare again in constant time so timing reveals nothing.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return None if token.revoked_at is not None else token


def bearer_secret() -> str:
    """Return the bearer token of the current request, or an empty string."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def current_token() -> AdminToken:
    """Return the request's admin token, or answer 401."""
    if "admin_token" not in g:
        token = find_token(bearer_secret())
        if token is None:
            abort(
                401,
                message="A valid admin token is required.",
                headers={"WWW-Authenticate": 'Bearer realm="touchpoint"'},
            )
        g.admin_token = token
    return g.admin_token


def require_instance_access(write: bool = False) -> AdminToken:
    """Return the token after checking it may act on the whole instance (create sites)."""
    token = current_token()
    if write and (token.read_only or token.site_id is not None):
        abort(403, message="This token may not change the instance.")
    return token


def authorized_site(site_key: str, write: bool = False) -> Site:
    """Return the site the request's token may see; 404 when it may not, 403 on a denied write."""
    token = current_token()
    site = None
    if is_site_key(site_key):
        site = db.session.scalar(select(Site).where(Site.key == site_key))
    if site is None or (token.site_id is not None and token.site_id != site.id):
        abort(404, message="No such site.")
    if write and token.read_only:
        abort(403, message="This token is read-only.")
    return site


def visible_sites_query():
    """Return a SELECT of the sites the request's token may see."""
    token = current_token()
    query = select(Site).order_by(Site.id)
    if token.site_id is not None:
        query = query.where(Site.id == token.site_id)
    return query


def document_bearer_auth(api) -> None:
    """Declare the admin token's bearer scheme in the OpenAPI document."""
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "An admin token (`tp_…`)."},
    )
