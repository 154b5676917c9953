"""Define a site's settings as the admin API, the dashboard and the CLI accept and show them."""

from marshmallow import Schema, ValidationError, fields, post_load, validate

from ..models import METRICS, PHASES
from ..sites.settings import (
    ANY_ORIGIN,
    DEFAULT_COOLDOWN_DAYS,
    DEFAULT_METRIC,
    DEFAULT_SAMPLING,
    POSITIONS,
    default_widget,
    merge_widget,
)
from ..sites.snippet import SOURCES, public_url, site_snippet
from .fields import (
    Entries,
    Integer,
    NormalString,
    Origin,
    Pattern,
    StrictBoolean,
    Text,
    Timestamp,
    TimeZone,
    characters,
)
from .patterns import CONTROL, GLOB, LOCALE_TAG, SPACE
from .triggers import MAX_TRIGGERS, Share, TriggerSchema

HEX_COLOR = r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
QUERY_PARAM_NAME = rf"^[^&=#{CONTROL}{SPACE}]+$"


def only_wildcard_alone(origins: list[str]) -> None:
    """Refuse `*` next to other origins: it means every origin, so it stands alone."""
    if ANY_ORIGIN in origins and len(origins) > 1:
        raise ValidationError('"*" allows every origin and must be the only entry.')


#: `only_wildcard_alone` in JSON Schema, for the OpenAPI document.
WILDCARD_ALONE = {"anyOf": [{"maxItems": 1}, {"items": {"not": {"const": ANY_ORIGIN}}}]}


class PhaseRuleSchema(Schema):
    """Send pages whose normalised path fits `match` to `phase`."""

    match = NormalString(
        required=True,
        validate=[
            characters(1, 500),
            Pattern(GLOB, error="A glob starts with / or * and has no control characters."),
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
        keys=fields.String(validate=Pattern(LOCALE_TAG, error="Not a locale tag.")),
        values=fields.Nested(QuestionSchema),
        validate=Entries(20),
        allow_none=True,
        load_default=dict,
        dump_default=dict,
        metadata={
            "description": "Question texts per locale and metric, replacing the widget's own, "
            'e.g. {"en": {"csat": "How was checkout?"}, "nl": {"csat": "Hoe ging afrekenen?"}}.'
        },
    )
    cooldown_days = Integer(
        validate=validate.Range(min=0, max=3650),
        allow_none=True,
        load_default=DEFAULT_COOLDOWN_DAYS,
        dump_default=DEFAULT_COOLDOWN_DAYS,
        metadata={"description": "Days `ask` stays quiet after the visitor has answered."},
    )
    color = fields.String(
        validate=Pattern(HEX_COLOR, error="A CSS hex colour like #0a7 or #00aa77."),
        allow_none=True,
        dump_default=None,
    )
    position = fields.String(validate=validate.OneOf(POSITIONS), allow_none=True, dump_default=None)
    label = Text(40, allow_none=True, dump_default=None)
    triggers = fields.List(
        fields.Nested(TriggerSchema),
        validate=validate.Length(max=MAX_TRIGGERS),
        allow_none=True,
        load_default=list,
        dump_default=list,
        metadata={
            "description": "Proactive prompts, none by default; a visitor is prompted at most "
            "once per `cooldown_days` and never twice in a visit. They reach pages through "
            "the per-site script."
        },
    )
    sampling = Share(
        validate=validate.Range(min=0, max=1),
        allow_none=True,
        load_default=DEFAULT_SAMPLING,
        dump_default=DEFAULT_SAMPLING,
        metadata={"description": "The share of eligible page views a trigger may prompt (0-1)."},
    )


class SiteSchema(Schema):
    """A site as it is created and shown."""

    key = fields.String(dump_only=True)
    name = Text(200, required=True)
    allowed_origins = fields.List(
        Origin(),
        required=True,
        validate=[validate.Length(min=1, max=100), only_wildcard_alone],
        metadata={
            "description": 'Origins allowed to post responses, or exactly ["*"].',
            **WILDCARD_ALONE,
        },
    )
    phase_rules = fields.List(
        fields.Nested(PhaseRuleSchema),
        validate=validate.Length(max=200),
        load_default=list,
        metadata={"description": "Tried in order; the first whose glob fits the path wins."},
    )
    collect_email = StrictBoolean(load_default=False)
    keep_query_params = fields.List(
        NormalString(validate=[characters(1, 100), Pattern(QUERY_PARAM_NAME)]),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "Query parameters kept in stored page URLs (others dropped)."},
    )
    enabled = StrictBoolean(load_default=True)
    timezone = TimeZone(
        load_default="UTC",
        metadata={
            "description": "The reporting time zone (IANA name): stats' day, week and month "
            "buckets, and `from`/`to` without an offset, are read in it."
        },
    )
    widget = fields.Nested(WidgetSchema, load_default=default_widget)
    snippet = fields.Function(
        lambda site: site_snippet(site, public_url().url),
        dump_only=True,
        metadata={"description": "The script tag to paste into the site's pages."},
    )
    snippet_url_source = fields.Function(
        lambda site: public_url().source,
        dump_only=True,
        metadata={
            "enum": list(SOURCES),
            "description": "Where the snippet's server URL came from: `configured` "
            "(TOUCHPOINT_PUBLIC_URL), `request` (this request's host), `running_server` "
            "(the URL a running `touchpoint serve` announced) or `default`.",
        },
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
    """A change to a site: any subset of its settings; `widget` merges key by key.

    Only the settings and the widget's own settings may be left out: a phase rule in a change
    is still a whole rule (`partial=True` would let its `phase` go missing too).
    """

    def __init__(self, *args, **kwargs):
        widget = WidgetSchema().fields
        settings = [name for name, field in SiteSchema().fields.items() if not field.dump_only]
        kwargs.setdefault("partial", (*settings, *(f"widget.{name}" for name in widget)))
        super().__init__(*args, **kwargs)


class SiteListSchema(Schema):
    """The sites a token may see."""

    sites = fields.List(fields.Nested(SiteSchema))
