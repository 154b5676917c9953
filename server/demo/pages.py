"""Describe the demo shop's pages and visitors: traffic, moods, complaints, locales, devices."""

from dataclasses import dataclass, field


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
