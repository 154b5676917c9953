"""Register the HTTP API: the public endpoints the widget calls and the admin API."""

from flask import Flask
from flask_smorest import Api

from . import access, alerts, audit, health, index, public, reports, responses, sites, widget
from .access import document_bearer_auth
from .openapi import describe_rules_between_fields, describe_schema_rules


def register_blueprints(api: Api) -> None:
    """Register every API blueprint and document the admin token's bearer scheme."""
    describe_schema_rules(api)
    for module in (health, index, public, widget, sites, responses, reports, alerts, audit):
        api.register_blueprint(module.blp)
    describe_rules_between_fields(api)
    document_bearer_auth(api)


def init_app(app: Flask, api: Api) -> None:
    """Serve the API on `app`, every admin request checked for its token before dispatch."""
    register_blueprints(api)
    app.register_blueprint(index.docs)
    access.init_app(app)
