"""Issue, find and revoke admin tokens, stored only as hashes."""

import hashlib
import hmac
import secrets

from sqlalchemy import select

from ..audit.record import Actor, record_change
from ..extensions import db
from ..models import AdminToken, Site, utcnow

TOKEN_PREFIX = "tp_"


def hash_token(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    name: str, site: Site | None = None, read_only: bool = False, *, actor: Actor | None = None
):
    """Create an admin token, audited as `actor`'s; return the row and its secret, which is
    never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AdminToken(name=name, token_hash=hash_token(secret), site=site, read_only=read_only)
    db.session.add(token)
    db.session.flush()
    details = {"id": token.id, "name": name, "read_only": read_only}
    record_change(actor, "token.create", site_key=site.key if site else None, details=details)
    db.session.commit()
    return token, secret


def replace_token(name: str, *, actor: Actor | None = None) -> tuple[AdminToken, str, int]:
    """Revoke the live instance-wide read-write tokens called `name` and create one anew.

    Return the new row, its secret and how many tokens were revoked; one commit does both,
    so a command run again never leaves the last run's token behind.
    """
    live = db.session.scalars(
        select(AdminToken).where(
            AdminToken.name == name,
            AdminToken.site_id.is_(None),
            AdminToken.read_only.is_(False),
            AdminToken.revoked_at.is_(None),
        )
    ).all()
    for token in live:
        token.revoked_at = utcnow()
        revoked = {"id": token.id, "name": token.name}
        record_change(actor, "token.revoke", site_key=None, details=revoked)
    token, secret = create_token(name, actor=actor)
    return token, secret, len(live)


def revoke_token(token_id: int, *, actor: Actor | None = None) -> AdminToken | None:
    """Revoke the token with id `token_id`, audited as `actor`'s; return it, or None when
    there is none."""
    token = db.session.get(AdminToken, token_id)
    if token is not None and token.revoked_at is None:
        token.revoked_at = utcnow()
        site_key = token.site.key if token.site else None
        details = {"id": token.id, "name": token.name}
        record_change(actor, "token.revoke", site_key=site_key, details=details)
        db.session.commit()
    return token


def list_tokens() -> list[AdminToken]:
    """Return every admin token, revoked ones too, oldest first."""
    return db.session.scalars(select(AdminToken).order_by(AdminToken.id)).all()


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
