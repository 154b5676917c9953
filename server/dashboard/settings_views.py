"""Serve a site's settings page: show the settings, check and save a change."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..audit.record import token_actor
from ..auth.access import authorized_site
from ..errors import flatten_errors
from ..models import METRICS, PHASES
from ..schemas.sites import SiteUpdateSchema
from ..sites.manage import update_site
from ..sites.refused_origins import MAX_ORIGINS_PER_SITE, refused_origins_by_count
from ..sites.settings import POSITIONS
from ..sites.snippet import public_url, site_snippet
from .field_errors import translated_errors
from .forms import posted_problems
from .phase_tester import phase_verdict
from .settings_form import SettingsForm, settings_form_data, settings_payload
from .views import bp


@bp.get("/sites/<site_key>/settings")
def settings(site_key: str):
    """Show a site's settings."""
    site = authorized_site(g.signed_in_token, site_key)
    form = SettingsForm(data=settings_form_data(site))
    return render_settings(site, form, {})


def trigger_kind_names() -> dict:
    """Return each kind of proactive prompt's name, in the reader's language."""
    return {
        "exit_intent": _("About to leave the page"),
        "time_on_page": _("After seconds on the page"),
        "scroll_depth": _("Past a share of the page (percent)"),
        "event": _("On an event of the page"),
    }


def tested_phase(site) -> dict:
    """Return the phase tester's answer for the page's `test` parameter (empty: no test)."""
    text = request.args.get("test", "")
    if not text.strip():
        return {"text": ""}
    verdict, error = phase_verdict(text, site)
    return {"text": text, "error": error and _(error), **verdict}


@bp.post("/sites/<site_key>/settings")
def change_settings(site_key: str):
    """Check the submitted settings with the admin API's schema and save them."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    form = SettingsForm()
    errors = posted_problems(form)
    try:
        changes = SiteUpdateSchema().load(settings_payload(form, site))
    except ValidationError as exc:
        errors.update(translated_errors(flatten_errors(exc.messages)))
    if errors:
        return render_settings(site, form, errors, 422)
    update_site(site, changes, actor=token_actor(g.signed_in_token, "dashboard"))
    flash(_("Settings saved."))
    return redirect(url_for("dashboard.settings", site_key=site.key))


def render_settings(site, form: SettingsForm, errors: dict, status: int = 200):
    """Render the settings page with `errors` (flat, keyed by the API's field paths)."""
    page = render_template(
        "admin/settings.html",
        site=site,
        form=form,
        errors=errors,
        read_only=g.signed_in_token.read_only,
        snippet=site_snippet(site, public_url().url),
        metrics=METRICS,
        phases=PHASES,
        positions=POSITIONS,
        refused_origins=refused_origins_by_count(site),
        tester=tested_phase(site),
        trigger_kinds=trigger_kind_names(),
        max_refused_origins=MAX_ORIGINS_PER_SITE,
    )
    return page, status
