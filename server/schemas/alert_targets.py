"""Check an alert rule's target as its channel reads it: a webhook or Slack URL, or an email
address; refuse what the channel cannot use or what is not public (see alerts/guard.py)."""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app
from marshmallow import ValidationError, validate

from ..alerts.guard import allow_private, described, refusal, refused_url_reason
from .fields import CheckedString, Pattern, characters
from .patterns import CONTROL, FORMAT, LINE_BREAKS, SPACE

MAX_TARGET_LENGTH = 2048
#: RFC 5321's limits on an address: its mailbox name (local part), its domain, and the
#: whole address (a path is at most 256 octets, its angle brackets included).
MAX_LOCAL_PART = 64
MAX_DOMAIN = 253
MAX_ADDRESS = 254
#: A target as sent: one line, no control or invisible format character anywhere (a
#: zero-width space in a URL or address is never meant), no space at either end. (PostgreSQL
#: refuses NUL in text; the others would reach a receiver's logs or an SMTP command.)
UNSEEN = f"{CONTROL}{LINE_BREAKS}{FORMAT}"
TARGET_TEXT = rf"^[^{UNSEEN}{SPACE}](?:[^{UNSEEN}]*[^{UNSEEN}{SPACE}])?$"

URL = validate.URL(schemes={"http", "https"}, require_tld=False)
EMAIL = validate.Email()


class Target(CheckedString):
    """An alert target as sent: one line of 1 to `MAX_TARGET_LENGTH` characters, with no
    control character and no space at either end (`TARGET_TEXT`)."""

    def __init__(self, **kwargs):
        checks = [
            characters(1, MAX_TARGET_LENGTH),
            Pattern(
                TARGET_TEXT,
                error="A target is one line with no control characters and no spaces at "
                "either end.",
            ),
        ]
        super().__init__(validate=checks, **kwargs)


def email_target(address: str) -> str:
    """Return `address` with its domain IDNA-encoded; ValueError for a non-ASCII local part.

    SMTP without SMTPUTF8 carries ASCII addresses only; a Unicode domain has an ASCII
    (punycode) form, a Unicode mailbox name has none.
    """
    local, _, domain = address.rpartition("@")
    if not local.isascii():
        raise ValueError("The part before @ must be ASCII (SMTPUTF8 is not supported).")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as exc:
        raise ValueError("The domain is not a valid internationalised domain name.") from exc


def address_length_errors(address: str) -> list[str]:
    """Return which of RFC 5321's length limits the (ASCII) `address` passes (empty if none)."""
    local, _, domain = address.rpartition("@")
    errors = []
    if len(local) > MAX_LOCAL_PART:
        errors.append(f"The part before @ is longer than {MAX_LOCAL_PART} characters.")
    if len(domain) > MAX_DOMAIN:
        errors.append(f"The domain is longer than {MAX_DOMAIN} characters.")
    if not errors and len(address) > MAX_ADDRESS:
        errors.append(f"An address is at most {MAX_ADDRESS} characters.")
    return errors


def port_errors(target: str) -> list[str]:
    """Return what is wrong with the port a URL names (empty when it names none or a fine one)."""
    try:
        port = urlsplit(target).port
    except ValueError:
        return ["The port must be a number from 1 to 65535."]
    return ["The port must be a number from 1 to 65535."] if port == 0 else []


def slack_errors(target: str) -> list[str]:
    """Return what keeps `target` from being a Slack incoming webhook URL (empty when fine)."""
    hosts = current_app.config["TOUCHPOINT_ALERTS_SLACK_HOSTS"]
    parts = urlsplit(target)
    # Plain http only where receivers on the internal network are allowed at all.
    if (parts.hostname or "") not in hosts or (parts.scheme != "https" and not allow_private()):
        return [f"A Slack target is an incoming webhook URL: https://{hosts[0]}/…"]
    return []


#: What a target looks like per channel, for the OpenAPI document (the server checks more:
#: a whole address or URL, a Slack host, and that the address is public). ECMA-262 patterns
#: have no flags, hence the spelled-out case of `http`; each spans the whole text, as the
#: server reads every pattern (`Pattern`).
TARGET_PATTERNS = {
    "webhook": rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{CONTROL}]*$",
    "slack": rf"^[Hh][Tt][Tt][Pp][Ss]?://[^{CONTROL}]*$",
    "email": rf"^[^{CONTROL}]*@[^{CONTROL}]*$",
}
#: The rule between `channel` and `target`, for the OpenAPI document: given a channel, the
#: target must look like that channel's.
TARGET_BY_CHANNEL = {
    "if": {"required": ["channel"]},
    "then": {
        "oneOf": [
            {
                "properties": {
                    "channel": {"const": channel},
                    "target": {"pattern": pattern},
                }
            }
            for channel, pattern in TARGET_PATTERNS.items()
        ]
    },
}


def mail_domain_errors(address: str) -> list[str]:
    """Refuse an address at this machine or a literal internal address (`ops@localhost`,
    `ops@[10.0.0.5]`) unless internal targets are allowed, as for URLs (empty when fine)."""
    domain = address.rpartition("@")[2].lower().rstrip(".")
    if allow_private():
        return []
    if domain == "localhost" or domain.endswith(".localhost"):
        return [f"Refused: {domain} is a loopback address."]
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1].removeprefix("ipv6:")
        try:
            reason = refusal(ipaddress.ip_address(literal))
        except ValueError:
            return []
        return [f"Refused: {literal} is {described(reason)}."] if reason else []
    return []


def target_errors(channel: str, target: str) -> list[str]:
    """Return what is wrong with `target` for `channel` (empty when it is fine)."""
    if channel == "email":
        try:
            EMAIL(target)
            return address_length_errors(email_target(target)) or mail_domain_errors(target)
        except ValidationError as exc:
            return exc.messages
        except ValueError as exc:
            return [str(exc)]
    try:
        URL(target)
    except ValidationError as exc:
        return exc.messages
    if errors := port_errors(target):
        return errors
    if channel == "slack" and (errors := slack_errors(target)):
        return errors
    reason = refused_url_reason(target)
    return [f"Refused: {reason}."] if reason else []
