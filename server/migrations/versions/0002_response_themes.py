"""Add the complaint themes bit mask to responses and tag the comments already stored.

Revision ID: 0002_response_themes
Revises: 0001_initial
Create Date: 2026-11-22 09:50:00.000000

"""

import sqlalchemy as sa
from alembic import op

from server.insight.themes import comment_mask

# revision identifiers, used by Alembic.
revision = "0002_response_themes"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

#: Comments read and tagged per round trip while existing responses are tagged.
BATCH_ROWS = 5000


def tag_existing_comments() -> None:
    """Store the themes of every comment received before themes were tagged at ingest."""
    connection = op.get_bind()
    responses = sa.table(
        "responses", sa.column("id", sa.Integer), sa.column("comment"), sa.column("themes")
    )
    update = (
        responses.update()
        .where(responses.c.id == sa.bindparam("row_id"))
        .values(themes=sa.bindparam("mask"))
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(responses.c.id, responses.c.comment)
            .where(responses.c.id > last_id, responses.c.comment.is_not(None))
            .order_by(responses.c.id)
            .limit(BATCH_ROWS)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        masks = [{"row_id": row.id, "mask": comment_mask(row.comment)} for row in rows]
        tagged = [values for values in masks if values["mask"]]
        if tagged:
            connection.execute(update, tagged)


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("themes", sa.Integer(), server_default="0", nullable=False))
    tag_existing_comments()


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("themes")
