"""Fold comments and email addresses for case-insensitive search; never reuse ids on SQLite.

Adds `responses.comment_folded` and `responses.email_folded` (what `q` and erasure compare),
fills them for the responses already stored, moves the email index onto the folded address,
and gives SQLite's `sites`, `responses` and `admin_tokens` AUTOINCREMENT ids (PostgreSQL's
sequences never hand an id out twice already). The folding is written out here rather than
imported, so that this migration keeps doing what it did when the live code changes.

Revision ID: 0003_folded_text_and_lasting_ids
Revises: 0002_response_themes
Create Date: 2026-11-29 17:00:00.000000

"""

import re
import unicodedata

import idna
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003_folded_text_and_lasting_ids"
down_revision = "0002_response_themes"
branch_labels = None
depends_on = None

#: Responses read and folded per round trip.
BATCH_ROWS = 5000
#: The tables whose ids must never come back after a delete.
TABLES = ("sites", "admin_tokens", "responses")
ASCII_HOST = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def nfc(text: str) -> str:
    """Return `text` in NFC."""
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str | None:
    """Return `text` folded as this revision's ingest folds it (server/text.py then)."""
    if text is None:
        return None
    return nfc(nfc(text).casefold()).replace("i\u0307", "i")


def ascii_host(host: str) -> str:
    """Return a host name in ASCII (IDNA) form, as this revision's ingest writes it."""
    if host.isascii():
        return host.lower()
    try:
        encoded = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except UnicodeError:
        encoded = ""
    if ASCII_HOST.fullmatch(encoded):
        return encoded
    labels = [fold(label) for label in host.split(".")]
    return ".".join(
        label if label.isascii() else "xn--" + label.encode("punycode").decode() for label in labels
    )


def fold_email(address: str | None) -> str | None:
    """Return an email address folded as this revision's ingest folds it."""
    if address is None:
        return None
    local, at, domain = address.rpartition("@")
    return f"{fold(local)}{at}{ascii_host(domain)}"


def fold_stored_text() -> None:
    """Write the folded comment and email of every response stored before they were kept."""
    connection = op.get_bind()
    responses = sa.table(
        "responses",
        sa.column("id", sa.Integer),
        sa.column("comment"),
        sa.column("email"),
        sa.column("comment_folded"),
        sa.column("email_folded"),
    )
    update = (
        responses.update()
        .where(responses.c.id == sa.bindparam("row_id"))
        .values(
            comment_folded=sa.bindparam("comment_text"), email_folded=sa.bindparam("email_text")
        )
    )
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(responses.c.id, responses.c.comment, responses.c.email)
            .where(
                responses.c.id > last_id,
                sa.or_(responses.c.comment.is_not(None), responses.c.email.is_not(None)),
            )
            .order_by(responses.c.id)
            .limit(BATCH_ROWS)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        connection.execute(
            update,
            [
                {
                    "row_id": row.id,
                    "comment_text": fold(row.comment),
                    "email_text": fold_email(row.email),
                }
                for row in rows
            ],
        )


def lasting_ids(autoincrement: bool) -> None:
    """Rebuild SQLite's tables with or without AUTOINCREMENT (nothing to do on PostgreSQL).

    env.py turns SQLite's foreign keys off around migrations: rebuilding `sites` drops the
    old table, which would otherwise delete every response and token along with it.
    """
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("comment_folded", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("email_folded", sa.Text(), nullable=True))
    fold_stored_text()
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_site_email")
        batch_op.create_index(
            "ix_responses_site_email_folded", ["site_id", "email_folded"], unique=False
        )
    lasting_ids(autoincrement=True)


def downgrade():
    lasting_ids(autoincrement=False)
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_site_email_folded")
        batch_op.create_index("ix_responses_site_email", ["site_id", "email"], unique=False)
        batch_op.drop_column("email_folded")
        batch_op.drop_column("comment_folded")
