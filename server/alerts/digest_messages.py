"""Write a digest as people read it: an email (plain text and HTML tables) and Slack blocks.

The HTML is built for mail clients, Outlook's Word engine included: layout tables with
widths, inline styles only, no images, fonts, scripts or links other than the dashboard's.
Every value from the database, comments above all, is escaped.
"""

from html import escape

from .messages import change_sentence, dashboard_url, shown_score, slack_escape

PHASE_NAMES = {
    "awareness": "Awareness",
    "consideration": "Consideration",
    "conversion": "Conversion",
    "retention": "Retention",
    "advocacy": "Advocacy",
    "unknown": "Pages without a phase",
}
CELL = "padding:6px 10px;border-bottom:1px solid #dddddd;font:14px Arial,sans-serif;color:#222222"
HEAD = CELL + ";font-weight:bold;background:#f3f4f6;text-align:left"
TEXT = "margin:0 0 8px;font:14px Arial,sans-serif;color:#222222"
NONE = "-"
#: Slack takes at most 50 blocks a message.
MAX_SLACK_BLOCKS = 50
HEADING = "margin:20px 0 8px;font:bold 16px Arial,sans-serif;color:#111111"


def digest_title(data: dict) -> str:
    """Return the digest's subject, e.g. "Weekly Touchpoint digest: Shop"."""
    return f"{data['schedule'].capitalize()} Touchpoint digest: {data['site_name']}"


def interval(metric: str, ci95: list | None) -> str:
    """Return a 95 % interval as text ("64 to 78"), or "-" when there is none."""
    if not ci95:
        return NONE
    return f"{shown_score(metric, ci95[0])} to {shown_score(metric, ci95[1])}"


def score_rows(figures: dict) -> list[tuple[str, str, str, str]]:
    """Return (where, responses, score, 95 % interval) rows: the whole site, then each phase."""
    metric = figures["metric"]
    rows = []
    for where, summary in [("Whole site", figures["overall"])] + [
        (PHASE_NAMES.get(group["key"], group["key"]), group) for group in figures["phases"]
    ]:
        score = NONE if summary["score"] is None else shown_score(metric, summary["score"])
        rows.append((where, str(summary["count"]), score, interval(metric, summary["ci95"])))
    return rows


def moment_line(metric: str, moment: dict) -> str:
    """Return one moment of truth as a sentence."""
    return (
        f"{moment['key']}: {moment['kind']}, {shown_score(metric, moment['score'])} against "
        f"{shown_score(metric, moment['rest_score'])} on the rest of the site "
        f"({moment['count']} responses)"
    )


def sections(data: dict) -> list[tuple[str, list]]:
    """Return the digest's parts as (heading, items); a score table is a list of row tuples."""
    parts = []
    for figures in data["metrics"]:
        metric = figures["metric"]
        parts.append((f"{metric.upper()} by phase", score_rows(figures)))
        changes = [change_sentence({**change, "metric": metric}) for change in figures["changes"]]
        if changes:
            parts.append((f"{metric.upper()}: what changed", changes))
        moments = [moment_line(metric, moment) for moment in figures["moments"]]
        if moments:
            parts.append((f"{metric.upper()}: moments of truth", moments))
    for theme, comments in data["themes"].items():
        parts.append(
            (f"Comments on {theme.replace('_', ' ')}", [item["comment"] for item in comments])
        )
    return parts


def digest_text(event: dict) -> str:
    """Return the digest as plain text."""
    data = event["data"]
    out = [digest_title(data), f"From {data['from']} to {data['to']}", ""]
    for heading, items in sections(data):
        out.append(heading)
        for item in items:
            out.append("  " + (" | ".join(item) if isinstance(item, tuple) else f"- {item}"))
        out.append("")
    if not data["metrics"]:
        out += ["No responses in this period.", ""]
    out += [f"Open in the dashboard: {dashboard_url(event['site_key'])}", ""]
    return "\n".join(out)


def html_table(rows: list[tuple]) -> str:
    """Return score rows as an HTML table with inline styles."""
    header = "".join(
        f'<th style="{HEAD}">{name}</th>' for name in ("", "Responses", "Score", "95 % interval")
    )
    body = "".join(
        "<tr>" + "".join(f'<td style="{CELL}">{escape(cell)}</td>' for cell in row) + "</tr>"
        for row in rows
    )
    return (
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        f'style="border-collapse:collapse"><tr>{header}</tr>{body}</table>'
    )


def digest_html(event: dict) -> str:
    """Return the digest as HTML for mail clients: tables, inline styles, escaped text."""
    data = event["data"]
    parts = []
    for heading, items in sections(data):
        parts.append(f'<h2 style="{HEADING}">{escape(heading)}</h2>')
        if items and isinstance(items[0], tuple):
            parts.append(html_table(items))
        else:
            parts += [f'<p style="{TEXT}">{escape(item)}</p>' for item in items]
    if not data["metrics"]:
        parts.append(f'<p style="{TEXT}">No responses in this period.</p>')
    link = escape(dashboard_url(event["site_key"]))
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        '<body style="margin:0;padding:0;background:#ffffff">'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="600" '
        'style="width:600px;max-width:100%"><tr><td style="padding:16px">'
        f'<h1 style="margin:0 0 4px;font:bold 20px Arial,sans-serif;color:#111111">'
        f"{escape(digest_title(data))}</h1>"
        f'<p style="{TEXT};color:#555555">From {escape(data["from"])} to {escape(data["to"])}</p>'
        f"{''.join(parts)}"
        f'<p style="{TEXT}"><a href="{link}" style="color:#1a56db">Open in the dashboard</a></p>'
        "</td></tr></table></body></html>"
    )


def digest_slack(event: dict) -> dict:
    """Return the digest as a Slack message: a header and one section per part."""
    data = event["data"]
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": digest_title(data)[:150]}}]
    for heading, items in sections(data):
        lines = [" | ".join(item) if isinstance(item, tuple) else f"• {item}" for item in items]
        text = f"*{slack_escape(heading)}*\n" + slack_escape("\n".join(lines))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open in the dashboard"},
                    "url": dashboard_url(event["site_key"]),
                }
            ],
        }
    )
    if len(blocks) > MAX_SLACK_BLOCKS:
        blocks = blocks[: MAX_SLACK_BLOCKS - 1] + blocks[-1:]
    return {"text": digest_title(data), "blocks": blocks}
