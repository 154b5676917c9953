"""Check the admin API's bearer token before anything else is read (401, then 404, 403).

The check runs before the request is dispatched, for every path under the admin prefix, so no
query, body or path parameter is looked at first, whatever order a view's decorators are in: a
bad query without a token is a 401, never a 422.
"""

import inspect
import json
from functools import wraps

from flask import Flask, current_app, g, request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, ValidationError
from webargs import missing
from webargs.flaskparser import FlaskParser, is_json_request

from ..auth.access import authorized_site, require_instance_access
from ..auth.tokens import find_token
from ..json_body import NotJSON, parse_json
from ..models import AdminToken

#: Every admin operation lives under this path.
ADMIN_PREFIX = "/api/v1/admin"

#: The path of one site under the admin API; its views receive the site, not the key.
SITE = "/sites/<site_key>"

#: The OpenAPI security requirement of every admin operation.
BEARER_AUTH = [{"bearerAuth": []}]


def bearer_token() -> AdminToken:
    """Return the live admin token of the request's `Authorization: Bearer` header, or 401."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = find_token(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        abort(
            401,
            message="A valid admin token is required.",
            headers={"WWW-Authenticate": 'Bearer realm="touchpoint"'},
        )
    return token


def admin_view(endpoint: str | None):
    """Return the view serving `endpoint` when it is an admin operation, else None."""
    view = current_app.view_functions.get(endpoint) if endpoint else None
    # A MethodView serving reads and writes on one rule declares access per method.
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, request.method.lower(), None)
    return view if hasattr(view, "admin_write") else None


def check_admin_access() -> None:
    """Check the token of an admin request before it is dispatched; keep what it may touch.

    A path under the admin prefix that no view serves (a bad path parameter, a wrong method)
    still needs a valid token first. A view there without `access` counts as a write. After
    access, an operation without a query schema refuses any query parameter, as the others
    refuse unknown ones.
    """
    if not request.path.startswith(ADMIN_PREFIX + "/"):
        return
    view = admin_view(request.endpoint)
    g.admin_token = token = bearer_token()
    if request.url_rule is None:
        return
    write = getattr(view, "admin_write", True)
    if "site_key" in request.view_args:
        g.admin_site = authorized_site(token, request.view_args["site_key"], write)
    else:
        require_instance_access(token, write)
    refuse_unread_query(view)


def init_app(app: Flask) -> None:
    """Check the admin token before every admin request is dispatched."""
    app.before_request(check_admin_access)


class NoQuerySchema(Schema):
    """The query of an operation that takes no parameters: any one is unknown (422)."""

    class Meta:
        unknown = RAISE


def refuse_unread_query(view) -> None:
    """Refuse a query string on an operation that reads none, naming each parameter (422)."""
    if request.args and not getattr(view, "reads_query", False):
        NoQuerySchema().load(request.args)


class BodyParser(FlaskParser):
    """webargs' Flask parser, reading a body as ingest does (`parse_json`): not JSON is 400."""

    def _raw_load_json(self, req):
        body = req.get_data(cache=True) if is_json_request(req) else b""
        if not body:
            return missing
        try:
            return parse_json(body)
        except NotJSON as exc:
            # webargs answers 400 for this error, unless its document is empty (no body).
            raise json.JSONDecodeError(str(exc), "body", 0) from exc

    def load_querystring(self, req, schema):
        """Return the query as webargs does; refuse a repeated parameter the schema reads as
        one value (422 naming it), which webargs would cut to its first value."""
        query = super().load_querystring(req, schema)
        repeated = {
            name: ["Given more than once; this parameter takes one value."]
            for name in req.args
            if name not in query.multiple_keys and len(req.args.getlist(name)) > 1
        }
        if repeated:
            raise ValidationError(repeated)
        return query


class AdminBlueprint(Blueprint):
    """A blueprint of admin operations, each declaring its bearer security and its refusals."""

    ARGUMENTS_PARSER = BodyParser()

    def access(self, write: bool = False):
        """Declare the operation's access (read or `write`) and document its security.

        `check_admin_access` has checked the token before dispatch (401, then 404, then 403).
        A view under `/sites/<site_key>` receives the `site` the token may see instead of the
        key; a view with a `token` parameter receives the token itself.
        """

        def decorator(view):
            parameters = inspect.signature(view).parameters
            wants_token, site_bound = "token" in parameters, "site" in parameters

            @wraps(view)
            def checked(*args, **kwargs):
                if "site_key" in kwargs:
                    del kwargs["site_key"]
                    kwargs["site"] = g.admin_site
                if wants_token:
                    kwargs["token"] = g.admin_token
                return view(*args, **kwargs)

            checked.admin_write = write

            refusals = [(401, "No valid admin token")]
            if site_bound:
                refusals.append((404, "No such site, or not one this token may see"))
            if write:
                refusals.append((403, "This token may not make this change"))
            refusals.append((422, "A field or a query parameter is not valid, or unknown"))
            refusals.append((503, "The database is unreachable; see Retry-After"))
            for status, description in refusals:
                checked = self.alt_response(
                    status, response="DEFAULT_ERROR", description=description
                )(checked)
            return self.doc(security=BEARER_AUTH)(checked)

        return decorator

    def arguments(self, schema, *, location="json", **kwargs):
        """Read the request's `location` with `schema`, refusing unknown fields and parameters.

        Any rule broken is a 422 naming the field, unknown query parameters included (the
        dashboard, which loads the same schemas, ignores them); a body that is not JSON is a 400.
        """
        kwargs.setdefault("unknown", RAISE)
        read = super().arguments(schema, location=location, **kwargs)
        if location == "query":

            def reading_query(view):
                view = read(view)
                view.reads_query = True
                return view

            return reading_query
        if location != "json":
            return read

        def decorator(view):
            return self.alt_response(
                400, response="DEFAULT_ERROR", description="The body is not JSON"
            )(read(view))

        return decorator


def document_bearer_auth(api) -> None:
    """Declare the admin token's bearer scheme in the OpenAPI document."""
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "An admin token (`tp_…`)."},
    )
