"""Define alert rules as the admin API takes and shows them (targets: alert_targets.py; the
delivery log: alert_deliveries.py)."""

from typing import ClassVar

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)

from ..alerts.rules import masked
from ..insight.themes import THEMES
from ..models import METRICS, PHASES, SCORE_RANGES
from .alert_targets import (
    TARGET_BY_CHANNEL,
    Target,
    email_target,
    target_errors,
)
from .fields import (
    PagePath,
    StrictBoolean,
    Text,
    Timestamp,
)

EVENTS = ("response", "change", "digest")
CHANNELS = ("webhook", "slack", "email")
SCHEDULES = ("daily", "weekly")
CHANGE_KINDS = ("drop", "rise")


class AlertFilterSchema(Schema):
    """Which responses a `response` rule fires for; every part given must hold."""

    metric = fields.String(validate=validate.OneOf(METRICS))
    max_score = fields.Integer(
        strict=True,
        validate=validate.Range(min=0, max=max(high for _, high in SCORE_RANGES.values())),
        metadata={"description": "Only responses scoring at most this (e.g. NPS detractors: 6)."},
    )
    phase = fields.String(validate=validate.OneOf(PHASES))
    path = PagePath(
        absolute=True,
        metadata={"description": "Exact normalised page path, starting with `/`."},
    )
    themes = fields.List(
        fields.String(validate=validate.OneOf(THEMES)),
        validate=validate.Length(min=1, max=len(THEMES)),
        metadata={
            "description": "Responses raising any of these complaint themes (detected in the "
            "comment or picked as reasons); at least one, no repeats (leave the list out to "
            "match every theme).",
            "uniqueItems": True,
        },
    )
    kinds = fields.List(
        fields.String(validate=validate.OneOf(CHANGE_KINDS)),
        validate=validate.Length(min=1, max=len(CHANGE_KINDS)),
        metadata={
            "description": "Change rules only: the kinds of change that fire (default drop); "
            "no repeats.",
            "uniqueItems": True,
        },
    )

    #: For the OpenAPI document: with a metric, `max_score` lies in that metric's score range.
    OPENAPI_RULES: ClassVar[dict] = {
        "allOf": [
            {
                "if": {"required": ["metric"], "properties": {"metric": {"const": metric}}},
                "then": {"properties": {"max_score": {"minimum": low, "maximum": high}}},
            }
            for metric, (low, high) in SCORE_RANGES.items()
        ]
    }

    @validates("themes")
    def check_themes(self, themes, **kwargs):
        """Refuse a theme named twice."""
        if len(set(themes)) != len(themes):
            raise ValidationError("Each theme may be given once.")

    @validates("kinds")
    def check_kinds(self, kinds, **kwargs):
        """Refuse a kind of change named twice."""
        if len(set(kinds)) != len(kinds):
            raise ValidationError("Each kind may be given once.")

    @validates_schema
    def check_max_score(self, data, **kwargs):
        """Refuse a `max_score` outside the score range of the filter's metric."""
        if "metric" in data and "max_score" in data:
            low, high = SCORE_RANGES[data["metric"]]
            try:
                validate.Range(min=low, max=high)(data["max_score"])
            except ValidationError as exc:
                # The standard message names the range, and the dashboard translates it.
                raise ValidationError(exc.messages, "max_score") from exc


#: The filter parts each kind of rule reads: a part another kind reads is refused rather
#: than stored to do nothing.
FILTER_PARTS = {
    "response": ("metric", "max_score", "phase", "path", "themes"),
    "change": ("metric", "phase", "kinds"),
    "digest": ("metric",),
}
#: What is said of a part the rule's kind does not read.
UNREAD_PARTS = {
    "kinds": "Only change rules have kinds.",
    "max_score": "Only response rules filter by score.",
    "path": "Only response rules filter by page path.",
    "themes": "Only response rules filter by themes.",
    "phase": "A digest covers every phase: it has no phase filter.",
}


def filter_errors(on: str, wanted: dict) -> dict[str, list[str]]:
    """Return what is wrong with a filter for a rule firing on `on`, by field (empty if fine):
    the parts that kind of rule does not read (`FILTER_PARTS`)."""
    return {part: [UNREAD_PARTS[part]] for part in wanted if part not in FILTER_PARTS[on]}


def schedule_errors(on: str, schedule: str | None) -> list[str]:
    """Return what is wrong with a rule's `schedule` for its event `on` (empty when fine)."""
    if on == "digest" and not schedule:
        return ["A digest rule needs a schedule."]
    if on != "digest" and schedule:
        return ["Only digest rules have a schedule."]
    return []


def check_merged_rule(rule, changes: dict) -> None:
    """Check `rule` as `changes` (a loaded PATCH) would leave it; ValidationError if wrong.

    The stored event decides: a `response` rule cannot get a schedule or a filter with
    `kinds`, a `digest` rule cannot lose its schedule.
    """
    errors = {}
    if schedule := schedule_errors(rule.on, changes.get("schedule", rule.schedule)):
        errors["schedule"] = schedule
    if "filter" in changes and (wrong := filter_errors(rule.on, changes["filter"])):
        errors["filter"] = wrong
    if errors:
        raise ValidationError(errors)


class AlertRuleInSchema(Schema):
    """A new alert rule."""

    #: For the OpenAPI document: the target follows the channel (`check_target`); a digest
    #: rule has a schedule, the others none (`check_schedule`); only a change rule's filter
    #: has `kinds` (`check_filter`).
    OPENAPI_RULES: ClassVar[dict] = {
        "allOf": [
            TARGET_BY_CHANNEL,
            {
                "if": {"required": ["on"], "properties": {"on": {"const": "digest"}}},
                "then": {"required": ["schedule"], "properties": {"schedule": {"type": "string"}}},
                "else": {"properties": {"schedule": {"type": "null"}}},
            },
            *(
                {
                    "if": {"required": ["on"], "properties": {"on": {"const": on}}},
                    "then": {
                        "properties": {
                            "filter": {"not": {"anyOf": [{"required": [part]} for part in unread]}}
                        }
                    },
                }
                for on, unread in (
                    (on, [part for part in UNREAD_PARTS if part not in parts])
                    for on, parts in FILTER_PARTS.items()
                )
            ),
        ]
    }

    name = Text(200, required=True)
    on = fields.String(required=True, validate=validate.OneOf(EVENTS))
    channel = fields.String(required=True, validate=validate.OneOf(CHANNELS))
    target = Target(
        required=True,
        metadata={
            "description": "webhook: an http(s) URL; slack: an incoming webhook URL; email: "
            "an address. Addresses that are private, loopback or link-local are refused "
            "unless TOUCHPOINT_ALERTS_ALLOW_PRIVATE is on."
        },
    )
    filter = fields.Nested(AlertFilterSchema, load_default=dict)
    schedule = fields.String(
        allow_none=True,
        validate=validate.OneOf(SCHEDULES),
        metadata={
            "description": "Digest rules only (required for them, null or left out for the "
            "others): daily, or weekly (Mondays), at 08:00."
        },
    )
    enabled = StrictBoolean(load_default=True)

    @validates_schema
    def check_target(self, data, **kwargs):
        """Refuse a target the channel cannot use, or whose address is not public."""
        if "target" in data or "channel" in data:
            if "target" not in data or "channel" not in data:
                missing = "channel" if "target" in data else "target"
                raise ValidationError(["Give channel and target together."], missing)
            errors = target_errors(data["channel"], data["target"])
            if errors:
                raise ValidationError(errors, "target")

    @post_load
    def ascii_email_target(self, data, **kwargs):
        """Store an email target with its domain in ASCII (IDNA), as SMTP sends it."""
        if data.get("channel") == "email" and "target" in data:
            data["target"] = email_target(data["target"])
        return data

    @validates_schema
    def check_schedule(self, data, **kwargs):
        """Require a schedule on digest rules, and refuse one on the others."""
        if "on" in data and (errors := schedule_errors(data["on"], data.get("schedule"))):
            raise ValidationError(errors, "schedule")

    @validates_schema
    def check_filter(self, data, **kwargs):
        """Refuse a filter part the rule's event does not use (`kinds` off change rules)."""
        if "on" in data and (errors := filter_errors(data["on"], data.get("filter", {}))):
            raise ValidationError(errors, "filter")


class AlertRuleUpdateSchema(AlertRuleInSchema):
    """Changes to an alert rule: fields left out stay (a new target comes with its channel)."""

    #: For the OpenAPI document: channel and target come together, the target following the
    #: channel. Whether `schedule` may be set depends on the stored rule's event, which the
    #: document says in words.
    OPENAPI_RULES: ClassVar[dict] = {
        "dependentRequired": {"channel": ["target"], "target": ["channel"]},
        **TARGET_BY_CHANNEL,
    }

    name = Text(200)
    target = Target()
    channel = fields.String(validate=validate.OneOf(CHANNELS))
    filter = fields.Nested(AlertFilterSchema)
    enabled = StrictBoolean()

    class Meta:
        # A rule's event is fixed when it is created: `on` is not a field of a change (the
        # document leaves it out), and `refuse_event` says why it is refused.
        exclude = ("on",)

    @pre_load
    def refuse_event(self, data, **kwargs):
        """Refuse a change of `on`, saying how to get a rule with another event."""
        if isinstance(data, dict) and "on" in data:
            raise ValidationError(
                ["A rule's event cannot be changed: delete the rule and create a new one."],
                "on",
            )
        return data


class AlertRuleSchema(Schema):
    """An alert rule as shown: target and secret whole only in the answer that made them."""

    id = fields.Integer()
    name = fields.String()
    on = fields.String()
    channel = fields.String()
    target = fields.Method("shown_target", metadata={"description": "`…` + last 4 characters."})
    secret = fields.Method(
        "shown_secret",
        metadata={"description": "Webhooks: `whsec_…`, whole only in the answer that made it."},
    )
    filter = fields.Nested(AlertFilterSchema)
    schedule = fields.String(allow_none=True)
    enabled = fields.Boolean()
    created_at = Timestamp()
    updated_at = Timestamp()

    def shown_target(self, rule) -> str:
        """Return the target, masked unless this answer created it."""
        return rule.target if getattr(rule, "revealed", False) else masked(rule.target)

    def shown_secret(self, rule) -> str | None:
        """Return the secret, masked unless this answer created it."""
        return rule.secret if getattr(rule, "revealed", False) else masked(rule.secret)


class AlertRuleListSchema(Schema):
    """A site's alert rules, oldest first."""

    items = fields.List(fields.Nested(AlertRuleSchema))
