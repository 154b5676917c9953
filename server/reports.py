"""Serve a site's stats and its export to admins."""

from datetime import UTC, datetime

from flask import Response
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate

from .auth import authorized_site
from .export import CONTENT_TYPES, FORMATS, stream_export
from .filters import ResponseFilterSchema
from .models import METRICS
from .stats import GROUP_BYS, site_stats

blp = Blueprint("reports", __name__, url_prefix="/api/v1/admin", description="Stats and export")


class StatsQuerySchema(ResponseFilterSchema):
    """The stats query: a required metric, a grouping and the common filters."""

    metric = fields.String(required=True, validate=validate.OneOf(METRICS))
    group_by = fields.String(load_default="none", validate=validate.OneOf(GROUP_BYS))


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


class StatsSchema(Schema):
    """A site's stats for one metric."""

    metric = fields.String()
    group_by = fields.String()
    start = fields.String(attribute="from", data_key="from")
    end = fields.String(attribute="to", data_key="to")
    overall = fields.Nested(SummarySchema)
    groups = fields.List(fields.Nested(GroupSummarySchema))


@blp.route("/sites/<site_key>/stats")
@blp.arguments(StatsQuerySchema, location="query", as_kwargs=False)
@blp.response(200, StatsSchema)
def stats(query, site_key):
    """Return the site's aggregates for one metric, overall and per group."""
    site = authorized_site(site_key)
    metric, group_by = query.pop("metric"), query.pop("group_by")
    try:
        return site_stats(site, metric, group_by, query)
    except ValidationError as exc:
        abort(422, message="`from` must not be after `to`.", errors=exc.messages)


class ExportQuerySchema(ResponseFilterSchema):
    """The export query: a format and the common filters."""

    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


@blp.route("/sites/<site_key>/export")
@blp.arguments(ExportQuerySchema, location="query", as_kwargs=False)
@blp.response(
    200,
    description="CSV (text/csv), or NDJSON (application/x-ndjson) with format=ndjson; streamed.",
)
def export(query, site_key):
    """Stream the site's responses as CSV or NDJSON, oldest first (by id)."""
    site = authorized_site(site_key)
    fmt = query.pop("format")
    filename = f"touchpoint-{site.key}-{datetime.now(UTC):%Y-%m-%d}.{fmt}"
    return Response(
        stream_export(site, query, fmt),
        content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
