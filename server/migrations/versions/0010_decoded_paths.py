"""Store every page path (and the path part of every page URL) in its one IRI form.

`/caf%C3%A9/1`, `/caf%c3%a9/1` and `/café/1` were three paths; they become `/café/1`, as
ingest now stores them. Alert rules' `path` filters are rewritten alike. Phases resolved at
ingest are kept as they were recorded. The rule is copied here, not imported: a migration
must keep doing what it did when the live code changes.

Revision ID: 0010_decoded_paths
Revises: 0009_alert_states
Create Date: 2026-11-29 21:00:00.000000

"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0010_decoded_paths"
down_revision = "0009_alert_states"
branch_labels = None
depends_on = None

BATCH = 1000
MAX_URL_LENGTH = 2048

ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Characters an IRI may not hold as themselves (RFC 3987, 2.2 and 4.1).
NOT_IRI = re.compile(
    "[\\x80-\\x9f\\u200e\\u200f\\u202a-\\u202e\\ue000-\\uf8ff\\ufdd0-\\ufdef\\ufff0-\\uffff"
    "\\U0001fffe\\U0001ffff\\U0002fffe\\U0002ffff\\U0003fffe\\U0003ffff\\U0004fffe\\U0004ffff"
    "\\U0005fffe\\U0005ffff\\U0006fffe\\U0006ffff\\U0007fffe\\U0007ffff\\U0008fffe\\U0008ffff"
    "\\U0009fffe\\U0009ffff\\U000afffe\\U000affff\\U000bfffe\\U000bffff\\U000cfffe\\U000cffff"
    "\\U000dfffe\\U000dffff\\U000efffe-\\U0010ffff]"
)

responses = sa.table(
    "responses",
    sa.column("id", sa.BigInteger),
    sa.column("page_url", sa.String),
    sa.column("page_path", sa.String),
)
alert_rules = sa.table("alert_rules", sa.column("id", sa.Integer), sa.column("filter", sa.JSON))


def decoded(run: re.Match) -> str:
    data = bytes.fromhex(run.group().replace("%", ""))
    out, start = [], 0
    while start < len(data):
        lead = data[start]
        length = (
            2
            if 0xC2 <= lead <= 0xDF
            else 3
            if 0xE0 <= lead <= 0xEF
            else 4
            if 0xF0 <= lead <= 0xF4
            else 1
        )
        try:
            char = data[start : start + length].decode() if length > 1 else ""
        except UnicodeDecodeError:
            char = ""
        if char and not NOT_IRI.match(char):
            out.append(char)
            start += length
        else:
            out.append(f"%{lead:02X}")
            start += 1
    return "".join(out)


def iri_path(path: str) -> str:
    path = unicodedata.normalize("NFC", ESCAPES.sub(decoded, path))
    return NOT_IRI.sub(lambda found: "".join(f"%{b:02X}" for b in found.group().encode()), path)


def iri_url(url: str) -> str:
    """Rewrite the path part of a stored URL (between its host and its kept query)."""
    start = url.find("/", url.find("://") + 3)
    if start < 0:
        return url
    end = url.find("?", start)
    end = len(url) if end < 0 else end
    return url[:start] + iri_path(url[start:end]) + url[end:]


def upgrade():
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(responses.c.id, responses.c.page_url, responses.c.page_path)
            .where(responses.c.id > last)
            .order_by(responses.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        last = rows[-1].id
        changed = [
            {"row_id": row.id, "url": url, "path": iri_path(row.page_path)}
            for row in rows
            if (url := iri_url(row.page_url)) != row.page_url and len(url) <= MAX_URL_LENGTH
        ]
        if changed:
            connection.execute(
                responses.update()
                .where(responses.c.id == sa.bindparam("row_id"))
                .values(page_url=sa.bindparam("url"), page_path=sa.bindparam("path")),
                changed,
            )
    for rule in connection.execute(sa.select(alert_rules.c.id, alert_rules.c.filter)).all():
        path = (rule.filter or {}).get("path")
        if path and iri_path(path) != path:
            connection.execute(
                alert_rules.update()
                .where(alert_rules.c.id == rule.id)
                .values(filter={**rule.filter, "path": iri_path(path)})
            )


def downgrade():
    # The escaped spellings a path was sent in are not kept: there is nothing to go back to.
    pass
