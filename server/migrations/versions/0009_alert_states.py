"""Remember which changes a `change` rule has alerted on, and which digests went out.

Revision ID: 0009_alert_states
Revises: 0008_site_timezone
Create Date: 2026-11-29 21:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from server.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0009_alert_states"
# 0008_site_timezone is not on main yet; the coordinator re-chains this at merge.
down_revision = "0008_site_timezone"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["alert_rules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "metric", "key", "kind", name="uq_alert_states_change"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "alert_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["alert_rules.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule_id", "period", name="uq_alert_digests_period"),
        sqlite_autoincrement=True,
    )


def downgrade():
    op.drop_table("alert_digests")
    op.drop_table("alert_states")
