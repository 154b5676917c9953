"""Define the public widget settings /config answers, kept query parameters included."""

from marshmallow import fields

from .ingest import WidgetConfigSchema


class PublicConfigSchema(WidgetConfigSchema):
    """A site's public widget settings and the query parameters its pages' URLs keep."""

    keep_query_params = fields.List(
        fields.String(),
        metadata={"description": "The only query parameters the widget sends of a page's URL."},
    )
