"""Create sites, responses and admin tokens.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22 09:35:34.627170

"""

import sqlalchemy as sa
from alembic import op

from server.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("allowed_origins", sa.JSON(), nullable=False),
        sa.Column("phase_rules", sa.JSON(), nullable=False),
        sa.Column("collect_email", sa.Boolean(), nullable=False),
        sa.Column("keep_query_params", sa.JSON(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("widget", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "admin_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("read_only", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("metric", sa.String(length=8), nullable=False),
        sa.Column("score", sa.SmallInteger(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("page_url", sa.String(length=2048), nullable=False),
        sa.Column("page_path", sa.String(length=2048), nullable=False),
        sa.Column("page_title", sa.String(length=300), nullable=True),
        sa.Column("referrer_host", sa.String(length=255), nullable=True),
        sa.Column("phase", sa.String(length=16), nullable=True),
        sa.Column("phase_source", sa.String(length=8), nullable=True),
        sa.Column("locale", sa.String(length=35), nullable=True),
        sa.Column("device", sa.String(length=8), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "event_id", name="uq_responses_site_event"),
    )
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_site_email", ["site_id", "email"], unique=False)
        batch_op.create_index(
            "ix_responses_site_metric_received", ["site_id", "metric", "received_at"], unique=False
        )
        batch_op.create_index(
            "ix_responses_site_received", ["site_id", "received_at", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_site_received")
        batch_op.drop_index("ix_responses_site_metric_received")
        batch_op.drop_index("ix_responses_site_email")

    op.drop_table("responses")
    op.drop_table("admin_tokens")
    op.drop_table("sites")
