"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

import json
import os
import subprocess
import sys
import time
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import base_config, postgres_uri, skip_or_fail
from flask_migrate import downgrade, upgrade
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


def test_migration_0003_folds_stored_text_keeps_rows_and_downgrades(empty_database):
    app = create_app(base_config(empty_database))
    with app.app_context():
        try:
            upgrade(revision="0002_response_themes")
            with db.engine.begin() as connection:
                connection.execute(text(INSERT_SITE))
                connection.execute(text(INSERT_TOKEN))
                connection.execute(
                    text(INSERT_RESPONSE),
                    {"comment": "ÉÉN KLACHT", "email": "JÜRGEN@Bücher.example"},
                )
            upgrade()
            assert stored(
                "SELECT comment_folded, email_folded, "
                "(SELECT count(*) FROM admin_tokens) FROM responses"
            ) == [("één klacht", "jürgen@xn--bcher-kva.example", 1)]
            if db.engine.dialect.name == "sqlite":
                tables = stored("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
                lasting = {name for name, sql in tables if "AUTOINCREMENT" in sql}
                assert {"sites", "responses", "admin_tokens"} <= lasting
            downgrade(revision="0002_response_themes")
            assert stored("SELECT comment, email FROM responses") == [
                ("ÉÉN KLACHT", "JÜRGEN@Bücher.example")
            ]
            upgrade()
            assert stored("SELECT comment_folded FROM responses") == [("één klacht",)]
        finally:
            db.engine.dispose()


INSERT_SITE = (
    "INSERT INTO sites (key, name, allowed_origins, phase_rules, collect_email, "
    "keep_query_params, enabled, widget, created_at, updated_at) VALUES "
    "('pk_aaaaaaaaaaaaaaaaaaaa', 'Shop', '[]', '[]', true, '[]', true, '{}', "
    "'2026-01-01', '2026-01-01')"
)
INSERT_TOKEN = (
    "INSERT INTO admin_tokens (name, token_hash, site_id, read_only, created_at) "
    "SELECT 'scoped', 'hash', id, false, '2026-01-01' FROM sites"
)
INSERT_RESPONSE = (
    "INSERT INTO responses (site_id, received_at, metric, score, comment, email, page_url, "
    "page_path, themes) SELECT id, '2026-01-01', 'csat', 4, :comment, :email, "
    "'https://shop.example/', '/', 0 FROM sites"
)


def stored(query: str) -> list[tuple]:
    """Return the rows `query` reads, as tuples."""
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_upgrades_started_together_migrate_one_after_the_other(empty_database, tmp_path):
    # Replicas that start at once on an empty database each run `db upgrade`: without a lock
    # two create the schema together and one fails on a duplicate type (PostgreSQL).
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TOUCHPOINT_")},
        "TOUCHPOINT_DATABASE_URL": empty_database,
        "TOUCHPOINT_SECRET_KEY": "migration-test",
    }
    start = tmp_path / "start"
    # Each process imports everything first and says so, then all migrate the moment `start`
    # appears: a race either way, only more often lost if one were still importing.
    program = (
        "import os, pathlib, time\n"
        "from server.cli import main\n"
        f"pathlib.Path({str(tmp_path)!r}, f'imported-{{os.getpid()}}').touch()\n"
        f"while not pathlib.Path({str(start)!r}).exists(): time.sleep(0.01)\n"
        "main()"
    )
    command = [sys.executable, "-c", program, "db", "upgrade"]
    runs = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("imported-*"))) < len(runs):
        assert time.monotonic() < deadline and all(run.poll() is None for run in runs)
        time.sleep(0.05)
    start.touch()
    errors = [run.communicate(timeout=180)[1].decode() for run in runs]
    failures = [error for run, error in zip(runs, errors, strict=True) if run.returncode != 0]
    assert failures == []
    assert schema_differences(empty_database) == []


def test_migration_0010_stores_each_path_in_one_form(empty_database):
    app = create_app(base_config(empty_database))
    sent = {
        "/caf%C3%A9/1": "/café/1",
        "/caf%c3%a9/1": "/café/1",
        "/cafe\u0301/1": "/café/1",
        "/a%2fb%3F%25%00": "/a%2Fb%3F%25%00",
        "/x%ff%c3%28": "/x%FF%C3%28",
        "/plain": "/plain",
    }
    with app.app_context():
        try:
            upgrade(revision="0008_site_timezone")
            with db.engine.begin() as connection:
                connection.execute(text(INSERT_SITE))
                for path in sent:
                    connection.execute(
                        text(INSERT_PAGE),
                        {"url": f"https://shop.example{path}?q=%c3%a9", "path": path},
                    )
                connection.execute(text(INSERT_ALERT_RULE))
            upgrade()
            assert stored("SELECT page_url, page_path FROM responses ORDER BY id") == [
                (f"https://shop.example{path}?q=%c3%a9", path) for path in sent.values()
            ]
            (rule_filter,) = stored("SELECT filter FROM alert_rules")[0]
            # SQLite's driver reads the JSON column's text, PostgreSQL's the parsed value.
            if isinstance(rule_filter, str):
                rule_filter = json.loads(rule_filter)
            assert rule_filter == {"path": "/café/1", "metric": "csat"}
        finally:
            db.engine.dispose()


INSERT_PAGE = (
    "INSERT INTO responses (site_id, received_at, metric, score, page_url, page_path, themes, "
    "status) SELECT id, '2026-01-01', 'csat', 4, :url, :path, 0, 'new' FROM sites"
)
INSERT_ALERT_RULE = (
    'INSERT INTO alert_rules (site_id, name, "on", channel, target, filter, enabled, '
    "created_at, updated_at) SELECT id, 'cafe', 'response', 'email', 'a@shop.example', "
    '\'{"path": "/caf%C3%A9/1", "metric": "csat"}\', true, \'2026-01-01\', \'2026-01-01\' '
    "FROM sites"
)
