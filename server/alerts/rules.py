"""Create, list, change and delete a site's alert rules; one function per change.

Each change also drops the process's cached copy of the site's rules (`rule_cache`), so
ingest in this process sees it at once and every other process within the cache's time.
"""

import base64
import secrets

from sqlalchemy import select

from ..audit.record import Actor, record_change
from ..extensions import db
from ..models import AlertRule, Site
from .rule_cache import rule_cache

SECRET_PREFIX = "whsec_"
#: Standard Webhooks secrets are 24 to 64 random bytes; 32 is what its libraries generate.
SECRET_BYTES = 32
#: Characters of a target or secret shown after creation.
SHOWN_CHARACTERS = 4


def new_secret() -> str:
    """Return a new webhook signing secret: `whsec_` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def masked(value: str | None) -> str | None:
    """Return `value` as shown after creation: `…` and its last 4 characters."""
    return None if value is None else "…" + value[-SHOWN_CHARACTERS:]


def site_rules(site: Site) -> list[AlertRule]:
    """Return the site's alert rules, oldest first."""
    return db.session.scalars(
        select(AlertRule).where(AlertRule.site_id == site.id).order_by(AlertRule.id)
    ).all()


def find_rule(site: Site, rule_id: int) -> AlertRule | None:
    """Return the site's rule `rule_id`, or None (also for another site's rule)."""
    rule = db.session.get(AlertRule, rule_id)
    return rule if rule is not None and rule.site_id == site.id else None


def audited(rule: AlertRule, actor: Actor | None, action: str, details: dict) -> None:
    """Add the audit entry of a change to `rule`; targets and secrets are never written."""
    site_key = db.session.scalar(select(Site.key).where(Site.id == rule.site_id))
    record_change(actor, action, site_key=site_key, details={"rule": rule.name, **details})


def create_rule(site: Site, *, actor: Actor | None = None, **fields) -> AlertRule:
    """Create and commit a rule for `site`, audited as `actor`'s; a webhook rule gets a new
    signing secret.

    The rule returned is marked `revealed`: its answer shows target and secret whole, once.
    """
    rule = AlertRule(site_id=site.id, **fields)
    if rule.channel == "webhook":
        rule.secret = new_secret()
    rule.revealed = True
    db.session.add(rule)
    db.session.flush()
    audited(rule, actor, "alert.create", {"id": rule.id, "on": rule.on, "channel": rule.channel})
    db.session.commit()
    rule_cache().forget(site.id)
    return rule


def update_rule(rule: AlertRule, changes: dict, *, actor: Actor | None = None) -> AlertRule:
    """Apply `changes` to `rule` and commit, audited as `actor`'s; fields left out stay as
    they are.

    A rule that becomes a webhook gets a new secret, shown whole in this answer only.
    """
    for name, value in changes.items():
        setattr(rule, name, value)
    if rule.channel != "webhook":
        rule.secret = None
    elif rule.secret is None:
        rule.secret = new_secret()
        rule.revealed = True
    audited(rule, actor, "alert.update", {"id": rule.id, "changed": sorted(changes)})
    db.session.commit()
    rule_cache().forget(rule.site_id)
    return rule


def delete_rule(rule: AlertRule, *, actor: Actor | None = None) -> None:
    """Delete `rule` and its delivery log, audited as `actor`'s."""
    site_id = rule.site_id
    audited(rule, actor, "alert.delete", {"id": rule.id})
    db.session.delete(rule)
    db.session.commit()
    rule_cache().forget(site_id)


def record_test(rule: AlertRule, *, actor: Actor | None) -> None:
    """Write the audit entry of a test sent to `rule`'s target (sending one is a write)."""
    audited(rule, actor, "alert.test", {"id": rule.id})
    db.session.commit()
