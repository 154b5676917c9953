"""Send one alert event to a rule's channel: a signed webhook, a Slack message or an email."""

import json
import smtplib
import ssl
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app
from standardwebhooks.webhooks import Webhook

from ..models import AlertRule
from ..sites.snippet import DEFAULT_PUBLIC_URL
from .digest_messages import digest_html, digest_slack, digest_text, digest_title
from .http import Sent, post
from .messages import email_html, email_text, slack_message, title

SMTP_SECONDS = 10
#: The SMTP reply "accepted for delivery", recorded as the attempt's status code.
ACCEPTED = 250


def send(rule: AlertRule, message_id: str, event: dict) -> Sent:
    """Send `event` to the rule's target; `message_id` is stable across retries."""
    if rule.channel == "webhook":
        return send_webhook(rule.target, rule.secret, message_id, event)
    if rule.channel == "slack":
        slack = digest_slack(event) if is_digest(event) else slack_message(event)
        return post(rule.target, json_bytes(slack), JSON_HEADERS)
    return send_email(rule.target, event)


JSON_HEADERS = {"Content-Type": "application/json"}


def is_digest(event: dict) -> bool:
    """Tell whether `event` is a digest, which has its own email and Slack forms."""
    return event["type"] == "digest.sent"


def json_bytes(value) -> bytes:
    """Return `value` as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def send_webhook(url: str, secret: str, message_id: str, event: dict) -> Sent:
    """POST `event` signed as Standard Webhooks says (webhook-id, -timestamp, -signature)."""
    body = json_bytes(event)
    now = datetime.now(UTC)
    signature = Webhook(secret).sign(message_id, now, body.decode())
    headers = {
        **JSON_HEADERS,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
    return post(url, body, headers)


def sender_address() -> str:
    """Return TOUCHPOINT_SMTP_FROM, else touchpoint@ the public URL's host."""
    configured = current_app.config.get("TOUCHPOINT_SMTP_FROM")
    if configured:
        return configured
    public = current_app.config.get("TOUCHPOINT_PUBLIC_URL") or DEFAULT_PUBLIC_URL
    return f"touchpoint@{urlsplit(public).hostname}"


def email_message(address: str, event: dict) -> EmailMessage:
    """Return the email for `event` to `address`: plain text with an HTML alternative."""
    message = EmailMessage()
    digest = is_digest(event)
    message["Subject"] = digest_title(event["data"]) if digest else title(event)
    message["From"] = sender_address()
    message["To"] = address
    message.set_content(digest_text(event) if digest else email_text(event))
    message.add_alternative(digest_html(event) if digest else email_html(event), subtype="html")
    return message


def send_email(address: str, event: dict) -> Sent:
    """Send `event` by email through TOUCHPOINT_SMTP_URL; without it, the error says so."""
    started = time.monotonic()
    url = current_app.config.get("TOUCHPOINT_SMTP_URL")
    code, error, final = None, None, False
    if not url:
        error = "email alerts are off: TOUCHPOINT_SMTP_URL is not set"
    else:
        try:
            deliver_email(url, email_message(address, event))
            code = ACCEPTED
        except (smtplib.SMTPException, OSError, ValueError) as exc:
            code, error, final = smtp_code(exc), smtp_error(exc), permanent_smtp_failure(exc)
    elapsed = round((time.monotonic() - started) * 1000)
    return Sent(code, error, elapsed, final)


#: What each SMTP refusal refused, for the delivery log.
SMTP_REFUSALS = (
    (smtplib.SMTPSenderRefused, "sender refused"),
    (smtplib.SMTPDataError, "message refused"),
    (smtplib.SMTPAuthenticationError, "login refused"),
    (smtplib.SMTPResponseException, "refused"),
)


def smtp_error(error: Exception) -> str:
    """Return `error` as the delivery log shows it, the server's reply as it came: e.g.
    "recipient refused: team@shop.example: 550 5.1.1 No such user"."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [
            f"{to}: {reply_text(code, text)}" for to, (code, text) in error.recipients.items()
        ]
        return "recipient refused: " + "; ".join(replies)
    for kind, words in SMTP_REFUSALS:
        if isinstance(error, kind):
            return f"{words}: {reply_text(error.smtp_code, error.smtp_error)}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "the mail server closed the connection"
    return f"{type(error).__name__}: {error}"


def smtp_code(error: Exception) -> int | None:
    """Return the SMTP reply code behind `error` (the first recipient's), or None."""
    if isinstance(error, smtplib.SMTPRecipientsRefused) and error.recipients:
        return next(iter(error.recipients.values()))[0]
    return error.smtp_code if isinstance(error, smtplib.SMTPResponseException) else None


def reply_text(code: int, text: bytes | str) -> str:
    """Return an SMTP reply as one line of text: its code and message."""
    message = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


def permanent_smtp_failure(error: Exception) -> bool:
    """Tell whether the SMTP server refused this message for good: a 5xx reply (RFC 5321,
    4.2.1) to every recipient or to the message itself. A 4xx reply, no reply, or a refused
    login or sender (the deployment's settings, which may be fixed within the day) may pass
    on a later attempt."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def deliver_email(url: str, message: EmailMessage) -> None:
    """Hand `message` to the SMTP server at `url` (smtp:// with STARTTLS when offered, smtps://)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"TOUCHPOINT_SMTP_URL must start with smtp:// or smtps://, not {url!r}")
    context = ssl.create_default_context()
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(
            parts.hostname, parts.port or 465, timeout=SMTP_SECONDS, context=context
        )
    else:
        server = smtplib.SMTP(parts.hostname, parts.port or 587, timeout=SMTP_SECONDS)
    with server:
        server.ehlo()
        if parts.scheme == "smtp" and server.has_extn("starttls"):
            server.starttls(context=context)
            server.ehlo()
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        server.send_message(message)
