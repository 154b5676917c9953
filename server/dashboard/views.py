"""Serve the dashboard's pages: sign-in, the sites and each site's insight."""

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh as refresh_locale
from marshmallow import ValidationError

from ..auth.access import authorized_site, visible_sites
from ..errors import dashboard_request, flatten_errors, html_error_page
from ..extensions import csrf
from ..insight.export import export_download
from ..insight.filters import iso_utc
from ..insight.intervals import SCORE_BOUNDS
from ..insight.moments import DEFAULT_MIN_COUNT
from ..insight.overview import site_overview
from ..insight.themes import stored_evidence
from ..models import METRICS, PHASES
from ..schemas.reports import ExportQuerySchema
from ..security import DASHBOARD_PREFIX
from ..sites.activity import Activity, first_response_at, site_activity
from ..state import app_state
from . import sessions
from .charts import Column, bar, interval_chart, sparkline
from .explain import EXPLAIN_HELPERS
from .forms import SignInForm
from .i18n import LANGUAGE_KEY, LANGUAGES, language
from .install import install_context
from .names import METRIC_NAMES, PHASE_NAMES, TEMPLATE_NAMES
from .periods import local_time, reporting_zone
from .site_page import comment_score_range, period_fields, site_page_schema
from .targets import local_target, safe_target

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix=DASHBOARD_PREFIX,
    template_folder="templates",
    static_folder="static",
)

#: Views a visitor without a session may reach.
OPEN_ENDPOINTS = frozenset({"dashboard.sign_in", "dashboard.choose_language", "dashboard.static"})

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

#: The bodies a dashboard form may be posted with (none, or what every form's default enctype).
FORM_BODIES = frozenset({"", "application/x-www-form-urlencoded"})

#: The page's filters an export keeps besides its window (the comment filters are not the
#: export's).
EXPORT_FILTERS = ("phase", "path")

#: The id of the comments section, which its pager links back to.
COMMENTS_ANCHOR = "comments"


def template_helpers() -> dict:
    """Give every template the language, the names of codes and the signed-in token."""
    if not dashboard_request():
        return {}
    return {
        "language": language(),
        "languages": LANGUAGES,
        **TEMPLATE_NAMES,
        "token": g.get("signed_in_token"),
        "return_target": return_target(),
        "theme_evidence": lambda response: stored_evidence(
            response.comment, response.themes, response.reasons
        ),
    }


def return_target() -> str | None:
    """Return this page's address to come back to: with its query, or its path alone, or None."""
    return safe_target(request.full_path.rstrip("?")) or safe_target(request.path)


@bp.before_request
def require_session():
    """Check the CSRF token of every form and the session of every page but sign-in."""
    # Flask-Babel caches the locale on the app context, which outlives one request when the
    # context was pushed around several (tests); each page picks its reader's language anew.
    refresh_locale()
    if request.method not in SAFE_METHODS:
        # Every dashboard form is posted URL-encoded; no view expects a file or other body.
        if request.mimetype not in FORM_BODIES:
            abort(400)
        csrf.protect()
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    token = sessions.session_token()
    if token is None:
        return redirect(url_for("dashboard.sign_in", next=return_target()))
    g.signed_in_token = token
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Show the sign-in form; exchange a valid token for a session."""
    limit = app_state().sign_in_limit
    address = request.remote_addr or "unknown"
    if request.method == "POST" and (retry_after := limit.check(address)) is not None:
        page, code, headers = html_error_page(429, None)
        return page, code, {**headers, "Retry-After": str(retry_after)}
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        lifetime = current_app.permanent_session_lifetime
        if sessions.sign_in(form.token.data, lifetime) is not None:
            return redirect(local_target(request.args.get("next")))
        form.token.errors = [_("That token is not valid or has been revoked.")]
        limit.hit(address)
        status = 401
    elif form.is_submitted():
        status = 422
    return render_template("admin/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    """End the session and go back to the sign-in page."""
    sessions.sign_out()
    return redirect(url_for("dashboard.sign_in", signed_out=1))


@bp.get("/language/<code>")
def choose_language(code: str):
    """Remember the reader's language and return to the page they were on."""
    if code in LANGUAGES:
        session[LANGUAGE_KEY] = code
    return redirect(local_target(request.args.get("next")))


@bp.get("/")
def index():
    """List the sites the session's token may see, with their recent responses."""
    token = g.signed_in_token
    sites = visible_sites(token)
    return render_template(
        "admin/sites.html",
        sites=sites,
        activity=site_activity([site.id for site in sites]),
        no_activity=Activity(),
        may_add=not token.read_only and token.site_id is None,
    )


@bp.get("/sites/<site_key>")
def site_page(site_key: str):
    """Show a site's scores, journey, moments, themes, pages and latest comments."""
    site = authorized_site(g.signed_in_token, site_key)
    if not request.args and first_response_at(site) is None:
        # Empty charts tell a new owner nothing; the install steps tell what to do next. A
        # page asked for with filters is still the page asked for.
        return render_template(
            "admin/site_installed.html", **install_context(site, site.name, "overview")
        )
    zone = reporting_zone(site)
    schema = site_page_schema(zone)
    query = known_parameters(schema)
    try:
        filters = schema.load(query)
        overview = site_overview(site, filters.pop("metric", None), filters)
        errors = {}
    except ValidationError as exc:
        errors = flatten_errors(exc.messages)
        overview = site_overview(site, None, {})
    metric = overview["metric"]
    page = render_template(
        "admin/site.html",
        site=site,
        query=query,
        errors=errors,
        overview=overview,
        journey_chart=journey_chart(metric, overview["journey"]),
        metrics=METRICS,
        phases=PHASES,
        bounds=SCORE_BOUNDS,
        score_range=comment_score_range(query.get("comment_metric")),
        min_count=DEFAULT_MIN_COUNT,
        first_page={name: value for name, value in query.items() if name != "cursor"},
        export_filters=export_filters(query, overview),
        period=period_fields(query, overview, zone),
        zone=zone,
        site_time=lambda moment, width="medium": local_time(moment, zone, width),
        comments_anchor=COMMENTS_ANCHOR,
        sparkline=sparkline,
        bar=bar,
        **EXPLAIN_HELPERS,
    )
    return page, 422 if errors else 200


def known_parameters(schema) -> dict[str, str]:
    """Return the request's non-blank query parameters that `schema` reads, first value each.

    Others are ignored: they never reach the page's links, whose `url_for` would take a
    parameter named like the route's own (`site_key`) or like its options (`_external`).
    """
    names = {field.data_key or name for name, field in schema.load_fields.items()}
    return {name: value for name, value in request.args.items() if name in names and value.strip()}


def journey_chart(metric: str, journey: dict):
    """Draw the five phases left to right, each with its score, interval and count."""
    low, high = SCORE_BOUNDS[metric]
    columns = [
        Column(str(PHASE_NAMES[phase]), *summary_point(summary))
        for phase, summary in journey["phases"]
    ]
    label = _("%(metric)s per journey phase", metric=METRIC_NAMES[metric])
    return interval_chart(columns, low, high, label, baseline=journey["overall"]["score"])


def export_filters(query: dict, overview: dict) -> dict:
    """Return the export's query: the page's window and filters (not the comment ones)."""
    filters = {name: query[name] for name in EXPORT_FILTERS if query.get(name)}
    return {**filters, "from": iso_utc(overview["start"]), "to": iso_utc(overview["end"])}


def summary_point(summary: dict | None) -> tuple:
    """Return (score, ci95, count) of a stats summary, or an empty point when there is none."""
    if summary is None:
        return None, None, 0
    return summary["score"], summary["ci95"], summary["count"]


@bp.get("/sites/<site_key>/export")
def export(site_key: str):
    """Download the site's responses as the admin API exports them, authorised by the session."""
    site = authorized_site(g.signed_in_token, site_key)
    try:
        query = ExportQuerySchema().load(request.args)
    except ValidationError as exc:
        return html_error_page(422, "; ".join(flatten_errors(exc.messages)))
    fmt = query.pop("format")
    return export_download(site, query, fmt).response()
