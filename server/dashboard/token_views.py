"""Serve the dashboard's tokens page: list, create (the secret shown once) and revoke tokens."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..audit.record import token_actor
from ..auth.access import require_instance_access
from ..auth.tokens import create_token, list_tokens, revoke_token
from ..errors import flatten_errors
from ..extensions import db
from ..models import AdminToken
from ..schemas.tokens import TokenCreateSchema
from ..sites.manage import list_sites
from .field_errors import translated_errors
from .forms import ConfirmForm, TokenForm, posted_problems
from .views import bp


@bp.get("/tokens")
def tokens():
    """List the instance's tokens with the form that creates one."""
    require_instance_access(g.signed_in_token, write=True)
    return render_tokens(TokenForm(), {})


@bp.post("/tokens")
def add_token():
    """Create a token and show its secret, this once; it is never stored."""
    require_instance_access(g.signed_in_token, write=True)
    form = TokenForm()
    errors = posted_problems(form)
    payload = {
        "name": form.name.data or "",
        "site": form.site.data or None,
        "read_only": form.read_only.data,
    }
    try:
        data = TokenCreateSchema().load(payload)
    except ValidationError as exc:
        errors = translated_errors(flatten_errors(exc.messages)) | errors
    if errors:
        return render_tokens(form, errors, 422)
    token, secret = create_token(
        data["name"],
        site=data["site"],
        read_only=data["read_only"],
        actor=token_actor(g.signed_in_token, "dashboard"),
    )
    return render_tokens(TokenForm(formdata=None), {}, 201, created=(token, secret))


def render_tokens(form: TokenForm, errors: dict, status: int = 200, created=None):
    """Render the tokens page; `created` is the (token, secret) just made, shown once."""
    page = render_template(
        "admin/tokens.html",
        form=form,
        errors=errors,
        tokens=list_tokens(),
        sites=list_sites(),
        created=created,
    )
    return page, status


def live_token(token_id: int) -> AdminToken:
    """Return the unrevoked token with id `token_id`; 404 when there is none."""
    token = db.session.get(AdminToken, token_id)
    if token is None or token.revoked_at is not None:
        abort(404)
    return token


@bp.get("/tokens/<int:token_id>/revoke")
def confirm_revoke(token_id: int):
    """Ask whether to revoke a token: it stops working at once and cannot be restored."""
    require_instance_access(g.signed_in_token, write=True)
    token = live_token(token_id)
    own = token.id == g.signed_in_token.id
    return render_template("admin/token_revoke.html", form=ConfirmForm(), target=token, own=own)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke(token_id: int):
    """Revoke a token (confirmed, CSRF-checked); a session signed in with it ends too."""
    require_instance_access(g.signed_in_token, write=True)
    target = live_token(token_id)
    if posted_problems(ConfirmForm()):
        abort(400)
    token = revoke_token(target.id, actor=token_actor(g.signed_in_token, "dashboard"))
    flash(_("Token %(name)s is revoked.", name=token.name))
    return redirect(url_for("dashboard.tokens"))
