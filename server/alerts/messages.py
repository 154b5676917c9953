"""Write an alert event as people read it: a title, lines of text, and a dashboard link.

Every channel starts from the same event (the webhook body: `type`, `timestamp`,
`site_key`, `data`); Slack and email render it here, as blocks and as text + HTML.
"""

from datetime import datetime
from html import escape
from urllib.parse import urlencode

from flask import current_app

from ..insight.listing import encode_cursor
from ..sites.snippet import DEFAULT_PUBLIC_URL

TITLES = {
    "test": "Test alert from Touchpoint",
    "response.created": "New {metric} response: {score} on {page_path}",
    "digest.sent": "Touchpoint digest for {site_key}",
}


#: The reader's name of each key of `changes`.
KEY_NAMES = {"all": "The whole site", "unknown": "Pages without a phase"}
#: ces is a mean of 1-7, shown with one decimal; the others are shares or NPS, whole numbers.
PLACES = {"ces": 1}


def shown_score(metric: str, value: float) -> str:
    """Return a score as the dashboard shows it: whole, or one decimal for ces."""
    return f"{value:.{PLACES.get(metric, 0)}f}"


def change_sentence(data: dict) -> str:
    """Return e.g. "Conversion dropped from 71 to 52 this week" for a change."""
    where = KEY_NAMES.get(data["key"], data["key"].capitalize())
    verb = "dropped" if data["kind"] == "drop" else "rose"
    before = shown_score(data["metric"], data["baseline_score"])
    after = shown_score(data["metric"], data["score"])
    return f"{where} {verb} from {before} to {after} this week"


def change_lines(data: dict) -> list[str]:
    """Return the details of a change: its metric, counts, evidence and newest comments."""
    found = [
        f"Metric: {data['metric']}",
        f"{data['count']} responses from {data['window']['from']} to {data['window']['to']}, "
        f"{data['baseline_count']} in the baseline before; q = {data['q_value']:.2g}",
    ]
    themes = [f"{name} ({count})" for name, count in (data.get("themes") or {}).items() if count]
    if themes:
        found.append("Themes: " + ", ".join(themes))
    found.extend(f"Comment ({item['score']}): {item['comment']}" for item in data["comments"])
    return found


def dashboard_url(site_key: str) -> str:
    """Return the dashboard page of site `site_key` at the server's public URL."""
    base = current_app.config.get("TOUCHPOINT_PUBLIC_URL") or DEFAULT_PUBLIC_URL
    return f"{base.rstrip('/')}/admin/sites/{site_key}"


def event_url(event: dict) -> str:
    """Return where the dashboard shows `event`: a commented response in the inbox, on the
    page that starts with it (to triage it at once), else the site's page."""
    data = event.get("data") or {}
    site_page = dashboard_url(event["site_key"])
    if event["type"] != "response.created" or not data.get("comment"):
        return site_page
    # The inbox lists what comes before a cursor: this response's position, one id on.
    starts_here = encode_cursor(datetime.fromisoformat(data["received_at"]), data["id"] + 1)
    return f"{site_page}/inbox?{urlencode({'cursor': starts_here})}#row-{data['id']}"


def title(event: dict) -> str:
    """Return the one-line summary of `event`."""
    if event["type"] == "change.detected":
        return change_sentence(event["data"])
    values = {"site_key": event["site_key"], **(event.get("data") or {})}
    try:
        return TITLES[event["type"]].format(**values)
    except (KeyError, IndexError):
        return f"Touchpoint: {event['type']}"


def lines(event: dict) -> list[str]:
    """Return the details of `event` worth reading, one per line."""
    data = event.get("data") or {}
    if event["type"] == "response.created":
        found = [f"Comment: {data['comment']}" if data.get("comment") else "No comment."]
        if data.get("phase"):
            found.append(f"Phase: {data['phase']}")
        if data.get("themes"):
            found.append("Themes: " + ", ".join(data["themes"]))
        return found
    if event["type"] == "test":
        return [data.get("message", "This rule reaches its target.")]
    if event["type"] == "change.detected":
        return change_lines(data)
    return [f"{name}: {value}" for name, value in data.items() if not isinstance(value, list)]


def slack_message(event: dict) -> dict:
    """Return a Slack message (blocks, and text for notifications) for `event`."""
    link = event_url(event)
    summary = title(event)
    return {
        "text": summary,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": summary[:150]}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": slack_escape("\n".join(lines(event)))[:3000]},
            },
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Open in the dashboard"},
                        "url": link,
                    }
                ],
            },
        ],
    }


def slack_escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reads as markup (visitors write comments)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def email_text(event: dict) -> str:
    """Return the plain-text body of the email for `event`."""
    link = event_url(event)
    return "\n".join([title(event), "", *lines(event), "", f"Open in the dashboard: {link}", ""])


def email_html(event: dict) -> str:
    """Return the HTML body of the email for `event`: inline styles, no external resources."""
    link = escape(event_url(event))
    paragraphs = "".join(
        f'<p style="margin:0 0 8px;font:14px Arial,sans-serif;color:#222">{escape(line)}</p>'
        for line in lines(event)
    )
    return (
        '<!DOCTYPE html><html><body style="margin:0;padding:16px;background:#ffffff">'
        f'<h1 style="font:bold 18px Arial,sans-serif;color:#111">{escape(title(event))}</h1>'
        f"{paragraphs}"
        f'<p style="font:14px Arial,sans-serif"><a href="{link}" style="color:#1a56db">'
        "Open in the dashboard</a></p></body></html>"
    )
