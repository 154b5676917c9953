"""Create the "Demo shop" site with realistic, reproducible sample responses.

The data tells one story an admin should find: the payment page (`/demo/checkout/pay`) is a
moment of despair (slow, payments failing, worse on phones), the review page delights, and the
comments raise SPEC's six complaint themes in Dutch and English where a shop would hear them.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from fnmatch import fnmatchcase

from sqlalchemy import JSON, bindparam, delete, insert, select

from .demo_comments import COMPLAINTS, ENDINGS, PRAISE, SUGGESTIONS
from .extensions import db
from .models import SCORE_RANGES, Response, Site, utcnow
from .sites import new_site_key

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
DEMO_SEED = 20261122
DEMO_RESPONSES = 3000
DEMO_DAYS = 90


@dataclass(frozen=True)
class DemoPage:
    """A page of the demo shop and how its visitors tend to feel about it.

    `mood` is the mean satisfaction on a 0..1 scale (a typical page of the shop: ~0.75);
    `complaints` weighs the topics of `demo_comments.COMPLAINTS` unhappy visitors raise there;
    `praise` names the `demo_comments.PRAISE` list happy visitors draw from.
    """

    path: str
    title: str
    traffic: float
    metrics: dict[str, float]
    mood: float
    complaints: dict[str, int]
    praise: str
    tags: dict[str, list] = field(default_factory=dict)


DEMO_PAGES = [
    DemoPage(
        "/demo/blog",
        "Running blog",
        0.03,
        {"thumbs": 0.7, "csat": 0.3},
        0.78,
        {"info": 2, "slow_site": 1, "pushy": 2},
        "blog",
    ),
    DemoPage(
        "/demo/blog/choosing-running-shoes",
        "How to choose running shoes",
        0.04,
        {"thumbs": 0.7, "csat": 0.3},
        0.8,
        {"info": 2, "search": 1, "pushy": 1},
        "blog",
        {"article": ["choosing-running-shoes"]},
    ),
    DemoPage(
        "/demo/blog/care-guide",
        "Caring for your gear",
        0.03,
        {"thumbs": 0.8, "csat": 0.2},
        0.79,
        {"info": 1, "slow_site": 1, "pushy": 1},
        "blog",
        {"article": ["care-guide"]},
    ),
    DemoPage(
        "/demo/products",
        "All products",
        0.09,
        {"csat": 0.5, "thumbs": 0.3, "ces": 0.2},
        0.69,
        {"search": 5, "slow_site": 2, "prices": 1},
        "products",
        {"category": ["shoes", "jackets", "accessories"]},
    ),
    DemoPage(
        "/demo/products/trail-runner-2",
        "Trail Runner 2",
        0.07,
        {"csat": 0.5, "thumbs": 0.3, "ces": 0.2},
        0.74,
        {"info": 3, "search": 1, "slow_site": 1, "prices": 1},
        "products",
        {"category": ["shoes"]},
    ),
    DemoPage(
        "/demo/products/rain-jacket",
        "Rain jacket",
        0.06,
        {"csat": 0.6, "thumbs": 0.4},
        0.74,
        {"info": 3, "slow_site": 1, "prices": 1},
        "products",
        {"category": ["jackets"]},
    ),
    DemoPage(
        "/demo/cart",
        "Your cart",
        0.08,
        {"csat": 0.6, "ces": 0.4},
        0.74,
        {"info": 2, "slow_site": 2, "prices": 2},
        "checkout",
        {"cart_items": [1, 1, 2, 2, 3, 4], "checkout_variant": ["classic", "one-page"]},
    ),
    DemoPage(
        "/demo/checkout",
        "Checkout",
        0.08,
        {"ces": 0.6, "csat": 0.4},
        0.71,
        {"slow_site": 3, "info": 1, "prices": 1, "bot": 1},
        "checkout",
        {"checkout_variant": ["classic", "one-page"]},
    ),
    DemoPage(
        "/demo/checkout/pay",
        "Payment",
        0.14,
        {"ces": 0.55, "csat": 0.45},
        0.42,
        {"slow_payment": 6, "payment_failed": 4, "unresolved": 2, "waiting": 2, "bot": 2},
        "checkout",
        {"payment_method": ["ideal", "ideal", "card", "paypal"], "order_value": [24.95, 89.9]},
    ),
    DemoPage(
        "/demo/account",
        "My account",
        0.07,
        {"csat": 0.4, "nps": 0.4, "ces": 0.2},
        0.72,
        {"unresolved": 3, "bot": 2, "waiting": 2, "slow_site": 1},
        "service",
        {"member": [True, False]},
    ),
    DemoPage(
        "/demo/orders",
        "My orders",
        0.09,
        {"csat": 0.4, "ces": 0.3, "nps": 0.3},
        0.7,
        {"waiting": 3, "unresolved": 3, "returns": 2, "delivery": 2},
        "service",
    ),
    DemoPage(
        "/demo/orders/return",
        "Return an item",
        0.06,
        {"ces": 0.7, "csat": 0.3},
        0.55,
        {"returns": 6, "waiting": 1, "unresolved": 1, "bot": 1},
        "returns",
    ),
    DemoPage(
        "/demo/review",
        "Write a review",
        0.10,
        {"nps": 0.7, "csat": 0.3},
        0.93,
        {"delivery": 1, "slow_site": 1},
        "review",
    ),
    DemoPage(
        "/demo/refer",
        "Refer a friend",
        0.06,
        {"nps": 1.0},
        0.86,
        {"info": 1, "pushy": 1},
        "refer",
        {"campaign": ["friends-10"]},
    ),
]

LOCALES = {
    "nl-NL": 50,
    "nl-BE": 7,
    "en-GB": 15,
    "en-US": 12,
    "en": 6,
    "de-DE": 4,
    "fr-BE": 2,
    None: 4,
}
DEVICES = {"mobile": 55, "desktop": 37, "tablet": 8}
EXTERNAL_REFERRERS = {
    "www.google.com": 30,
    "www.google.nl": 25,
    "www.instagram.com": 10,
    "www.facebook.com": 8,
    "duckduckgo.com": 4,
    "www.bing.com": 4,
    "mailchi.mp": 6,
    None: 13,
}
#: Visits per hour of the day (UTC): quiet at night, busy in the evening.
HOURLY_TRAFFIC = [1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 7, 8, 8, 7, 7, 7, 8, 10, 11, 10, 8, 5, 2]


def pick(rng: random.Random, weights: dict):
    """Return one key of `weights`, drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def demo_phase(path: str) -> str | None:
    """Return the phase the demo site's rules give `path` (first match wins)."""
    for rule in DEMO_PHASE_RULES:
        if fnmatchcase(path, rule["match"]):
            return rule["phase"]
    return None


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
    if page.path.startswith(("/demo/blog", "/demo/products")):
        referrer = pick(rng, EXTERNAL_REFERRERS)
    else:
        referrer = "127.0.0.1" if rng.random() < 0.8 else None
    row = {
        "site_id": site_id,
        "received_at": received_time(rng, now),
        "metric": metric,
        "score": score_for(metric, satisfaction),
        "comment": comment_for(rng, page, satisfaction, language) if wants_comment else None,
        "page_url": DEMO_ORIGIN + page.path,
        "page_path": page.path,
        "page_title": f"{page.title} | Demo shop",
        "referrer_host": referrer,
        "phase": demo_phase(page.path),
        "phase_source": "rule",
        "locale": locale,
        "device": device,
        "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "tags": None,
    }
    if page.tags and rng.random() < 0.6:
        row["tags"] = {name: rng.choice(values) for name, values in page.tags.items()}
    return row


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
        widget={"metric": "csat", "label": "Feedback"},
    )
    db.session.add(site)
    db.session.flush()
    rng = random.Random(seed)
    rows = sorted(
        (demo_row(rng, site.id, now) for _ in range(count)), key=lambda row: row["received_at"]
    )
    # One executemany in the site's transaction: all of it or nothing. Every row has the same
    # keys so the driver sends large batches, and a missing tags object is SQL NULL, not 'null'.
    tags = bindparam("tags", type_=JSON(none_as_null=True))
    db.session.execute(insert(Response.__table__).values(tags=tags), rows)
    db.session.commit()
    return site, True
