"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import base_config, postgres_uri, skip_or_fail
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from server import create_app
from server.extensions import db


@pytest.fixture
def empty_database(backend, tmp_path):
    """Yield the URI of a database that holds no tables yet; PostgreSQL's is dropped after."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    server = make_url(postgres_uri())
    name = f"tp_migrations_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        engine.dispose()
        skip_or_fail(f"PostgreSQL cannot create a database: {exc}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def schema_differences(uri: str) -> list:
    """Apply every migration to the database at `uri`; return how it differs from the models."""
    app = create_app(base_config(uri))
    with app.app_context():
        upgrade()
        try:
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "compare_server_default": True}
                )
                return compare_metadata(context, db.metadata)
        finally:
            db.engine.dispose()


def test_migrations_build_the_schema_the_models_describe(empty_database):
    assert schema_differences(empty_database) == []
