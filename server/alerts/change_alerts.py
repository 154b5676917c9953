"""Alert on significant changes: once when a change first becomes significant, again only
after it has stopped being significant and come back.

Each check runs `find_changes` once per (site, metric) that has enabled `change` rules. A
rule keeps one `AlertState` row per (metric, key, kind) it has alerted on; the row goes when
the change is no longer found, so the next time it is found is a new alert. A rule fires on
drops unless its filter's `kinds` names others; its `phase` keeps that phase's key only.
"""

from datetime import datetime

from sqlalchemy import delete, select

from ..extensions import db
from ..insight.changes import find_changes
from ..models import METRICS, AlertRule, AlertState, Site
from ..schemas.changes import ChangeSchema
from .deliveries import event, start_delivery
from .zones import site_zone

DEFAULT_KINDS = ("drop",)
CHANGE_SCHEMA = ChangeSchema()


def rule_metrics(rule: AlertRule) -> tuple[str, ...]:
    """Return the metrics a change rule watches: its filter's, else every metric."""
    metric = (rule.filter or {}).get("metric")
    return (metric,) if metric else METRICS


def wanted(rule: AlertRule, change: dict) -> bool:
    """Tell whether `change` is one `rule` alerts on (its kinds, its phase)."""
    wanted_filter = rule.filter or {}
    phase = wanted_filter.get("phase")
    kinds = wanted_filter.get("kinds") or DEFAULT_KINDS
    return change["kind"] in kinds and (phase is None or change["key"] == phase)


def change_data(found: dict, change: dict) -> dict:
    """Return a change as the webhook's `data`: `changes`' fields, its metric and periods."""
    return {
        "metric": found["metric"],
        "window": found["window"],
        "baseline": found["baseline"],
        **CHANGE_SCHEMA.dump(change),
    }


def check_rule(rule: AlertRule, site_key: str, found: dict[str, dict]) -> int:
    """Alert `rule` on its new changes and forget its cleared ones; return how many fired."""
    current = {}
    for metric in rule_metrics(rule):
        for change in found[metric]["changes"]:
            if wanted(rule, change):
                current[metric, change["key"], change["kind"]] = change
    states = db.session.scalars(select(AlertState).where(AlertState.rule_id == rule.id)).all()
    known = {(state.metric, state.key, state.kind): state for state in states}
    cleared = [state.id for triple, state in known.items() if triple not in current]
    if cleared:
        db.session.execute(delete(AlertState).where(AlertState.id.in_(cleared)))
    fresh = [triple for triple in current if triple not in known]
    for metric, key, kind in fresh:
        db.session.add(AlertState(rule_id=rule.id, metric=metric, key=key, kind=kind))
    # The states are committed before any delivery is queued: a crash in between loses an
    # alert rather than sending it twice.
    db.session.commit()
    for triple in fresh:
        data = change_data(found[triple[0]], current[triple])
        start_delivery(rule, event("change.detected", site_key, data))
    return len(fresh)


def check_changes(now: datetime | None = None) -> int:
    """Run every enabled change rule against the changes up to `now`; return alerts started."""
    rules = db.session.scalars(
        select(AlertRule)
        .where(AlertRule.on == "change", AlertRule.enabled)
        .order_by(AlertRule.site_id, AlertRule.id)
    ).all()
    found: dict[tuple[int, str], dict] = {}
    fired = 0
    for rule in rules:
        site = db.session.get(Site, rule.site_id)
        for metric in rule_metrics(rule):
            if (site.id, metric) not in found:
                found[site.id, metric] = find_changes(site, metric, to=now, tz=site_zone(site))
        by_metric = {metric: found[site.id, metric] for metric in rule_metrics(rule)}
        fired += check_rule(rule, site.key, by_metric)
    return fired
