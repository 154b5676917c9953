"""Add the visitor's reported complaint themes (`reasons`) to responses, apart from the tagger's.

Revision ID: 0006_response_reasons
Revises: 0004_refused_origins
Create Date: 2026-11-29 19:30:00.000000

A bit mask in the bit order of `responses.themes`; 0 for every response stored before.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0006_response_reasons"
down_revision = "0004_refused_origins"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reasons", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("reasons")
