"""Touchpoint: a self-hosted feedback button for every touchpoint of the customer journey."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database, errors, logs, models, ratelimit, security  # noqa: F401  (models registers the tables)
from .config import load_config
from .extensions import api, migrate

MIGRATIONS_DIRECTORY = Path(__file__).parent / "migrations"

API_SETTINGS = {
    "API_TITLE": "Touchpoint",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "JSON_SORT_KEYS": False,
}


def create_app(config: dict | None = None) -> Flask:
    """Create and configure a Touchpoint application; `config` overrides the environment."""
    app = Flask(__name__, instance_relative_config=True)
    overrides = dict(config or {})
    app.config.update(API_SETTINGS)
    app.config.update(load_config(app.instance_path, overrides))
    app.config.update(overrides)
    app.json.sort_keys = False
    logs.init_app(app)
    security.init_app(app)

    proxies = app.config["TOUCHPOINT_TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    database.init_app(app)
    migrate.init_app(app, database.db, directory=str(MIGRATIONS_DIRECTORY))
    ratelimit.init_app(app)
    api.init_app(app)
    register_blueprints(app)
    errors.init_app(app)
    # Imported here: the command line itself imports create_app to build the `touchpoint` group.
    from . import cli

    cli.init_app(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Register every part of the HTTP interface."""
    from . import admin, auth, demo_shop, health, ingest, moments, reports, widget

    api.register_blueprint(health.blp)
    api.register_blueprint(ingest.blp)
    api.register_blueprint(widget.blp)
    api.register_blueprint(admin.blp)
    api.register_blueprint(reports.blp)
    api.register_blueprint(moments.blp)
    app.register_blueprint(demo_shop.bp)
    auth.document_bearer_auth(api)

    from . import dashboard

    dashboard.init_app(app)
