"""Define an alert rule's delivery log as the admin API shows it, a page at a time."""

from marshmallow import Schema, fields, validate

from .fields import QueryInteger, Timestamp

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
MAX_CURSOR = 2**63 - 1


class AlertDeliverySchema(Schema):
    """One attempt to deliver an alert."""

    id = fields.Integer()
    message_id = fields.String(metadata={"description": "Sent as `webhook-id`; kept by retries."})
    event = fields.String()
    attempt = fields.Integer(metadata={"description": "1 for the first try, then 2, 3 …"})
    outcome = fields.String(
        metadata={"description": "pending, sending, delivered, retrying or failed."}
    )
    status_code = fields.Integer(
        allow_none=True,
        metadata={
            "description": "The receiver's HTTP status, or the mail server's reply code (250: "
            "accepted; 550: refused for good); null when there was no answer."
        },
    )
    error = fields.String(
        allow_none=True,
        metadata={"description": "Why it was not delivered, in words; null when it was."},
    )
    duration_ms = fields.Integer(allow_none=True)
    created_at = Timestamp()
    attempted_at = Timestamp(allow_none=True)


class AlertDeliveryPageSchema(Schema):
    """One page of a rule's delivery attempts, newest first."""

    items = fields.List(fields.Nested(AlertDeliverySchema))
    next_cursor = fields.String(
        allow_none=True,
        metadata={"description": "Pass back as `cursor` for the next page; null on the last."},
    )


class AlertDeliveryQuerySchema(Schema):
    """The query string of the delivery log: paging only."""

    limit = QueryInteger(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )
    cursor = QueryInteger(
        validate=validate.Range(min=1, max=MAX_CURSOR),
        metadata={"description": "The `next_cursor` of the previous page."},
    )
