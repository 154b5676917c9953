"""Describe the admin API's payloads: sites, responses, their query strings and cursors."""

import base64
import binascii
import json
import re
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from .filters import SINGLE_LINE, UNPRINTABLE, ResponseFilterSchema, iso_utc
from .models import METRICS, PHASES, SCORE_RANGES
from .sites import site_snippet
from .themes import THEMES, mask_themes

ANY_ORIGIN = "*"
POSITIONS = ("bottom-right", "bottom-left", "right", "left")
DEFAULT_METRIC = "csat"
DEFAULT_COOLDOWN_DAYS = 30
#: Where snippets point when neither TOUCHPOINT_PUBLIC_URL nor a request names the server.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000/"
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
#: The largest id a BIGINT holds; larger ids cannot exist and must not reach the database.
MAX_ROW_ID = 2**63 - 1
MAX_CURSOR_LENGTH = 200

LOWEST_SCORE = min(low for low, _ in SCORE_RANGES.values())
HIGHEST_SCORE = max(high for _, high in SCORE_RANGES.values())

HEX_COLOR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
LOCALE_TAG = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"
QUERY_PARAM_NAME = rf"^[^\s&=#{UNPRINTABLE}]+$"
GLOB = rf"^[/*][^{UNPRINTABLE}]*$"
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
DEFAULT_PORTS = {"http": 80, "https": 443}


def public_url() -> str:
    """Return the server's external URL: TOUCHPOINT_PUBLIC_URL, else the request's host URL."""
    configured = current_app.config.get("TOUCHPOINT_PUBLIC_URL")
    if configured:
        return configured
    return request.host_url if has_request_context() else DEFAULT_PUBLIC_URL


class Text(fields.String):
    """One line of text, trimmed, between 1 and `max_length` characters."""

    def __init__(self, max_length: int, **kwargs):
        checks = [
            validate.Length(min=1, max=max_length),
            validate.Regexp(SINGLE_LINE, error="Control characters are not allowed."),
        ]
        super().__init__(validate=checks, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class StrictBoolean(fields.Boolean):
    """A JSON `true` or `false`, nothing that merely looks like one."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Timestamp(fields.DateTime):
    """An aware datetime written as ISO 8601 UTC with a `Z`."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else iso_utc(value)


def normalise_origin(value: str) -> str:
    """Return `value` as a browser writes an `Origin` header; raise ValueError if it is none."""
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or parts.username is not None or parts.password is not None:
        raise ValueError("not an http(s) origin")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in value:
        raise ValueError("an origin has no path, query or fragment")
    host = (parts.hostname or "").lower()
    port = parts.port
    if ":" in host:
        host = f"[{host}]"
    elif not HOST_NAME.fullmatch(host):
        raise ValueError("not a host name")
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


class Origin(fields.String):
    """A web origin (`https://shop.example`, `http://localhost:8000`) or `*`."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_origin": "Not an origin: give scheme and host (and port), no path, "
        "like https://shop.example; write international names in punycode.",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if text == ANY_ORIGIN:
            return text
        try:
            return normalise_origin(text)
        except ValueError as exc:
            raise self.make_error("invalid_origin") from exc


def only_wildcard_alone(origins: list[str]) -> None:
    """Refuse `*` next to other origins: it means every origin, so it stands alone."""
    if ANY_ORIGIN in origins and len(origins) > 1:
        raise ValidationError('"*" allows every origin and must be the only entry.')


def at_most(count: int):
    """Return a validator refusing objects with more than `count` keys."""

    def check(value: dict) -> None:
        if len(value) > count:
            raise ValidationError(f"At most {count} entries.")

    return check


class PhaseRuleSchema(Schema):
    """Send pages whose normalised path fits `match` to `phase`."""

    match = fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=500),
            validate.Regexp(GLOB, error="A glob starts with / or * and has no control characters."),
        ],
        metadata={"description": "Glob over the whole path: * any run, ? one character."},
    )
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))


class QuestionSchema(Schema):
    """The question the widget asks for each metric, in one locale."""

    csat = Text(200)
    ces = Text(200)
    nps = Text(200)
    thumbs = Text(200)


class QuestionTexts(fields.Dict):
    """Question texts keyed by locale; errors are keyed by locale, then metric."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return super()._deserialize(value, attr, data, **kwargs)
        except ValidationError as exc:
            if not isinstance(exc.messages, dict):
                raise
            messages = {
                locale: problems.get("key") or problems.get("value")
                for locale, problems in exc.messages.items()
            }
            raise ValidationError(messages) from exc


class WidgetSchema(Schema):
    """The widget's settings; `null` on a change resets a setting to its default."""

    metric = fields.String(
        validate=validate.OneOf(METRICS),
        allow_none=True,
        load_default=DEFAULT_METRIC,
        dump_default=DEFAULT_METRIC,
        metadata={"description": "The metric the widget asks when the page names none."},
    )
    questions = QuestionTexts(
        keys=fields.String(validate=validate.Regexp(LOCALE_TAG, error="Not a locale tag.")),
        values=fields.Nested(QuestionSchema),
        validate=at_most(20),
        allow_none=True,
        load_default=dict,
        dump_default=dict,
        metadata={
            "description": "Question texts per locale and metric, replacing the widget's own, "
            'e.g. {"en": {"csat": "How was checkout?"}, "nl": {"csat": "Hoe ging afrekenen?"}}.'
        },
    )
    cooldown_days = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=3650),
        allow_none=True,
        load_default=DEFAULT_COOLDOWN_DAYS,
        dump_default=DEFAULT_COOLDOWN_DAYS,
        metadata={"description": "Days `ask` stays quiet after the visitor has answered."},
    )
    color = fields.String(
        validate=validate.Regexp(HEX_COLOR, error="A CSS hex colour like #0a7 or #00aa77."),
        allow_none=True,
        dump_default=None,
    )
    position = fields.String(validate=validate.OneOf(POSITIONS), allow_none=True, dump_default=None)
    label = Text(40, allow_none=True, dump_default=None)


def default_widget() -> dict:
    """Return the widget settings of a site that sets none."""
    return WidgetSchema().load({})


def merge_widget(current: dict, changes: dict) -> dict:
    """Return widget settings with `changes` applied; a `None` resets that setting."""
    defaults = default_widget()
    merged = {**defaults, **(current or {}), **changes}
    for name in [name for name, value in merged.items() if value is None]:
        if name in defaults:
            merged[name] = defaults[name]
        else:
            del merged[name]
    return merged


class SiteSchema(Schema):
    """A site as it is created and shown."""

    key = fields.String(dump_only=True)
    name = Text(200, required=True)
    allowed_origins = fields.List(
        Origin(),
        required=True,
        validate=[validate.Length(min=1, max=100), only_wildcard_alone],
        metadata={"description": 'Origins allowed to post responses, or exactly ["*"].'},
    )
    phase_rules = fields.List(
        fields.Nested(PhaseRuleSchema),
        validate=validate.Length(max=200),
        load_default=list,
        metadata={"description": "Tried in order; the first whose glob fits the path wins."},
    )
    collect_email = StrictBoolean(load_default=False)
    keep_query_params = fields.List(
        fields.String(
            validate=[validate.Length(min=1, max=100), validate.Regexp(QUERY_PARAM_NAME)]
        ),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "Query parameters kept in stored page URLs (others dropped)."},
    )
    enabled = StrictBoolean(load_default=True)
    widget = fields.Nested(WidgetSchema, load_default=default_widget)
    snippet = fields.Function(
        lambda site: site_snippet(site, public_url()),
        dump_only=True,
        metadata={"description": "The script tag to paste into the site's pages."},
    )
    created_at = Timestamp(dump_only=True)
    updated_at = Timestamp(dump_only=True)

    @post_load
    def tidy(self, data, **kwargs):
        """Keep the first of repeated entries; on creation, resolve widget `null`s to defaults."""
        for name in ("allowed_origins", "keep_query_params"):
            if name in data:
                data[name] = list(dict.fromkeys(data[name]))
        if not self.partial:
            data["widget"] = merge_widget({}, data["widget"])
        return data


class SiteUpdateSchema(SiteSchema):
    """A change to a site: any subset of its settings; `widget` merges key by key."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class SiteListSchema(Schema):
    """The sites a token may see."""

    sites = fields.List(fields.Nested(SiteSchema))


class ThemeNames(fields.List):
    """The complaint themes stored as a bit mask, written as a list of their names."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(validate=validate.OneOf(THEMES)), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return mask_themes(value or 0)


class ResponseSchema(Schema):
    """One stored response, with the keys and order of the export's columns."""

    id = fields.Integer()
    received_at = Timestamp()
    site_key = fields.String(attribute="site.key")
    metric = fields.String()
    score = fields.Integer()
    phase = fields.String(allow_none=True)
    phase_source = fields.String(allow_none=True)
    page_url = fields.String()
    page_path = fields.String()
    page_title = fields.String(allow_none=True)
    referrer_host = fields.String(allow_none=True)
    locale = fields.String(allow_none=True)
    device = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    tags = fields.Dict(allow_none=True)
    event_id = fields.String(allow_none=True)
    themes = ThemeNames(metadata={"description": "Complaint themes the comment raises."})


class ResponsePageSchema(Schema):
    """One page of responses, newest first."""

    items = fields.List(fields.Nested(ResponseSchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass back as `cursor` for the next page; null on the last."},
    )


def encode_cursor(received_at: datetime, response_id: int) -> str:
    """Return the opaque cursor that continues a listing after this response."""
    raw = json.dumps([iso_utc(received_at), response_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """Return the (received_at, id) a cursor holds; raise ValueError when it holds none."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment, response_id = json.loads(raw)
        received_at = datetime.fromisoformat(moment.removesuffix("Z"))
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError, AttributeError) as exc:
        raise ValueError("not a cursor") from exc
    if received_at.tzinfo is not None or type(response_id) is not int:
        raise ValueError("not a cursor")
    if not 0 < response_id <= MAX_ROW_ID:
        raise ValueError("not a cursor")
    return received_at.replace(tzinfo=UTC), response_id


class Cursor(fields.String):
    """An opaque position in a listing, as given out in `next_cursor`."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid_cursor": "Not a cursor this server gave out."
    }

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if len(text) > MAX_CURSOR_LENGTH:
            raise self.make_error("invalid_cursor")
        try:
            return decode_cursor(text)
        except ValueError as exc:
            raise self.make_error("invalid_cursor") from exc


class ResponseListQuerySchema(ResponseFilterSchema):
    """The query string of the response listing: the common filters and paging."""

    min_score = fields.Integer(validate=validate.Range(min=LOWEST_SCORE, max=HIGHEST_SCORE))
    max_score = fields.Integer(validate=validate.Range(min=LOWEST_SCORE, max=HIGHEST_SCORE))
    q = fields.String(
        validate=[validate.Length(min=1, max=200), validate.Regexp(SINGLE_LINE)],
        metadata={"description": "Case-insensitive text the comment contains."},
    )
    limit = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )
    cursor = Cursor(metadata={"description": "The `next_cursor` of the previous page."})

    @validates_schema
    def check_score_range(self, data, **kwargs):
        """Refuse a score range whose minimum is above its maximum."""
        low, high = data.get("min_score"), data.get("max_score")
        if low is not None and high is not None and low > high:
            raise ValidationError("`min_score` must not be above `max_score`.", "min_score")


class ErasureSchema(Schema):
    """Whose responses to erase."""

    email = fields.Email(required=True, validate=validate.Length(max=254))


class ErasureResultSchema(Schema):
    """How many responses an erasure deleted."""

    deleted = fields.Integer()
