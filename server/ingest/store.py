"""Store a validated response once per `event_id`, straight through the DB-API connection.

Ingest's insert skips the ORM and SQLAlchemy Core (see docs/performance.md): one
`INSERT … ON CONFLICT (site_id, event_id) DO NOTHING` (`RETURNING id` on PostgreSQL) in
autocommit mode on a connection from SQLAlchemy's pool, with values in the exact
representation SQLAlchemy itself stores. A resubmission that brings a late comment or
reasons adds them with one conditional `UPDATE` (SPEC "Resubmitting").
"""

import json
import logging
import operator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy.exc import DBAPIError

from ..database import UNBINDABLE_VALUE_ERRORS, RefusedValue, foreign_key_violation, refused_value
from ..extensions import db
from .sqlite_writers import writer_queue

log = logging.getLogger(__name__)

COLUMNS = (
    "site_id",
    "received_at",
    "metric",
    "score",
    "comment",
    "email",
    "page_url",
    "page_path",
    "page_title",
    "referrer_host",
    "phase",
    "phase_source",
    "locale",
    "device",
    "tags",
    "event_id",
    "themes",
    "comment_folded",
    "email_folded",
    "reasons",
)
#: What a resubmission may add to a stored response that has neither (SPEC "Resubmitting").
LATE_COLUMNS = ("comment", "comment_folded", "themes", "reasons")
#: How long after the first submission a resubmission may still add them.
LATE_WINDOW = timedelta(minutes=30)

#: Statements per dialect name, built on first use.
STATEMENTS: dict[str, tuple[str, str, str]] = {}


@dataclass(frozen=True)
class Outcome:
    """What became of a submitted response."""

    id: int | None
    duplicate: bool
    phase: str | None
    #: A duplicate that added its late comment or reasons to the stored response.
    added_late: bool = False

    def body(self) -> dict:
        """Return the answer's JSON body."""
        return {"id": self.id, "duplicate": self.duplicate, "phase": self.phase}


HONEYPOT_OUTCOME = Outcome(id=None, duplicate=False, phase=None)


class SiteGone(LookupError):
    """The site was deleted after the caller looked it up."""


class Unstorable(RefusedValue):
    """The database or its driver refused a value the schema let through (the cause logged).

    The schema is meant to make this impossible on both databases; should a rule be missing,
    errors.py answers the visitor with a clear 422 rather than a 500, and the log says which
    value failed.
    """


def statements(dialect) -> tuple[str, str, str]:
    """Return the insert, the original-row query and the late addition's update in the
    dialect's DB-API paramstyle."""
    if dialect.name not in STATEMENTS:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        values = [mark] * len(COLUMNS)
        if dialect.name == "postgresql":
            values[COLUMNS.index("tags")] = f"CAST({mark} AS json)"
        # SQLite reports the new row's id without RETURNING (see `inserted_id`).
        returning = "" if dialect.name == "sqlite" else " RETURNING id"
        STATEMENTS[dialect.name] = (
            f"INSERT INTO responses ({', '.join(COLUMNS)}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT (site_id, event_id) DO NOTHING{returning}",
            f"SELECT id, phase FROM responses WHERE site_id = {mark} AND event_id = {mark}",
            # One statement that checks and writes: of two resubmissions at once, the second
            # finds the first's comment (PostgreSQL re-reads the locked row; SQLite's writers
            # take turns), so a comment is added once or not at all.
            f"UPDATE responses SET {', '.join(f'{name} = {mark}' for name in LATE_COLUMNS)} "
            # Only the same answer takes one: another metric or score under the event_id is
            # a different answer, so it stays a duplicate that adds nothing.
            f"WHERE site_id = {mark} AND event_id = {mark} AND received_at >= {mark} "
            f"AND metric = {mark} AND score = {mark} "
            "AND (comment IS NULL OR comment = '') AND reasons = 0",
        )
    return STATEMENTS[dialect.name]


#: Picks the insert's parameters out of a row, in COLUMNS order.
PARAMETERS = operator.itemgetter(*COLUMNS)


def stored_time(moment, dialect_name: str):
    """Return an aware datetime in the representation SQLAlchemy itself would store."""
    if dialect_name == "sqlite":
        # SQLAlchemy's SQLite DateTime stores naive UTC text in exactly this format.
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment


def row_values(site_id: int, fields: dict, dialect_name: str) -> tuple:
    """Return the insert's parameters in the representation SQLAlchemy itself would store."""
    tags = fields["tags"]
    return PARAMETERS(
        {
            **fields,
            "site_id": site_id,
            "received_at": stored_time(fields["received_at"], dialect_name),
            "tags": None if tags is None else json.dumps(tags),
        }
    )


def late_values(site_id: int, fields: dict, dialect_name: str) -> tuple | None:
    """Return the late addition's parameters, or None when the resubmission adds nothing."""
    if not fields["comment"] and not fields["reasons"]:
        return None
    since = stored_time(fields["received_at"] - LATE_WINDOW, dialect_name)
    return (
        *(fields[name] for name in LATE_COLUMNS),
        site_id,
        fields["event_id"],
        since,
        fields["metric"],
        fields["score"],
    )


def store_response(site_id: int, fields: dict) -> Outcome:
    """Insert the row unless the site already has its `event_id`; return the stored outcome.

    The unique constraint decides between concurrent duplicates, never a read before the
    write. A duplicate that brings a comment or reasons adds them to the stored response when
    it was stored at most 30 minutes before and has neither yet. The insert runs in
    autocommit mode, committed before the answer: on PostgreSQL in one round trip, on SQLite
    in one step of the statement (each a wait in which the thread gives up the GIL, which
    under gthread workers it may wait milliseconds to get back).
    Raise `SiteGone` when the site no longer exists.
    """
    engine = db.engine
    dialect = engine.dialect
    insert_sql, original_sql, late_sql = statements(dialect)
    parameters = row_values(site_id, fields, dialect.name)
    sqlite = dialect.name == "sqlite"
    connection = engine.raw_connection()
    dbapi_connection = connection.dbapi_connection
    transactions = dbapi_connection.isolation_level if sqlite else None
    cursor = None
    try:
        if sqlite:
            dbapi_connection.isolation_level = None
        else:
            dbapi_connection.autocommit = True
        cursor = connection.cursor()
        # SQLite: ingest's writers take turns rather than meet SQLite's busy handler.
        with writer_queue(engine.url.database).turn() if sqlite else nullcontext():
            cursor.execute(insert_sql, parameters)
            inserted = inserted_id(cursor, dialect.name)
            late = None if inserted is not None else late_values(site_id, fields, dialect.name)
            added_late = late is not None and run_late_addition(cursor, late_sql, late)
        original = None
        if inserted is None:
            cursor.execute(original_sql, (site_id, fields["event_id"]))
            original = cursor.fetchone()
    except dialect.loaded_dbapi.Error as exc:
        raise database_error(connection, cursor, exc) from exc
    except UNBINDABLE_VALUE_ERRORS as exc:
        raise unstorable(exc) from exc
    finally:
        # The pool hands this connection to SQLAlchemy sessions next: restore transactions.
        # An invalidated connection has no DB-API connection left to restore.
        if connection.dbapi_connection is not None:
            if sqlite:
                dbapi_connection.isolation_level = transactions
            else:
                dbapi_connection.autocommit = False
        connection.close()
    if inserted is not None:
        return Outcome(id=inserted, duplicate=False, phase=fields["phase"])
    if original is None:
        # The original vanished between the two statements (deleted by an admin): store anew.
        return store_response(site_id, fields)
    return Outcome(id=original[0], duplicate=True, phase=original[1], added_late=added_late)


def run_late_addition(cursor, late_sql: str, parameters: tuple) -> bool:
    """Add a late comment and reasons; tell whether the stored response took them."""
    cursor.execute(late_sql, parameters)
    return cursor.rowcount == 1


def inserted_id(cursor, dialect_name: str) -> int | None:
    """Return the id of the row the insert stored, or None when the event_id was stored before."""
    if dialect_name == "sqlite":
        # Without RETURNING the insert completes, and so commits, in `execute` alone.
        return cursor.lastrowid if cursor.rowcount == 1 else None
    row = cursor.fetchone()
    return None if row is None else row[0]


def database_error(connection, cursor, exc: Exception) -> Exception:
    """Translate a DB-API error into SQLAlchemy's, dropping a connection the server lost.

    errors.py answers SQLAlchemy's OperationalError with 503 and a refused value with 422. The
    site's foreign key becomes `SiteGone` (the event_id conflict is handled by the insert);
    any other refused value becomes `Unstorable`, logged. The pool rolls back whatever was
    begun when the connection is returned.
    """
    dialect = db.engine.dialect
    if foreign_key_violation(exc):
        return SiteGone()
    if refused_value(exc):
        return unstorable(exc)
    disconnected = dialect.is_disconnect(exc, connection.dbapi_connection, cursor)
    if disconnected:
        connection.invalidate(exc)
    return DBAPIError.instance(
        None,
        None,
        exc,
        dialect.loaded_dbapi.Error,
        connection_invalidated=disconnected,
        dialect=dialect,
    )


def unstorable(exc: Exception) -> Unstorable:
    """Log why the database or its driver refused a value; return the refusal to raise."""
    log.error("a value of a response cannot be stored: %s: %s", type(exc).__name__, exc)
    return Unstorable(None, None, exc, hide_parameters=True)
