"""Send `digest` rules their summary: scores per phase with 95 % intervals, moments of
truth, changes and the newest comments per theme, for the day or week before its 08:00.

The hourly job records (rule, period) before it queues the delivery, under a unique
constraint, so a digest goes out once however often or on however many workers it runs.
"""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..insight.changes import find_changes
from ..insight.filters import iso_utc, response_conditions
from ..insight.moments import newest_comments, site_moments
from ..insight.stats import site_stats
from ..insight.themes import THEMES
from ..models import METRICS, AlertDigest, AlertRule, Site
from ..schemas.changes import ChangeSchema
from ..schemas.reports import CommentSchema
from .deliveries import event, start_delivery
from .digest_due import covered, due_day
from .zones import site_zone

#: The change window matching each schedule (days), as `changes` takes it.
CHANGE_WINDOWS = {"daily": 1, "weekly": 7}
COMMENTS = CommentSchema(many=True)
CHANGES = ChangeSchema(many=True)


def digest_metrics(rule: AlertRule) -> tuple[str, ...]:
    """Return the metrics a digest covers: its filter's, else every metric."""
    metric = (rule.filter or {}).get("metric")
    return (metric,) if metric else METRICS


def metric_figures(site: Site, metric: str, schedule: str, start, end, zone: str) -> dict:
    """Return one metric's figures for the period: stats per phase, moments, changes."""
    period = {"start": start, "end": end}
    stats = site_stats(site, metric, "phase", period)
    moments = site_moments(site, metric, "page", period)["moments"]
    changes = find_changes(site, metric, window_days=CHANGE_WINDOWS[schedule], to=end, tz=zone)
    for moment in moments:
        moment["comments"] = COMMENTS.dump(moment["comments"])
    return {
        "metric": metric,
        "overall": stats["overall"],
        "phases": stats["groups"],
        "moments": moments,
        "changes": CHANGES.dump(changes["changes"]),
    }


def theme_comments(site: Site, start, end) -> dict[str, list]:
    """Return the newest comments of each complaint theme raised in the period."""
    found = {}
    for theme in THEMES:
        conditions = response_conditions(site.id, {"start": start, "end": end, "theme": theme})
        comments = newest_comments(conditions)
        if comments:
            found[theme] = COMMENTS.dump(comments)
    return found


def digest_data(rule: AlertRule, site: Site, day) -> dict:
    """Return the digest's figures for the period ending at `day`'s 08:00."""
    zone = site_zone(site)
    start, end = covered(rule.schedule, day, zone)
    metrics = [
        metric_figures(site, metric, rule.schedule, start, end, zone)
        for metric in digest_metrics(rule)
    ]
    return {
        "schedule": rule.schedule,
        "site_name": site.name,
        "from": iso_utc(start),
        "to": iso_utc(end),
        "time_zone": zone,
        "metrics": [figures for figures in metrics if figures["overall"]["count"]],
        "themes": theme_comments(site, start, end),
    }


def claim_period(rule: AlertRule, day) -> bool:
    """Record that the rule's digest of `day` is being sent; False when it was already."""
    db.session.add(AlertDigest(rule_id=rule.id, period=day.isoformat()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def send_digests(now: datetime | None = None) -> int:
    """Queue every digest due at `now` (default now) and not yet sent; return how many."""
    now = now or datetime.now(UTC)
    rules = db.session.scalars(
        select(AlertRule).where(AlertRule.on == "digest", AlertRule.enabled).order_by(AlertRule.id)
    ).all()
    sent = 0
    for rule in rules:
        site = db.session.get(Site, rule.site_id)
        day = due_day(rule.schedule, site_zone(site), now, rule.created_at)
        if day is None or not claim_period(rule, day):
            continue
        start_delivery(rule, event("digest.sent", site.key, digest_data(rule, site, day)))
        sent += 1
    return sent
