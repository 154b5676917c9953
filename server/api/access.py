"""Check the admin API's bearer token before a view reads anything else (401, then 404, 403)."""

import inspect
import json
from functools import wraps

from flask import request
from flask_smorest import Blueprint, abort
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser

from ..auth.access import authorized_site, require_instance_access
from ..auth.tokens import find_token
from ..models import AdminToken

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


class BodyParser(FlaskParser):
    """webargs' Flask parser, answering a body nested too deeply for the JSON parser with 400.

    Python's JSON parser recurses per level, so a few kilobytes of `[[[…` exhaust the
    interpreter's stack: that body is not JSON this server can read, not a server error.
    """

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as exc:
            raise json.JSONDecodeError("The body is nested too deeply.", "", 0) from exc


class AdminBlueprint(Blueprint):
    """A blueprint of admin operations, each declaring its bearer security and its refusals."""

    ARGUMENTS_PARSER = BodyParser()

    def access(self, write: bool = False):
        """Check the token before the view's arguments are read (401, then 404, then 403).

        Put it above `arguments`: a bad query without a token is still a 401. A view under
        `/sites/<site_key>` receives the `site` the token may see instead of the key; a view
        with a `token` parameter receives the token itself.
        """

        def decorator(view):
            parameters = inspect.signature(view).parameters
            wants_token, site_bound = "token" in parameters, "site" in parameters

            @wraps(view)
            def checked(*args, **kwargs):
                token = bearer_token()
                if "site_key" in kwargs:
                    kwargs["site"] = authorized_site(token, kwargs.pop("site_key"), write)
                else:
                    require_instance_access(token, write)
                if wants_token:
                    kwargs["token"] = token
                return view(*args, **kwargs)

            refusals = [(401, "No valid admin token")]
            if site_bound:
                refusals.append((404, "No such site, or not one this token may see"))
            if write:
                refusals.append((403, "This token may not make this change"))
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
