"""Serve the dashboard's inbox (comments to triage, across metrics) and its audit log page."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from marshmallow import ValidationError

from ..audit.listing import list_entries
from ..audit.record import token_actor
from ..auth.access import authorized_site
from ..errors import flatten_errors
from ..insight.listing import list_responses
from ..insight.themes import THEMES
from ..models import PHASES, STATUSES
from ..schemas.audit import AuditQuerySchema
from ..schemas.responses import ResponseListQuerySchema
from ..schemas.triage import BulkTriageFormSchema, TriageSchema
from ..sites.manage import find_site
from ..sites.triage import triage_response, triage_responses
from .field_errors import SENT_TWICE, translated_errors
from .targets import local_target
from .views import bp, known_parameters

#: The inbox forms' fields that hold one value (`ids` holds many).
SINGLE_FIELDS = ("status", "note", "next")

#: The inbox's query: the listing's filters (status, phase, page, theme, score range, …).
INBOX_QUERY = ResponseListQuerySchema()
AUDIT_QUERY = AuditQuerySchema()


def status_names() -> dict[str, str]:
    """Return each triage status's name in the reader's language."""
    return {"new": _("New"), "read": _("Read"), "resolved": _("Resolved"), "spam": _("Spam")}


@bp.get("/sites/<site_key>/inbox")
def inbox(site_key: str):
    """Show a site's comments across metrics, newest first, to triage."""
    site = authorized_site(g.signed_in_token, site_key)
    query = known_parameters(INBOX_QUERY)
    try:
        filters, errors = INBOX_QUERY.load(query), {}
    except ValidationError as exc:
        filters, errors = INBOX_QUERY.load({}), translated_errors(flatten_errors(exc.messages))
    return render_inbox(site, query, filters, errors)


def render_inbox(site, query: dict, filters: dict, errors: dict):
    """Render an inbox page with `errors` (flat, translated): a 422 when there are any."""
    page = render_template(
        "admin/inbox.html",
        site=site,
        query=query,
        errors=errors,
        comments=list_responses(site, filters, with_comment=True),
        first_page={name: value for name, value in query.items() if name != "cursor"},
        statuses=STATUSES,
        status_names=status_names(),
        phases=PHASES,
        themes=THEMES,
        read_only=g.signed_in_token.read_only,
        active="inbox",
    )
    return page, 422 if errors else 200


def back_to_inbox(site, row_id: int | None = None):
    """Redirect to the inbox page the form was posted from, at the row it was about."""
    target = local_target(request.form.get("next"))
    if not target.startswith(url_for("dashboard.inbox", site_key=site.key)):
        target = url_for("dashboard.inbox", site_key=site.key)
    return redirect(target + (f"#row-{row_id}" if row_id else ""))


def form_refusal(site, errors: dict):
    """Show the inbox's first page with a refused form's errors (translated), as a 422."""
    return render_inbox(site, {}, INBOX_QUERY.load({}), errors)


def sent_twice() -> dict:
    """Return an error for each one-value field posted more than once (which one was meant?)."""
    twice = [name for name in SINGLE_FIELDS if len(request.form.getlist(name)) > 1]
    return {name: [_(SENT_TWICE)] for name in twice}


@bp.post("/sites/<site_key>/inbox/triage")
def inbox_triage(site_key: str):
    """Give the ticked comments (or one row's) the status of the button pressed."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    if errors := sent_twice():
        return form_refusal(site, errors)
    form = {"ids": request.form.getlist("ids"), "status": request.form.get("status")}
    try:
        data = BulkTriageFormSchema().load(form)
    except ValidationError as exc:
        return form_refusal(site, translated_errors(flatten_errors(exc.messages)))
    actor = token_actor(g.signed_in_token, "dashboard")
    updated = triage_responses(site, data["ids"], data["status"], actor=actor)
    status = status_names()[data["status"]]
    flash(
        ngettext(
            "%(num)d comment marked %(status)s.",
            "%(num)d comments marked %(status)s.",
            updated,
            status=status,
        )
    )
    return back_to_inbox(site, data["ids"][0] if len(data["ids"]) == 1 else None)


@bp.post("/sites/<site_key>/inbox/<int:response_id>/note")
def inbox_note(site_key: str, response_id: int):
    """Save the team's note on one comment."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    if errors := sent_twice():
        return form_refusal(site, errors)
    try:
        changes = TriageSchema().load({"note": request.form.get("note", "")})
    except ValidationError as exc:
        return form_refusal(site, translated_errors(flatten_errors(exc.messages)))
    actor = token_actor(g.signed_in_token, "dashboard")
    if triage_response(site, response_id, changes, actor=actor) is None:
        abort(404)
    flash(_("Note saved."))
    return back_to_inbox(site, response_id)


@bp.get("/audit")
def audit_log():
    """Show the audit log the session's token may read, newest first."""
    token = g.signed_in_token
    query = known_parameters(AUDIT_QUERY)
    try:
        filters, errors = AUDIT_QUERY.load(query), {}
    except ValidationError as exc:
        filters, errors = AUDIT_QUERY.load({}), translated_errors(flatten_errors(exc.messages))
    key = filters.get("site")
    if token.site_id is not None:
        # A site-scoped token reads its own site's entries only (docs/admin-api.md).
        if key and key != token.site.key:
            abort(404)
        site = token.site
    else:
        # A deleted site's entries are still shown, without its pages' links.
        site = find_site(key) if key else None
    page = render_template(
        "admin/audit.html",
        site=site,
        query=query,
        errors=errors,
        entries=list_entries(token, filters),
        active="audit",
        first_page={name: value for name, value in query.items() if name != "cursor"},
    )
    return page, 422 if errors else 200
