"""Shared fixtures: an app on SQLite and on PostgreSQL, clients, sites and tokens."""

import os
import tempfile

import pytest
from sqlalchemy import text

from server import create_app
from server.auth.tokens import create_token
from server.extensions import db
from server.ingest import site_cache
from server.sites.manage import create_site

REQUIRE_SERVICES = os.environ.get("TOUCHPOINT_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("TOUCHPOINT_TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TOUCHPOINT_TEST_REDIS_URL", "")
#: Jobs queued by tests that run no worker go to a file here, never the instance folder.
QUEUE_FOLDER = tempfile.mkdtemp(prefix="touchpoint-test-queue-")


def skip_or_fail(reason: str) -> None:
    """Skip the test, or fail it when CI demands every service (TOUCHPOINT_REQUIRE_SERVICES=1)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (TOUCHPOINT_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)


def postgres_uri() -> str:
    """Return the SQLAlchemy URI of the PostgreSQL test database, or skip."""
    if not POSTGRES_URL:
        skip_or_fail("PostgreSQL tests need TOUCHPOINT_TEST_DATABASE_URL")
    return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def base_config(database_uri: str) -> dict:
    """Return the configuration every test app starts from."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "RATELIMIT_STORAGE_URI": "memory://",
        "TOUCHPOINT_RATELIMIT": "1000/minute",
        "TOUCHPOINT_QUEUE_URL": f"sqlite:///{QUEUE_FOLDER}/queue.db",
    }


_postgres_schema_ready = False


def prepare_schema(backend: str) -> None:
    """Create the tables: afresh for in-memory SQLite, once per session on PostgreSQL."""
    global _postgres_schema_ready
    if backend == "sqlite":
        db.create_all()
    elif not _postgres_schema_ready:
        db.drop_all()
        db.create_all()
        _postgres_schema_ready = True


def empty_tables(backend: str) -> None:
    """Remove every row a test left behind."""
    db.session.remove()
    if backend == "postgresql":
        names = ", ".join(table.name for table in db.metadata.sorted_tables)
        with db.engine.begin() as connection:
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Name the database a test runs on; every app test runs on both."""
    return request.param


@pytest.fixture
def app_config(backend) -> dict:
    """Return the test app's configuration; override this fixture to change settings."""
    uri = "sqlite://" if backend == "sqlite" else postgres_uri()
    return base_config(uri)


@pytest.fixture
def app(backend, app_config):
    """Yield an app with empty tables on the test's database."""
    application = create_app(app_config)
    with application.app_context():
        prepare_schema(backend)
        yield application
        empty_tables(backend)
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def make_site(app):
    """Return a factory of sites; defaults suit the public ingest tests."""

    def factory(**settings):
        settings.setdefault("name", "Shop")
        settings.setdefault("allowed_origins", ["https://shop.example"])
        return create_site(**settings)

    return factory


@pytest.fixture
def site(make_site):
    """Return a site with a few phase rules."""
    return make_site(
        phase_rules=[
            {"match": "/blog*", "phase": "awareness"},
            {"match": "/checkout*", "phase": "conversion"},
        ]
    )


@pytest.fixture
def make_token(app):
    """Return a factory of admin tokens; each call gives the `Authorization` headers."""

    def factory(site=None, read_only=False, name="test"):
        _, secret = create_token(name, site=site, read_only=read_only)
        return {"Authorization": f"Bearer {secret}"}

    return factory


@pytest.fixture
def admin_headers(make_token):
    """Return headers carrying an instance-wide read-write token."""
    return make_token()


@pytest.fixture
def make_response(app):
    """Return a factory that stores one response through the ORM and returns it."""
    from datetime import UTC, datetime

    from server.models import Response

    def factory(site, metric="csat", score=4, **fields):
        fields.setdefault("received_at", datetime.now(UTC))
        fields.setdefault("page_path", "/")
        fields.setdefault("page_url", "https://shop.example" + fields["page_path"])
        response = Response(site=site, metric=metric, score=score, **fields)
        db.session.add(response)
        db.session.commit()
        return response

    return factory


@pytest.fixture
def database_reads(monkeypatch) -> list[str]:
    """Record every key the site cache reads from the database."""
    reads = []
    load = site_cache.load_public_site

    def counted(key):
        reads.append(key)
        return load(key)

    monkeypatch.setattr(site_cache, "load_public_site", counted)
    return reads
