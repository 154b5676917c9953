"""Add the complaint themes bit mask to responses.

Revision ID: 0002_response_themes
Revises: 0001_initial
Create Date: 2026-11-22 09:50:00.000000

Comments stored before the column existed are tagged by `touchpoint themes retag`, not
here: a migration must give the same schema whatever the tagger is on the day it runs, so
it never imports the live tagger (docs/insight.md, "Where themes appear").
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002_response_themes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("themes", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("themes")
