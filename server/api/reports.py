"""Serve a site's reports to admins: stats, moments of truth, changes and the export."""

from ..insight.changes import find_changes
from ..insight.export import export_download
from ..insight.moments import site_moments
from ..insight.stats import DEFAULT_GROUP_LIMIT, site_stats
from ..schemas.changes import ChangesQuerySchema, ChangesSchema
from ..schemas.reports import (
    ExportQuerySchema,
    MomentsQuerySchema,
    MomentsSchema,
    StatsQuerySchema,
    StatsSchema,
)
from .access import SITE, AdminBlueprint

blp = AdminBlueprint(
    "reports",
    __name__,
    url_prefix="/api/v1/admin",
    description="Stats, moments, changes and export",
)


@blp.route(f"{SITE}/stats")
@blp.access()
@blp.arguments(StatsQuerySchema, location="query", as_kwargs=False)
@blp.response(200, StatsSchema)
def stats(query, site):
    """Return the site's aggregates for one metric, overall and per group."""
    metric, group_by = query.pop("metric"), query.pop("group_by")
    limit = query.pop("limit", DEFAULT_GROUP_LIMIT)
    return site_stats(site, metric, group_by, query, limit)


@blp.route(f"{SITE}/moments")
@blp.access()
@blp.arguments(MomentsQuerySchema, location="query", as_kwargs=False)
@blp.response(200, MomentsSchema)
def moments(query, site):
    """Return the pages or phases that score far from the rest of the site."""
    metric, by, min_count = query.pop("metric"), query.pop("by"), query.pop("min_count")
    return site_moments(site, metric, by, query, min_count)


@blp.route(f"{SITE}/changes")
@blp.access()
@blp.arguments(ChangesQuerySchema, location="query", as_kwargs=False)
@blp.response(200, ChangesSchema)
def changes(query, site):
    """Return the phases, and the whole site, whose last window differs from its baseline."""
    return find_changes(site, query.pop("metric"), **query)


@blp.route(f"{SITE}/export")
@blp.access()
@blp.arguments(ExportQuerySchema, location="query", as_kwargs=False)
@blp.response(
    200,
    description="CSV (text/csv), NDJSON (application/x-ndjson) with format=ndjson, or an Excel "
    "workbook (application/vnd.openxmlformats-officedocument.spreadsheetml.sheet) with "
    "format=xlsx, which refuses more than 1,048,575 rows (422: export CSV); streamed.",
)
def export(query, site):
    """Stream the site's responses as CSV, NDJSON or xlsx, oldest first (by id)."""
    fmt = query.pop("format")
    return export_download(site, query, fmt).response()
