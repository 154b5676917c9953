"""Define the database tables: sites, responses, admin tokens, refused origins, alerts and the
audit log."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .text import fold, fold_email

METRICS = ("csat", "ces", "nps", "thumbs")
SCORE_RANGES = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10), "thumbs": (0, 1)}
PHASES = ("awareness", "consideration", "conversion", "loyalty", "advocacy")
PHASE_SOURCES = ("client", "rule")
DEVICES = ("mobile", "tablet", "desktop")
#: A response's triage status; `spam` keeps it out of every figure and, unless asked, listing.
STATUSES = ("new", "read", "resolved", "spam")
SPAM = "spam"
MAX_NOTE_LENGTH = 2000
#: The largest id a BIGINT holds; larger ids cannot exist and must not reach the database.
MAX_ROW_ID = 2**63 - 1

# SQLite has no BIGINT autoincrement; the variant keeps 64-bit ids on PostgreSQL.
BigId = BigInteger().with_variant(Integer(), "sqlite")


#: SQLite hands out the largest id plus one unless a table says AUTOINCREMENT, so a deleted
#: newest row's id came back; PostgreSQL's sequences never go back.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def folded(column: str, folding):
    """Return a column default: the `folding` of column `column` in the same insert."""

    def default(context):
        return folding(context.get_current_parameters().get(column))

    return default


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC and always read them back aware.

    SQLite keeps no offset, so values are converted to UTC and stored naive; PostgreSQL
    uses `timestamptz`. Both return aware UTC datetimes to Python.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Site(db.Model):
    """A website or portal that collects feedback under one public key."""

    __tablename__ = "sites"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    phase_rules: Mapped[list] = mapped_column(JSON, default=list)
    collect_email: Mapped[bool] = mapped_column(Boolean, default=False)
    keep_query_params: Mapped[list] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    widget: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The reporting time zone (IANA name): dates shown and day/week/month buckets.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")

    responses: Mapped[list["Response"]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True
    )


class Response(db.Model):
    """One piece of feedback a visitor sent."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("site_id", "event_id", name="uq_responses_site_event"),
        Index("ix_responses_site_received", "site_id", "received_at", "id"),
        Index("ix_responses_site_metric_received", "site_id", "metric", "received_at"),
        Index("ix_responses_site_email_folded", "site_id", "email_folded"),
        # The inbox: one status of a site, newest first.
        Index("ix_responses_site_status_received", "site_id", "status", "received_at", "id"),
        CheckConstraint(
            "status IN ('new', 'read', 'resolved', 'spam')", name="ck_responses_status"
        ),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    metric: Mapped[str] = mapped_column(String(8))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(254))
    page_url: Mapped[str] = mapped_column(String(2048))
    page_path: Mapped[str] = mapped_column(String(2048))
    page_title: Mapped[str | None] = mapped_column(String(300))
    referrer_host: Mapped[str | None] = mapped_column(String(255))
    phase: Mapped[str | None] = mapped_column(String(16))
    phase_source: Mapped[str | None] = mapped_column(String(8))
    locale: Mapped[str | None] = mapped_column(String(35))
    device: Mapped[str | None] = mapped_column(String(8))
    tags: Mapped[dict | None] = mapped_column(JSON)
    event_id: Mapped[str | None] = mapped_column(String(36))
    # Bit i set = the comment raises complaint theme THEMES[i] (server/insight/themes.py).
    themes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The themes the visitor picked (`reasons`), in the same bits, apart from the tagger's.
    reasons: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # `fold(comment)` and `fold_email(email)`, written with them (server/ingest/normalize.py):
    # `q` and erasure compare folded text with folded text, alike on both databases.
    comment_folded: Mapped[str | None] = mapped_column(Text, default=folded("comment", fold))
    email_folded: Mapped[str | None] = mapped_column(Text, default=folded("email", fold_email))
    status: Mapped[str] = mapped_column(String(8), default="new", server_default="new")
    note: Mapped[str | None] = mapped_column(String(MAX_NOTE_LENGTH))

    site: Mapped[Site] = relationship(back_populates="responses")


class AdminToken(db.Model):
    """A bearer token for the admin API, stored only as its SHA-256 hash."""

    __tablename__ = "admin_tokens"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    read_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    site: Mapped[Site | None] = relationship()


class RefusedOrigin(db.Model):
    """An origin a site does not allow that called its public API: how often, and when last."""

    __tablename__ = "refused_origins"
    __table_args__ = (UniqueConstraint("site_id", "origin", name="uq_refused_origins_site_origin"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(255))
    count: Mapped[int] = mapped_column(BigId)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertRule(db.Model):
    """A site's rule: on an event (`response`, `change`, `digest`), tell a channel's target."""

    __tablename__ = "alert_rules"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    on: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str] = mapped_column(String(8))
    target: Mapped[str] = mapped_column(String(2048))
    # `whsec_` + base64, webhooks only: signing needs the secret itself, not a hash of it.
    secret: Mapped[str | None] = mapped_column(String(100))
    filter: Mapped[dict] = mapped_column(JSON, default=dict)
    schedule: Mapped[str | None] = mapped_column(String(8))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AlertDelivery(db.Model):
    """One attempt to deliver one alert message; retries share the message's `message_id`."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (
        Index("ix_alert_deliveries_rule_id", "rule_id", "id"),
        Index("ix_alert_deliveries_created", "created_at"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(40))
    event: Mapped[str] = mapped_column(String(32))
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    # pending → sending → delivered | retrying (a next attempt is queued) | failed
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(db.Model):
    """One change someone made: who (token name and id, or the CLI), what, when, on which site.

    The token and site are kept as text, not foreign keys, so an entry outlives both.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_site", "site_key", "id"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(16))
    token_id: Mapped[int | None] = mapped_column(Integer)
    token_name: Mapped[str | None] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    site_key: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(128))


class AlertState(db.Model):
    """A change a `change` rule has alerted on and that is still significant."""

    __tablename__ = "alert_states"
    __table_args__ = (
        UniqueConstraint("rule_id", "metric", "key", "kind", name="uq_alert_states_change"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(8))
    # A phase, "unknown" or "all" (the whole site), as `changes` names it.
    key: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(4))
    since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertDigest(db.Model):
    """A digest period a `digest` rule has started sending: at most one per (rule, period)."""

    __tablename__ = "alert_digests"
    __table_args__ = (
        UniqueConstraint("rule_id", "period", name="uq_alert_digests_period"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("alert_rules.id", ondelete="CASCADE"))
    # The local date of the 08:00 the digest is for, e.g. "2026-11-30".
    period: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
