"""Keep each process's copy of every site's enabled `response` rules, for the ingest path.

Ingest asks for a site's rules on every stored response; the copy is read from the database
at most once per site per TOUCHPOINT_SITE_CACHE_SECONDS (the site cache's time to live), and
dropped at once in the process that changes a rule.
"""

import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..insight.themes import themes_mask
from ..models import AlertRule


@dataclass(frozen=True, slots=True)
class ResponseRule:
    """The filter of one enabled `response` rule, ready to match a stored row against."""

    id: int
    metric: str | None
    max_score: int | None
    phase: str | None
    path: str | None
    themes: int

    def matches(self, row: dict) -> bool:
        """Tell whether the stored response `row` passes every part of the filter."""
        return (
            (self.metric is None or row["metric"] == self.metric)
            and (self.max_score is None or row["score"] <= self.max_score)
            and (self.phase is None or row["phase"] == self.phase)
            and (self.path is None or row["page_path"] == self.path)
            # A visitor's own reasons count as themes too (SPEC "Themes").
            and (not self.themes or bool((row["themes"] | row["reasons"]) & self.themes))
        )


def response_rule(rule: AlertRule) -> ResponseRule:
    """Build the matcher of a `response` rule."""
    wanted = rule.filter or {}
    return ResponseRule(
        id=rule.id,
        metric=wanted.get("metric"),
        max_score=wanted.get("max_score"),
        phase=wanted.get("phase"),
        path=wanted.get("path"),
        themes=themes_mask(wanted.get("themes") or ()),
    )


def load_response_rules(site_id: int) -> tuple[ResponseRule, ...]:
    """Read the site's enabled `response` rules from the database."""
    rules = db.session.scalars(
        select(AlertRule).where(
            AlertRule.site_id == site_id, AlertRule.on == "response", AlertRule.enabled
        )
    ).all()
    return tuple(response_rule(rule) for rule in rules)


class RuleCache:
    """Map site ids to their `response` rules for a few seconds."""

    def __init__(self):
        self.entries: dict[int, tuple[float, tuple[ResponseRule, ...]]] = {}

    def get(self, site_id: int) -> tuple[ResponseRule, ...]:
        """Return the site's `response` rules, from the cache while fresh."""
        now = time.monotonic()
        entry = self.entries.get(site_id)
        if entry is not None and entry[0] > now:
            return entry[1]
        rules = load_response_rules(site_id)
        ttl = current_app.config["TOUCHPOINT_SITE_CACHE_SECONDS"]
        self.entries[site_id] = (now + ttl, rules)
        return rules

    def forget(self, site_id: int) -> None:
        """Drop the site's rules so this process reads them afresh."""
        self.entries.pop(site_id, None)


def rule_cache() -> RuleCache:
    """Return the current app's rule cache (each app has its own, as it has its own database)."""
    return current_app.extensions.setdefault("touchpoint.alert_rules", RuleCache())
