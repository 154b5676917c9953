"""Describe the one error body every JSON error answer has (server/errors.py builds it)."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    """The error body, as the OpenAPI document describes every error answer."""

    code = fields.Integer(required=True)
    status = fields.String(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "Each failing field's messages, keyed by its dotted path."},
    )
