"""Serve the dashboard's first hour: add a site, check its install, allow a refused origin."""

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..audit.record import token_actor
from ..auth.access import authorized_site, require_instance_access
from ..errors import flatten_errors
from ..models import PHASES
from ..schemas.sites import SiteSchema, SiteUpdateSchema
from ..sites.manage import create_site, update_site
from .field_errors import translated_errors
from .forms import (
    AllowOriginForm,
    NewSiteForm,
    new_site_form_data,
    new_site_payload,
    posted_problems,
)
from .install import install_context, install_status
from .targets import safe_target
from .views import bp


@bp.get("/sites/new")
def new_site():
    """Show the form that creates a site (instance-wide read-write tokens only)."""
    require_instance_access(g.signed_in_token, write=True)
    return render_new_site(NewSiteForm(data=new_site_form_data()), {})


@bp.post("/sites/new")
def add_site():
    """Check the new site with the admin API's schema, create it and show its snippet."""
    require_instance_access(g.signed_in_token, write=True)
    form = NewSiteForm()
    errors = posted_problems(form)
    try:
        data = SiteSchema().load(new_site_payload(form))
    except ValidationError as exc:
        errors = translated_errors(flatten_errors(exc.messages)) | errors
    if errors:
        return render_new_site(form, errors, 422)
    site = create_site(**data, actor=token_actor(g.signed_in_token, "dashboard"))
    return redirect(url_for("dashboard.install", site_key=site.key))


def render_new_site(form: NewSiteForm, errors: dict, status: int = 200):
    """Render the new site form with `errors` (flat, keyed by the API's field paths)."""
    return render_template("admin/site_new.html", form=form, errors=errors, phases=PHASES), status


@bp.get("/sites/<site_key>/install")
def install(site_key: str):
    """Show the snippet, the live install check and the refused origins of a site."""
    site = authorized_site(g.signed_in_token, site_key)
    return render_template("admin/site_installed.html", **install_context(site))


@bp.get("/sites/<site_key>/install-check")
def install_check(site_key: str):
    """Answer the install page's poll: the first response's time and the refused origins."""
    return jsonify(install_status(authorized_site(g.signed_in_token, site_key)))


@bp.post("/sites/<site_key>/allowed-origins")
def allow_origin(site_key: str):
    """Add a refused origin to the site's allowed origins, checked by the admin API's schema."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    form = AllowOriginForm()
    errors = posted_problems(form)
    origins = [*(site.allowed_origins or []), (form.origin.data or "").strip()]
    try:
        changes = SiteUpdateSchema().load({"allowed_origins": origins})
    except ValidationError as exc:
        errors = translated_errors(flatten_errors(exc.messages)) | errors
    if errors:
        page = render_template("admin/site_installed.html", errors=errors, **install_context(site))
        return page, 422
    update_site(site, changes, actor=token_actor(g.signed_in_token, "dashboard"))
    flash(_("%(origin)s is allowed now.", origin=changes["allowed_origins"][-1]))
    back = safe_target(request.form.get("next"))
    return redirect(back or url_for("dashboard.install", site_key=site.key))
