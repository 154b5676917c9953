"""Define the widget's proactive prompts: the triggers a site sets and the share of views asked."""

from typing import ClassVar

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from ..models import METRICS
from ..sites.settings import TRIGGER_KINDS
from .fields import Entries, Integer, NormalString, Pattern, Text
from .patterns import GLOB, LOCALE_TAG, TEXT_LINE

EVENT_NAME = r"^[A-Za-z0-9_.:-]{1,64}$"
MAX_TRIGGERS = 10
MAX_PATHS = 20
MAX_QUESTION_LENGTH = 300

#: What each kind of trigger takes as its `value` (an exit intent takes none).
VALUES = {
    "time_on_page": Integer(validate=validate.Range(min=1, max=3600)),
    "scroll_depth": Integer(validate=validate.Range(min=1, max=100)),
    "event": fields.String(
        validate=Pattern(EVENT_NAME, error="1 to 64 letters, digits, '_', '.', ':' or '-'.")
    ),
}


class Share(fields.Float):
    """A JSON number (never a boolean or a string) read as a float."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class TriggerQuestion(fields.Field):
    """The prompt's question: one text, or texts keyed by locale."""

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "A text or an object of texts keyed by locale."
    }
    text = Text(MAX_QUESTION_LENGTH)
    per_locale = fields.Dict(
        keys=fields.String(validate=Pattern(LOCALE_TAG, error="Not a locale tag.")),
        values=Text(MAX_QUESTION_LENGTH),
        validate=[validate.Length(min=1), Entries(20)],
    )

    def __init__(self, **kwargs):
        texts = {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_QUESTION_LENGTH,
            "pattern": TEXT_LINE,
        }
        per_locale = {
            "type": "object",
            "propertyNames": {"type": "string", "pattern": LOCALE_TAG},
            "additionalProperties": texts,
            "minProperties": 1,
            "maxProperties": 20,
        }
        super().__init__(metadata={"anyOf": [texts, per_locale], **kwargs.pop("metadata", {})})

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            return self.text.deserialize(value)
        if isinstance(value, dict):
            return self.per_locale.deserialize(value)
        raise self.make_error("invalid")


class TriggerSchema(Schema):
    """A moment the widget opens by itself on pages whose path fits one of `paths`."""

    #: The rule between `on` and `value` (`check_value`), for the OpenAPI document.
    OPENAPI_RULES: ClassVar[dict] = {
        "oneOf": [
            {"properties": {"on": {"enum": ["exit_intent"]}, "value": {"type": "null"}}},
            *(
                {
                    "properties": {"on": {"enum": [kind]}, "value": rule},
                    "required": ["value"],
                }
                for kind, rule in (
                    ("time_on_page", {"type": "integer", "minimum": 1, "maximum": 3600}),
                    ("scroll_depth", {"type": "integer", "minimum": 1, "maximum": 100}),
                    ("event", {"type": "string", "pattern": EVENT_NAME}),
                )
            ),
        ]
    }

    on = fields.String(required=True, validate=validate.OneOf(TRIGGER_KINDS))
    value = fields.Raw(
        allow_none=True,
        metadata={
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 3600},
                {"type": "string"},
                {"type": "null"},
            ],
            "description": "time_on_page: seconds (1-3600); scroll_depth: percent of the page "
            f"(1-100); event: the name `Touchpoint.track` is given ({EVENT_NAME}); "
            "exit_intent: none.",
        },
    )
    paths = fields.List(
        NormalString(
            validate=[
                validate.Length(min=1, max=500),
                Pattern(GLOB, error="A glob starts with / or * and has no control characters."),
            ]
        ),
        validate=validate.Length(min=1, max=MAX_PATHS),
        load_default=lambda: ["*"],
        metadata={"description": "Globs over the whole path, matched like phase rules."},
    )
    metric = fields.String(
        validate=validate.OneOf(METRICS),
        metadata={"description": "The metric asked; default the widget's `metric`."},
    )
    question = TriggerQuestion(metadata={"description": "Replaces the metric's question."})

    @validates_schema(skip_on_field_errors=False)
    def check_value(self, data, **kwargs):
        """Refuse a value the trigger's kind does not take."""
        kind, value = data.get("on"), data.get("value")
        if kind == "exit_intent" and value is not None:
            raise ValidationError("exit_intent takes no value.", "value")
        if kind in VALUES:
            if value is None:
                raise ValidationError(f"{kind} needs a value.", "value")
            try:
                VALUES[kind].deserialize(value)
            except ValidationError as exc:
                raise ValidationError(exc.messages, "value") from exc

    @post_load
    def read_value(self, data, **kwargs):
        """Store the value as its kind reads it (an exit intent stores none)."""
        kind = data["on"]
        data["value"] = VALUES[kind].deserialize(data["value"]) if kind in VALUES else None
        return data
