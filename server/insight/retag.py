"""Re-tag stored comments with the current tagger, in small committed batches.

Each batch reads the next rows by id (a keyset, so a batch costs the same at any depth),
tags their comments, writes the masks that changed and commits, so ingest keeps writing
between batches and an interrupted run keeps what it did (running it again finishes it).
A row is only rewritten if its mask is still the one read, so nothing written meanwhile
is lost. Visitors' own `reasons` are stored apart from these masks (SPEC), so re-tagging
never touches what a visitor reported.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, select

from ..extensions import db
from ..models import Response, Site
from .filters import has_comment
from .themes import THEME_BITS, THEMES, comment_mask

#: Rows read, tagged and committed per batch: small enough that ingest never waits long.
BATCH_ROWS = 500


@dataclass
class RetagSummary:
    """What a re-tagging run changed: rows read and changed, themes added and removed."""

    examined: int = 0
    changed: int = 0
    added: dict = field(default_factory=lambda: dict.fromkeys(THEMES, 0))
    removed: dict = field(default_factory=lambda: dict.fromkeys(THEMES, 0))

    def count(self, examined: int, changes: list[dict]) -> None:
        """Add one batch's rows and changed masks to the summary."""
        self.examined += examined
        self.changed += len(changes)
        for change in changes:
            for theme, bit in THEME_BITS.items():
                was, now = change["old_mask"] & bit, change["new_mask"] & bit
                self.added[theme] += bool(now and not was)
                self.removed[theme] += bool(was and not now)


def comment_conditions(site: Site | None) -> list:
    """Return the SQL conditions of the responses to re-tag: with a comment, of `site`."""
    conditions = has_comment()
    if site is not None:
        conditions.append(Response.site_id == site.id)
    return conditions


def count_comments(site: Site | None) -> int:
    """Return how many stored responses a re-tagging run will read."""
    return db.session.scalar(select(func.count()).where(*comment_conditions(site)))


def retag_batches(site: Site | None, batch_rows: int = BATCH_ROWS) -> Iterator[tuple[int, list]]:
    """Re-tag the comments of `site` (every site for None); yield each committed batch's
    number of rows and its changes (`row_id`, `old_mask`, `new_mask`)."""
    table = Response.__table__
    update = (
        table.update()
        .where(table.c.id == bindparam("row_id"), table.c.themes == bindparam("old_mask"))
        .values(themes=bindparam("new_mask"))
    )
    conditions, last_id = comment_conditions(site), 0
    while True:
        rows = db.session.execute(
            select(Response.id, Response.comment, Response.themes)
            .where(*conditions, Response.id > last_id)
            .order_by(Response.id)
            .limit(batch_rows)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        changes = []
        for row in rows:
            mask = comment_mask(row.comment)
            if mask != row.themes:
                changes.append({"row_id": row.id, "old_mask": row.themes, "new_mask": mask})
        if changes:
            db.session.execute(update, changes)
        db.session.commit()
        yield len(rows), changes
