"""Create the "Demo shop" site with realistic, reproducible sample responses.

The data tells one story an admin should find: the payment page (`/demo/checkout/pay`) is a
moment of despair (slow, payments failing, worse on phones), the review page delights, and the
comments raise SPEC's six complaint themes in Dutch and English where a shop would hear them.
"""

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import JSON, bindparam, delete, insert, select

from ..extensions import db
from ..ingest.phases import compile_phase_rules, match_phase
from ..insight.themes import comment_mask
from ..models import SCORE_RANGES, Response, Site, utcnow
from ..sites.keys import new_site_key
from ..sites.settings import default_widget
from .comments import COMPLAINTS, ENDINGS, PRAISE, SUGGESTIONS
from .pages import DEMO_PAGES, DEVICES, EXTERNAL_REFERRERS, HOURLY_TRAFFIC, LOCALES, DemoPage

DEMO_SITE_NAME = "Demo shop"
DEMO_ORIGIN = "http://127.0.0.1:8000"
DEMO_ORIGINS = [DEMO_ORIGIN, "http://localhost:8000"]
DEMO_PHASE_RULES = [
    {"match": "/demo/blog*", "phase": "awareness"},
    {"match": "/demo/products*", "phase": "consideration"},
    {"match": "/demo/cart*", "phase": "conversion"},
    {"match": "/demo/checkout*", "phase": "conversion"},
    {"match": "/demo/account*", "phase": "loyalty"},
    {"match": "/demo/orders*", "phase": "loyalty"},
    {"match": "/demo/review*", "phase": "advocacy"},
    {"match": "/demo/refer*", "phase": "advocacy"},
]
#: The rules compiled as ingest compiles them, so each row gets the phase ingest would give it.
DEMO_RULES = compile_phase_rules(DEMO_PHASE_RULES)
DEMO_SEED = 20261122
DEMO_RESPONSES = 3000
DEMO_DAYS = 90


def pick(rng: random.Random, weights: dict):
    """Return one key of `weights`, drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def score_for(metric: str, satisfaction: float) -> int:
    """Return the metric's score for a satisfaction in 0..1, in equal-width bands."""
    low, high = SCORE_RANGES[metric]
    return low + min(high - low, int(satisfaction * (high - low + 1)))


def comment_for(rng: random.Random, page: DemoPage, satisfaction: float, language: str) -> str:
    """Return a comment a visitor this satisfied might leave on `page`."""
    if satisfaction < 0.45:
        topics = dict.fromkeys(pick(rng, page.complaints) for _ in range(rng.choice((1, 1, 1, 2))))
        sentences = [rng.choice(COMPLAINTS[topic][language]) for topic in topics]
        return " ".join(sentences) + rng.choice(ENDINGS["negative"][language])
    if satisfaction < 0.7:
        if satisfaction < 0.6 and rng.random() < 0.4:
            return rng.choice(COMPLAINTS[pick(rng, page.complaints)][language])
        return rng.choice(SUGGESTIONS[language])
    kind = page.praise if rng.random() < 0.7 else "general"
    return rng.choice(PRAISE[kind][language]) + rng.choice(ENDINGS["positive"][language])


def received_time(rng: random.Random, now: datetime) -> datetime:
    """Return a moment in the last DEMO_DAYS days; traffic grows a little towards today."""
    days_ago = rng.uniform(0, DEMO_DAYS) if rng.random() < 0.7 else rng.triangular(0, DEMO_DAYS, 0)
    day = now - timedelta(days=int(days_ago))
    hour = rng.choices(range(24), weights=HOURLY_TRAFFIC)[0]
    moment = day.replace(
        hour=hour,
        minute=rng.randrange(60),
        second=rng.randrange(60),
        microsecond=rng.randrange(1_000_000),
    )
    return moment - timedelta(days=1) if moment > now else moment


def demo_row(rng: random.Random, site_id: int, now: datetime) -> dict:
    """Return one sample response for the demo site, as column values."""
    page = rng.choices(DEMO_PAGES, weights=[page.traffic for page in DEMO_PAGES])[0]
    metric = pick(rng, page.metrics)
    device = pick(rng, DEVICES)
    locale = pick(rng, LOCALES)
    mood = page.mood - (0.08 if device == "mobile" and page.path == "/demo/checkout/pay" else 0)
    satisfaction = min(0.999, max(0.0, rng.gauss(mood, 0.2)))
    # Strong feelings are written down more often than lukewarm ones.
    wants_comment = rng.random() < 0.2 + 0.5 * abs(satisfaction - 0.6)
    language = "nl" if (locale or "").startswith("nl") else "en"
    comment = comment_for(rng, page, satisfaction, language) if wants_comment else None
    if page.path.startswith(("/demo/blog", "/demo/products")):
        referrer = pick(rng, EXTERNAL_REFERRERS)
    else:
        referrer = "127.0.0.1" if rng.random() < 0.8 else None
    row = {
        "site_id": site_id,
        "received_at": received_time(rng, now),
        "metric": metric,
        "score": score_for(metric, satisfaction),
        "comment": comment,
        "page_url": DEMO_ORIGIN + page.path,
        "page_path": page.path,
        "page_title": f"{page.title} | Demo shop",
        "referrer_host": referrer,
        "phase": match_phase(DEMO_RULES, page.path),
        "phase_source": "rule",
        "locale": locale,
        "device": device,
        "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "tags": None,
        # Tagged as ingest tags a comment, so the dashboard's themes match the comments.
        "themes": comment_mask(comment),
    }
    if page.tags and rng.random() < 0.6:
        row["tags"] = {name: rng.choice(values) for name, values in page.tags.items()}
    return row


def insert_demo_responses(site_id: int, now: datetime, count: int, seed: int) -> None:
    """Add `count` sample responses drawn from `seed` to the session's transaction."""
    rng = random.Random(seed)
    rows = sorted(
        (demo_row(rng, site_id, now) for _ in range(count)), key=lambda row: row["received_at"]
    )
    # One executemany in the site's transaction: all of it or nothing. Every row has the same
    # keys so the driver sends large batches, and a missing tags object is SQL NULL, not 'null'.
    tags = bindparam("tags", type_=JSON(none_as_null=True))
    db.session.execute(insert(Response.__table__).values(tags=tags), rows)


def find_demo_site() -> Site | None:
    """Return the demo site, or None when it does not exist."""
    return db.session.scalar(select(Site).where(Site.name == DEMO_SITE_NAME).order_by(Site.id))


def create_demo(
    reset: bool = False,
    now: datetime | None = None,
    count: int = DEMO_RESPONSES,
    seed: int = DEMO_SEED,
) -> tuple[Site, bool]:
    """Create the demo site and its responses; return the site and whether it was created.

    An existing demo site is kept as it is (nothing is added twice) unless `reset` is true,
    which deletes it and its responses first. The responses depend only on `seed` and `now`.
    """
    site = find_demo_site()
    if site is not None and not reset:
        return site, False
    if site is not None:
        db.session.execute(delete(Response).where(Response.site_id == site.id))
        db.session.delete(site)
        db.session.flush()
    now = (now or utcnow()).astimezone(UTC)
    site = Site(
        key=new_site_key(),
        name=DEMO_SITE_NAME,
        allowed_origins=list(DEMO_ORIGINS),
        phase_rules=[dict(rule) for rule in DEMO_PHASE_RULES],
        collect_email=False,
        keep_query_params=[],
        enabled=True,
        widget=default_widget(),
    )
    db.session.add(site)
    db.session.flush()
    insert_demo_responses(site.id, now, count, seed)
    db.session.commit()
    return site, True
