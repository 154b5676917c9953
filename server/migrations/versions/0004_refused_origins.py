"""Count the origins each site refused: origin, count, last seen.

Revision ID: 0004_refused_origins
Revises: 0003_folded_text_and_lasting_ids
Create Date: 2026-11-29 17:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from server.models import UTCDateTime

# revision identifiers, used by Alembic.
revision = "0004_refused_origins"
down_revision = "0003_folded_text_and_lasting_ids"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "refused_origins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=255), nullable=False),
        sa.Column("count", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_seen", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "origin", name="uq_refused_origins_site_origin"),
    )


def downgrade():
    op.drop_table("refused_origins")
