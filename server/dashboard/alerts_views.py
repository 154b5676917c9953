"""Serve the dashboard's alert pages: the rules (list, create, edit, switch, delete, test)
and each rule's delivery log, checked by the admin API's schemas and changed by its functions.
"""

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from ..alerts.deliveries import list_deliveries, start_test_delivery
from ..alerts.rules import (
    create_rule,
    delete_rule,
    find_rule,
    record_test,
    site_rules,
    update_rule,
)
from ..audit.record import token_actor
from ..auth.access import authorized_site
from ..errors import flatten_errors
from ..insight.themes import THEMES
from ..jobs.queue import QueueUnavailable
from ..models import METRICS, PHASES
from ..schemas.alert_deliveries import DEFAULT_PAGE_SIZE, AlertDeliveryQuerySchema
from ..schemas.alerts import (
    CHANNELS,
    EVENTS,
    SCHEDULES,
    AlertRuleInSchema,
    AlertRuleSchema,
    AlertRuleUpdateSchema,
    check_merged_rule,
)
from .field_errors import SENT_TWICE, translated_errors
from .views import bp

RULE = "/sites/<site_key>/alerts/<int(max=2147483647):rule_id>"
SHOWN = AlertRuleSchema()
#: The session key naming the rule whose target and secret the next page shows, once; only
#: the id goes in the (signed, not encrypted) cookie, never the secret.
REVEAL_KEY = "revealed_alert_rule"
#: The one form field sent with several values.
LIST_FIELDS = frozenset({"themes"})
#: The filter's single-value fields, as the form names them.
FILTER_FIELDS = ("metric", "phase", "path")
FILTER_FORM_FIELDS = frozenset({*FILTER_FIELDS, "max_score"})


def dashboard_actor():
    """Return the signed-in token as the actor of a change made on these pages."""
    return token_actor(g.signed_in_token, "dashboard")


def rule_payload(form, *, new: bool) -> dict:
    """Return the rule the form describes, as the admin API takes it (blank fields left out).

    When editing, a blank target keeps the current one (it is shown masked, not whole).
    """
    payload = {"name": form.get("name", ""), "enabled": "enabled" in form}
    for name in ("on", "channel", "target", "schedule"):
        if form.get(name, "").strip():
            payload[name] = form[name].strip()
    if not new:
        payload.pop("on", None)
        if "target" not in payload:
            payload.pop("channel", None)
    wanted = {name: form[name].strip() for name in FILTER_FIELDS if form.get(name, "").strip()}
    max_score = form.get("max_score", "").strip()
    if max_score:
        wanted["max_score"] = int(max_score) if max_score.isdecimal() else max_score
    # No theme ticked is no themes filter (every response), never an empty list.
    if form.getlist("themes"):
        wanted["themes"] = form.getlist("themes")
    payload["filter"] = wanted
    return payload


def edit_payload(form, rule) -> dict:
    """Return the change the edit form describes for `rule`, keeping the filter part the
    form does not show: a change rule's `kinds`."""
    payload = rule_payload(form, new=False)
    stored = rule.filter or {}
    if rule.on == "change" and "kinds" in stored:
        payload["filter"]["kinds"] = stored["kinds"]
    return payload


def new_channel_errors(form, rule) -> dict:
    """Return a form error on the target when the form picks another channel without one.

    A blank target keeps the current one, which belongs to the current channel: a new
    channel comes with its target, as the admin API has it.
    """
    channel = form.get("channel", "").strip()
    if channel and channel != rule.channel and not form.get("target", "").strip():
        return {"target": [_("Missing data for required field.")]}
    return {}


def repeated(form) -> dict:
    """Return a form error for each single-value field sent more than once."""
    return {
        (f"filter.{name}" if name in FILTER_FORM_FIELDS else name): [_(SENT_TWICE)]
        for name in form
        if name not in LIST_FIELDS and len(form.getlist(name)) > 1
    }


def reveal_once(site):
    """Return the rule just made or given a secret, when this session is due to see it."""
    rule_id = session.pop(REVEAL_KEY, None)
    if not isinstance(rule_id, int):
        return None
    rule = find_rule(site, rule_id)
    if rule is not None:
        rule.revealed = True
    return rule


def render_rules(site, errors=None, revealed=None, editing=None, form=None, status=200):
    """Render the alert rules page; `revealed` is a rule just made, shown whole once."""
    page = render_template(
        "admin/alerts.html",
        site=site,
        rules=[SHOWN.dump(rule) for rule in site_rules(site)],
        revealed=SHOWN.dump(revealed) if revealed is not None else None,
        editing=editing,
        form=form or {},
        errors=errors or {},
        read_only=g.signed_in_token.read_only,
        events=EVENTS,
        channels=CHANNELS,
        schedules=SCHEDULES,
        metrics=METRICS,
        phases=PHASES,
        themes=THEMES,
    )
    return page, status


def rule_form(rule) -> dict:
    """Return an existing rule as the edit form's values (the target left blank: masked)."""
    wanted = rule.filter or {}
    return {
        "name": rule.name,
        "channel": rule.channel,
        "schedule": rule.schedule or "",
        "enabled": rule.enabled,
        # A max_score of 0 is a filter too: only a missing part shows blank.
        **{
            name: "" if wanted.get(name) is None else wanted[name]
            for name in (*FILTER_FIELDS, "max_score")
        },
        "themes": wanted.get("themes") or [],
    }


def rule_or_404(site, rule_id: int):
    """Return the site's rule, or show the not-found page."""
    rule = find_rule(site, rule_id)
    if rule is None:
        abort(404)
    return rule


@bp.get("/sites/<site_key>/alerts")
def alerts(site_key: str):
    """List the site's alert rules, with a form to add one."""
    site = authorized_site(g.signed_in_token, site_key)
    return render_rules(site, revealed=reveal_once(site))


@bp.post("/sites/<site_key>/alerts")
def add_alert(site_key: str):
    """Create a rule checked by the admin API's schema; show its target and secret once."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    errors = repeated(request.form)
    try:
        data = AlertRuleInSchema().load(rule_payload(request.form, new=True))
    except ValidationError as exc:
        errors = {**translated_errors(flatten_errors(exc.messages)), **errors}
    if errors:
        return render_rules(site, errors=errors, form=request.form, status=422)
    rule = create_rule(site, actor=dashboard_actor(), **data)
    session[REVEAL_KEY] = rule.id
    flash(_("Alert rule created."))
    return redirect(url_for("dashboard.alerts", site_key=site.key))


@bp.get(f"{RULE}")
def edit_alert(site_key: str, rule_id: int):
    """Show the form that changes one rule."""
    site = authorized_site(g.signed_in_token, site_key)
    rule = rule_or_404(site, rule_id)
    return render_rules(site, editing=SHOWN.dump(rule), form=rule_form(rule))


@bp.post(f"{RULE}")
def change_alert(site_key: str, rule_id: int):
    """Change a rule with the admin API's schema; a blank target keeps the current one."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    rule = rule_or_404(site, rule_id)
    errors = {**new_channel_errors(request.form, rule), **repeated(request.form)}
    try:
        changes = AlertRuleUpdateSchema().load(edit_payload(request.form, rule))
        check_merged_rule(rule, changes)
    except ValidationError as exc:
        errors = {**translated_errors(flatten_errors(exc.messages)), **errors}
    if errors:
        return render_rules(
            site, errors=errors, editing=SHOWN.dump(rule), form=request.form, status=422
        )
    update_rule(rule, changes, actor=dashboard_actor())
    if getattr(rule, "revealed", False):  # it became a webhook: its new secret, shown once
        session[REVEAL_KEY] = rule.id
    flash(_("Alert rule saved."))
    return redirect(url_for("dashboard.alerts", site_key=site.key))


@bp.post(f"{RULE}/switch")
def switch_alert(site_key: str, rule_id: int):
    """Turn a rule on or off."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    rule = rule_or_404(site, rule_id)
    update_rule(rule, {"enabled": not rule.enabled}, actor=dashboard_actor())
    flash(_("Alert rule turned on.") if rule.enabled else _("Alert rule turned off."))
    return redirect(url_for("dashboard.alerts", site_key=site.key))


@bp.post(f"{RULE}/delete")
def remove_alert(site_key: str, rule_id: int):
    """Delete a rule and its delivery log."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    delete_rule(rule_or_404(site, rule_id), actor=dashboard_actor())
    flash(_("Alert rule deleted."))
    return redirect(url_for("dashboard.alerts", site_key=site.key))


@bp.post(f"{RULE}/test")
def test_alert(site_key: str, rule_id: int):
    """Queue a test alert and go to the rule's delivery log."""
    site = authorized_site(g.signed_in_token, site_key, write=True)
    rule = rule_or_404(site, rule_id)
    try:
        start_test_delivery(rule, site.key)
    except QueueUnavailable:
        flash(_("The alert queue is unavailable; nothing was sent. Try again shortly."))
        return redirect(url_for("dashboard.alerts", site_key=site.key))
    record_test(rule, actor=dashboard_actor())
    flash(_("Test alert queued: its attempts appear below."))
    return redirect(url_for("dashboard.alert_deliveries", site_key=site.key, rule_id=rule.id))


@bp.get(f"{RULE}/deliveries")
def alert_deliveries(site_key: str, rule_id: int):
    """Show a rule's delivery log, newest first, a page at a time."""
    site = authorized_site(g.signed_in_token, site_key)
    rule = rule_or_404(site, rule_id)
    wanted = {"cursor": request.args["cursor"]} if request.args.get("cursor") else {}
    errors = {}
    try:
        query = AlertDeliveryQuerySchema().load(wanted)
    except ValidationError as exc:
        errors = translated_errors(flatten_errors(exc.messages))
        query = {"limit": DEFAULT_PAGE_SIZE}
    page = list_deliveries(rule, query)
    answer = render_template(
        "admin/alert_deliveries.html",
        site=site,
        rule=SHOWN.dump(rule),
        deliveries=page["items"],
        next_cursor=page["next_cursor"],
        errors=errors,
        read_only=g.signed_in_token.read_only,
    )
    return answer, 422 if errors else 200
