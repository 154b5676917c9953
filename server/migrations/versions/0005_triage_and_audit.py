"""Give responses a triage status and note, and keep an audit log of every change.

Revision ID: 0005_triage_and_audit
Revises: 0004_refused_origins
Create Date: 2026-11-29 19:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

from server.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0005_triage_and_audit"
down_revision = "0004_refused_origins"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    # SQLite rebuilds the table to add the check; it must keep never reusing ids (0003).
    with op.batch_alter_table(
        "responses", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=8), server_default="new", nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.String(length=2000), nullable=True))
        batch_op.create_check_constraint(
            "ck_responses_status", "status IN ('new', 'read', 'resolved', 'spam')"
        )
        batch_op.create_index(
            "ix_responses_site_status_received",
            ["site_id", "status", "received_at", "id"],
            unique=False,
        )
    op.create_table(
        "audit_entries",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("token_name", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("site_key", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_audit_entries_site", "audit_entries", ["site_key", "id"], unique=False)


def downgrade():
    op.drop_index("ix_audit_entries_site", table_name="audit_entries")
    op.drop_table("audit_entries")
    with op.batch_alter_table(
        "responses", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_index("ix_responses_site_status_received")
        batch_op.drop_constraint("ck_responses_status", type_="check")
        batch_op.drop_column("note")
        batch_op.drop_column("status")
