"""Give each site a reporting time zone (IANA name), UTC by default.

Revision ID: 0008_site_timezone
Revises: 0007_alerts
Create Date: 2026-11-29 19:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008_site_timezone"
down_revision = "0007_alerts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("sites") as batch:
        batch.add_column(
            sa.Column("timezone", sa.String(length=64), nullable=False, server_default="UTC")
        )


def downgrade():
    with op.batch_alter_table("sites") as batch:
        batch.drop_column("timezone")
