"""Tell how busy sites are: responses in a recent window and the latest, for all sites at once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Response, Site, utcnow

#: The window the sites list counts responses in, like the stats API's default period.
RECENT = timedelta(days=30)


@dataclass(frozen=True)
class Activity:
    """A site's responses received since the window's start, and when the latest arrived."""

    recent: int = 0
    latest: datetime | None = None


def site_activity(site_ids: list[int], since: datetime | None = None) -> dict[int, Activity]:
    """Return each site's activity by site id in one grouped query; `since` defaults to 30 days ago.

    Sites without any response are left out (their activity is `Activity()`).
    """
    if not site_ids:
        return {}
    since = since or utcnow() - RECENT
    rows = db.session.execute(
        select(
            Response.site_id,
            func.count(Response.id).filter(Response.received_at >= since),
            func.max(Response.received_at),
        )
        .where(Response.site_id.in_(site_ids))
        .group_by(Response.site_id)
    ).all()
    return {site_id: Activity(recent, latest) for site_id, recent, latest in rows}


def first_response_at(site: Site) -> datetime | None:
    """Return when the site's first response was received, or None when it has none yet."""
    return db.session.scalar(
        select(Response.received_at)
        .where(Response.site_id == site.id)
        .order_by(Response.received_at, Response.id)
        .limit(1)
    )
