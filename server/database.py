"""Configure the database engine: SQLite pragmas, PostgreSQL pooling, readiness probe."""

import sqlite3
from pathlib import Path

from flask import Flask
from sqlalchemy import event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db


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
    for key, value in app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items():
        options[key] = value
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    db.init_app(app)
