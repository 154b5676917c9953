"""Touchpoint: a self-hosted feedback button for every touchpoint of the customer journey."""

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import api, cli, dashboard, database, demo, errors, logs, request_body, security, state
from .config import load_config
from .extensions import api as smorest_api
from .extensions import migrate

MIGRATIONS_DIRECTORY = Path(__file__).parent / "migrations"

API_SETTINGS = {
    "API_TITLE": "Touchpoint",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "JSON_SORT_KEYS": False,
}


def create_app(config: dict | None = None) -> Flask:
    """Create and configure a Touchpoint application; `config` overrides the environment."""
    # Static files belong to the parts that serve them (the dashboard; /widget.js has a view).
    app = Flask(__name__, instance_relative_config=True, static_folder=None)
    overrides = dict(config or {})
    app.config.update(API_SETTINGS)
    app.config.update(load_config(app.instance_path, overrides))
    app.config.update(overrides)
    app.json.sort_keys = False
    logs.init_app(app)
    security.init_app(app)
    request_body.init_app(app)

    proxies = app.config["TOUCHPOINT_TRUSTED_PROXIES"]
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    database.init_app(app)
    migrate.init_app(app, database.db, directory=str(MIGRATIONS_DIRECTORY))
    state.init_app(app)
    smorest_api.init_app(app)
    api.init_app(app, smorest_api)
    dashboard.init_app(app)
    demo.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app
