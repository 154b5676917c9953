"""Define the reports' query strings and answers: stats, moments of truth and the export."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..insight.export import FORMATS
from ..insight.moments import BY, DEFAULT_MIN_COUNT
from ..insight.stats import DEFAULT_GROUP_LIMIT, GROUP_BYS, LIMITED_GROUP_BYS, MAX_GROUP_LIMIT
from ..models import METRICS
from .fields import QueryInteger, Timestamp
from .filters import ReportFilterSchema, ResponseFilterSchema


class StatsQuerySchema(ReportFilterSchema):
    """The stats query: a required metric, a grouping and the common filters."""

    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    group_by = fields.String(load_default="none", validate=validate.OneOf(GROUP_BYS))
    limit = QueryInteger(
        validate=validate.Range(min=1, max=MAX_GROUP_LIMIT),
        metadata={
            "description": f"group_by=page and locale only: the largest groups listed (default "
            f'{DEFAULT_GROUP_LIMIT}); the rest are summed into one group keyed "_other".'
        },
    )

    @validates_schema
    def limit_only_where_groups_are_cut(self, data, **kwargs):
        """Refuse a `limit` on a grouping that lists every group."""
        if "limit" in data and data.get("group_by") not in LIMITED_GROUP_BYS:
            raise ValidationError("Only group_by=page and group_by=locale take a limit.", "limit")


class SummarySchema(Schema):
    """SPEC's SUMMARY; only the parts of the requested metric are present."""

    count = fields.Integer(required=True)
    mean = fields.Float(allow_none=True)
    score = fields.Float(allow_none=True)
    ci95 = fields.List(fields.Float(), allow_none=True, metadata={"description": "[low, high]"})
    promoters = fields.Integer(metadata={"description": "nps: scores 9-10"})
    passives = fields.Integer(metadata={"description": "nps: scores 7-8"})
    detractors = fields.Integer(metadata={"description": "nps: scores 0-6"})
    satisfied = fields.Integer(metadata={"description": "csat: scores 4-5"})
    easy = fields.Integer(metadata={"description": "ces: scores 5-7"})
    up = fields.Integer(metadata={"description": "thumbs: score 1"})


class GroupSummarySchema(SummarySchema):
    """One group's SUMMARY and its key."""

    key = fields.String(allow_none=True)
    reported = fields.Integer(
        metadata={"description": "group_by=theme: responses whose visitor picked the theme"}
    )
    detected = fields.Integer(
        metadata={"description": "group_by=theme: responses whose comment raises the theme"}
    )


class StatsSchema(Schema):
    """A site's stats for one metric."""

    metric = fields.String()
    group_by = fields.String()
    start = fields.String(attribute="from", data_key="from")
    end = fields.String(attribute="to", data_key="to")
    overall = fields.Nested(SummarySchema)
    groups = fields.List(fields.Nested(GroupSummarySchema))


class ExportQuerySchema(ResponseFilterSchema):
    """The export query: a format and the common filters."""

    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


class MomentsQuerySchema(ReportFilterSchema):
    """The moments query: a required metric, the grouping, `min_count` and the filters."""

    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    by = fields.String(load_default="page", validate=validate.OneOf(BY))
    min_count = QueryInteger(
        load_default=DEFAULT_MIN_COUNT,
        validate=validate.Range(min=2),
        metadata={"description": "Smallest group that is tested."},
    )


class CommentSchema(Schema):
    """One recent comment of a moment."""

    id = fields.Integer()
    score = fields.Integer()
    comment = fields.String()
    received_at = Timestamp()


class MomentSchema(Schema):
    """One moment of truth: a group far from the rest of the site."""

    key = fields.String()
    kind = fields.String(metadata={"description": "`despair` below the rest, `delight` above"})
    count = fields.Integer()
    score = fields.Float()
    rest_score = fields.Float()
    delta = fields.Float()
    ci95 = fields.List(fields.Float(), allow_none=True)
    p_value = fields.Float()
    q_value = fields.Float(metadata={"description": "Benjamini-Hochberg adjusted p-value"})
    impact = fields.Float(metadata={"description": "count * |delta|"})
    themes = fields.Dict(keys=fields.String(), values=fields.Integer())
    comments = fields.List(fields.Nested(CommentSchema))


class MomentsSchema(Schema):
    """A site's moments of truth for one metric."""

    metric = fields.String()
    by = fields.String()
    start = fields.String(attribute="from", data_key="from")
    end = fields.String(attribute="to", data_key="to")
    baseline = fields.Nested(SummarySchema)
    moments = fields.List(fields.Nested(MomentSchema))
