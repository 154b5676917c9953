"""Shared fixtures: an app on SQLite and on PostgreSQL, clients, sites and tokens.

Under pytest-xdist each worker gets its own PostgreSQL database (the given one's name plus
the worker's, created at the start and dropped at the end) and its own Redis database number.
"""

import copy
import os
import tempfile
from collections import OrderedDict
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from server import create_app, state
from server.auth.tokens import create_token
from server.extensions import db
from server.ingest import site_cache
from server.sites.manage import create_site

REQUIRE_SERVICES = os.environ.get("TOUCHPOINT_REQUIRE_SERVICES") == "1"
#: pytest-xdist's name of this worker ("gw0", "gw1", …); empty when one process runs the suite.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
#: The database the caller made; workers only use it to create and drop their own.
GIVEN_POSTGRES_URL = os.environ.get("TOUCHPOINT_TEST_DATABASE_URL", "")


def worker_postgres_url(url: str, worker: str) -> str:
    """Return the URL of `worker`'s database beside the one at `url` (`url` itself if no worker)."""
    if not (url and worker):
        return url
    given = make_url(url)
    return given.set(database=f"{given.database}_{worker}").render_as_string(hide_password=False)


def worker_redis_url(url: str, worker: str) -> str:
    """Return `url` with the database number shifted by the worker's number, kept within 0-15."""
    if not (url and worker):
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{number % 16}"))


POSTGRES_URL = worker_postgres_url(GIVEN_POSTGRES_URL, WORKER)
REDIS_URL = worker_redis_url(os.environ.get("TOUCHPOINT_TEST_REDIS_URL", ""), WORKER)


def recreate_worker_database(create: bool) -> None:
    """Drop this worker's PostgreSQL database, and create it afresh if `create`."""
    name = make_url(POSTGRES_URL).database
    try:
        with psycopg.connect(GIVEN_POSTGRES_URL, autocommit=True) as admin:
            # FORCE: a connection a test leaked must not keep the database alive.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                admin.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError:
        # Unreachable PostgreSQL: its tests fail (or skip) by themselves, as without workers.
        if create and REQUIRE_SERVICES:
            raise


def pytest_sessionstart(session) -> None:
    """Give this xdist worker a PostgreSQL database of its own."""
    if WORKER and GIVEN_POSTGRES_URL:
        recreate_worker_database(create=True)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session) -> None:
    """Drop this xdist worker's PostgreSQL database once its session fixtures are torn down."""
    if WORKER and GIVEN_POSTGRES_URL:
        recreate_worker_database(create=False)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items) -> None:
    """Run the deployment tests (gunicorn, Caddy, PostgreSQL clusters) one at a time.

    They start servers, kill workers and time out slow clients; under `--dist loadgroup` one
    xdist worker runs them all in turn, so two of them never compete for the 2 cores.
    """
    for item in items:
        if item.get_closest_marker("production"):
            item.add_marker(pytest.mark.xdist_group("production"))


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


#: Restart every sequence of the schema, as TRUNCATE … RESTART IDENTITY would.
RESTART_SEQUENCES = text(
    "SELECT setval(format('%I.%I', schemaname, sequencename), start_value, false) "
    "FROM pg_sequences WHERE schemaname = current_schema()"
)


def empty_tables(backend: str) -> None:
    """Remove every row a test left behind and restart the ids."""
    db.session.remove()
    if backend == "postgresql":
        # DELETE, children first: on tables of a few rows it takes a tenth of TRUNCATE's time,
        # which makes and syncs new files for every table.
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            connection.execute(RESTART_SEQUENCES)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    """Name the database a test runs on; every app test runs on both."""
    return request.param


@pytest.fixture
def app_config(backend) -> dict:
    """Return the test app's configuration; override this fixture to change settings."""
    uri = "sqlite://" if backend == "sqlite" else postgres_uri()
    return base_config(uri)


class KeptApp:
    """An app built for one configuration, with what a test may change in it as it was built."""

    def __init__(self, config: dict):
        self.app = create_app(config)
        self.config = copy.deepcopy(dict(self.app.config))
        self.extensions = set(self.app.extensions)

    def reset(self) -> None:
        """Give the app back its configuration and fresh per-app state: rate limits, the site
        cache, and what requests made since (the job queue, the alert hand-off, rule caches)."""
        self.app.config.clear()
        self.app.config.update(copy.deepcopy(self.config))
        for name in set(self.app.extensions) - self.extensions:
            del self.app.extensions[name]
        state.init_app(self.app)


#: Apps of this process by configuration, most recently used last. Building an app takes
#: about 0.1 s (most of it the OpenAPI document), so tests with the same configuration share
#: one; each still starts with a fresh database, configuration and per-app state.
KEPT_APPS: OrderedDict[str, KeptApp] = OrderedDict()
APPS_TO_KEEP = 4


def kept_app(config: dict):
    """Return an app for `config`: a kept one, reset, or a new one (forgetting the oldest).

    The app also reads TOUCHPOINT_* variables, so they are part of the key."""
    environment = sorted((k, v) for k, v in os.environ.items() if k.startswith("TOUCHPOINT_"))
    key = repr((sorted(config.items()), environment))
    kept = KEPT_APPS.pop(key, None)
    if kept is None:
        kept = KeptApp(config)
        while len(KEPT_APPS) >= APPS_TO_KEEP:
            KEPT_APPS.popitem(last=False)
    else:
        kept.reset()
    KEPT_APPS[key] = kept
    return kept.app


@pytest.fixture
def app(backend, app_config):
    """Yield an app with empty tables on the test's database."""
    application = kept_app(app_config)
    with application.app_context():
        prepare_schema(backend)
        yield application
        empty_tables(backend)
        db.engine.dispose()


@pytest.fixture
def own_app(app_config):
    """Return an app of the test's own (no database tables) for a test that adds routes: a
    shared app has served requests, and Flask takes no new routes after the first."""
    application = create_app(app_config)
    with application.app_context():
        yield application


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
