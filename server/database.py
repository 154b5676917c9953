"""Configure the database engine (SQLite pragmas, PostgreSQL pooling), probe it, read its errors."""

import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .extensions import db

#: SQLSTATE classes of a value the database refuses, as opposed to a database that cannot
#: answer: data exception, integrity constraint violation, program limit exceeded (an index
#: row too large, which psycopg raises as an OperationalError).
REFUSED_VALUE_CLASSES = ("22", "23", "54")

#: What the drivers raise, before any SQL runs, for a value they cannot bind (a lone
#: surrogate, an integer too large for SQLite).
UNBINDABLE_VALUE_ERRORS = (UnicodeEncodeError, OverflowError)


class RefusedValue(DBAPIError):
    """A value the database or its driver refused, raised where its cause was logged."""


def refused_value(error: Exception) -> bool:
    """Tell whether a DB-API `error` means the database refused a value (not that it is down)."""
    if isinstance(error, (sqlite3.DataError, sqlite3.IntegrityError, *UNBINDABLE_VALUE_ERRORS)):
        return True
    # psycopg's errors carry the SQLSTATE; the class says what kind of failure it is.
    state = getattr(error, "sqlstate", None)
    return isinstance(state, str) and state[:2] in REFUSED_VALUE_CLASSES


def foreign_key_violation(error: Exception) -> bool:
    """Tell whether a DB-API `error` is a foreign key that names a row no longer there."""
    state = getattr(error, "sqlstate", None)
    if state is not None:
        return state == "23503"
    return getattr(error, "sqlite_errorname", None) == "SQLITE_CONSTRAINT_FOREIGNKEY"


@event.listens_for(Engine, "connect")
def configure_sqlite(dbapi_connection, _record) -> None:
    """Put every SQLite connection in WAL mode with foreign keys enforced.

    `synchronous=NORMAL` in WAL mode keeps every committed transaction through a crash of
    the process; only a power cut can lose the last few commits (see docs/deploy.md).
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def engine_options(uri: str) -> dict:
    """Return SQLAlchemy engine options suited to the database behind `uri`."""
    if uri.startswith("postgresql"):
        # Short connect timeout: an unreachable database must become a quick 503, not a hang.
        return {
            "pool_pre_ping": True,
            "pool_size": 5,
            "max_overflow": 10,
            "connect_args": {"connect_timeout": 3},
        }
    return {}


def database_ready() -> bool:
    """Tell whether the database answers a trivial query right now."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


def ensure_sqlite_folder(uri: str) -> None:
    """Create the folder of a SQLite database file; SQLite creates the file but not its folder."""
    url = make_url(uri)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy with engine options chosen for the configured database."""
    ensure_sqlite_folder(app.config["SQLALCHEMY_DATABASE_URI"])
    options = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    # A failed statement's message would otherwise carry its values (comments, emails) into logs.
    options["hide_parameters"] = True
    for key, value in app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items():
        options[key] = value
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
