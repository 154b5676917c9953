"""Serve the admin API: sites, their responses and erasure requests."""

from flask import request
from flask_smorest import Blueprint, abort
from sqlalchemy import delete, func, select, tuple_

from .auth import (
    BEARER_AUTH,
    authorized_site,
    current_token,
    require_instance_access,
    visible_sites_query,
)
from .extensions import db
from .filters import response_conditions
from .models import AdminToken, Response, Site
from .schemas import (
    MAX_ROW_ID,
    ErasureResultSchema,
    ErasureSchema,
    ResponseListQuerySchema,
    ResponsePageSchema,
    SiteListSchema,
    SiteSchema,
    SiteUpdateSchema,
    encode_cursor,
    merge_widget,
)
from .sites import create_site

READ_METHODS = ("GET", "HEAD", "OPTIONS")
SITE = "/sites/<site_key>"

blp = Blueprint(
    "admin",
    __name__,
    url_prefix="/api/v1/admin",
    description="Manage sites and read their responses (bearer token).",
)


@blp.before_request
def check_access():
    """Refuse the request before its arguments are read: 401, then 404, then 403."""
    current_token()
    write = request.method not in READ_METHODS
    site_key = (request.view_args or {}).get("site_key")
    if site_key is not None:
        authorized_site(site_key, write=write)
    elif write:
        require_instance_access(write=True)


def update_site(site: Site, changes: dict) -> Site:
    """Apply the validated `changes` to `site` and commit; `widget` merges key by key."""
    for name, value in changes.items():
        if name == "widget":
            value = merge_widget(site.widget, value)
        setattr(site, name, value)
    db.session.commit()
    return site


def delete_site(site: Site) -> None:
    """Delete a site with its responses and the tokens scoped to it."""
    db.session.execute(delete(Response).where(Response.site_id == site.id))
    db.session.execute(delete(AdminToken).where(AdminToken.site_id == site.id))
    db.session.delete(site)
    db.session.commit()


def list_conditions(site: Site, query: dict) -> list:
    """Return the SQL conditions of a response listing: the common filters, scores and text."""
    conditions = response_conditions(site.id, query)
    if query.get("min_score") is not None:
        conditions.append(Response.score >= query["min_score"])
    if query.get("max_score") is not None:
        conditions.append(Response.score <= query["max_score"])
    if query.get("q"):
        conditions.append(Response.comment.icontains(query["q"], autoescape=True))
    if query.get("cursor"):
        received_at, response_id = query["cursor"]
        position = tuple_(Response.received_at, Response.id)
        conditions.append(position < tuple_(received_at, response_id))
    return conditions


def list_responses(site: Site, query: dict) -> dict:
    """Return one page of a site's responses, newest first, and the cursor of the next."""
    limit = query["limit"]
    rows = db.session.scalars(
        select(Response)
        .where(*list_conditions(site, query))
        .order_by(Response.received_at.desc(), Response.id.desc())
        .limit(limit + 1)
    ).all()
    items = rows[:limit]
    more = len(rows) > limit
    next_cursor = encode_cursor(items[-1].received_at, items[-1].id) if more else None
    return {"items": items, "next_cursor": next_cursor}


def delete_response(site: Site, response_id: int) -> bool:
    """Delete one of a site's responses; tell whether there was one."""
    result = db.session.execute(
        delete(Response).where(Response.site_id == site.id, Response.id == response_id)
    )
    db.session.commit()
    return result.rowcount > 0


def erase_responses(site: Site, email: str) -> int:
    """Delete every response of `site` given with `email` (any letter case); return how many."""
    result = db.session.execute(
        delete(Response).where(
            Response.site_id == site.id, func.lower(Response.email) == email.lower()
        )
    )
    db.session.commit()
    return result.rowcount


@blp.route("/sites", methods=["GET"])
@blp.doc(security=BEARER_AUTH)
@blp.response(200, SiteListSchema)
def read_sites():
    """List the sites the token may see."""
    return {"sites": db.session.scalars(visible_sites_query()).all()}


@blp.route("/sites", methods=["POST"])
@blp.doc(security=BEARER_AUTH)
@blp.arguments(SiteSchema)
@blp.response(201, SiteSchema)
def add_site(data):
    """Create a site; the answer carries its key and the snippet to paste."""
    return create_site(**data)


@blp.route(SITE, methods=["GET"])
@blp.doc(security=BEARER_AUTH)
@blp.response(200, SiteSchema)
def read_site(site_key):
    """Show one site."""
    return authorized_site(site_key)


@blp.route(SITE, methods=["PATCH"])
@blp.doc(security=BEARER_AUTH)
@blp.arguments(SiteUpdateSchema)
@blp.response(200, SiteSchema)
def change_site(changes, site_key):
    """Change some of a site's settings."""
    return update_site(authorized_site(site_key, write=True), changes)


@blp.route(SITE, methods=["DELETE"])
@blp.doc(security=BEARER_AUTH)
@blp.response(204)
def remove_site(site_key):
    """Delete a site, its responses and the tokens scoped to it."""
    delete_site(authorized_site(site_key, write=True))


@blp.route(f"{SITE}/responses", methods=["GET"])
@blp.doc(security=BEARER_AUTH)
@blp.arguments(ResponseListQuerySchema, location="query")
@blp.response(200, ResponsePageSchema)
def read_responses(query, site_key):
    """List a site's responses, newest first, a page at a time."""
    return list_responses(authorized_site(site_key), query)


@blp.route(f"{SITE}/responses/<int(max={MAX_ROW_ID}):response_id>", methods=["DELETE"])
@blp.doc(security=BEARER_AUTH)
@blp.response(204)
def remove_response(site_key, response_id):
    """Delete one response."""
    if not delete_response(authorized_site(site_key, write=True), response_id):
        abort(404, message="No such response.")


@blp.route(f"{SITE}/erasure", methods=["POST"])
@blp.doc(security=BEARER_AUTH)
@blp.arguments(ErasureSchema)
@blp.response(200, ErasureResultSchema)
def erase(data, site_key):
    """Delete every response given with an email address (GDPR art. 17)."""
    return {"deleted": erase_responses(authorized_site(site_key, write=True), data["email"])}
