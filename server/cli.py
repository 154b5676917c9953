"""Provide the `touchpoint` command line, a Flask CLI group (`flask --app server …` works too)."""

import functools
import json
import os
import sys
from urllib.parse import urlsplit

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from marshmallow import ValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from . import create_app
from .auth import create_token, revoke_token
from .config import ConfigError
from .database import database_ready
from .demo import DEMO_SITE_NAME, create_demo, find_demo_site
from .extensions import db
from .filters import ResponseFilterSchema, iso_utc
from .models import PHASES, AdminToken, Response, Site
from .sites import create_site, site_snippet

DEFAULT_SERVER_URL = "http://127.0.0.1:8000"
EXPORT_FORMATS = ("csv", "ndjson")

sites_cli = AppGroup("sites", help="Create and list sites.")
tokens_cli = AppGroup("tokens", help="Create, list and revoke admin tokens.")

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of text."
)
server_url_option = click.option(
    "--url",
    "server_url",
    envvar="TOUCHPOINT_PUBLIC_URL",
    default=DEFAULT_SERVER_URL,
    show_default=True,
    help="The server's public URL, written into snippets (env: TOUCHPOINT_PUBLIC_URL).",
)


class OriginType(click.ParamType):
    """An allowed origin: `scheme://host[:port]` over http(s), or `*` for any origin."""

    name = "origin"

    def convert(self, value, param, ctx):
        text = value.strip()
        if text == "*":
            return text
        parts = urlsplit(text)
        valid = (
            parts.scheme in ("http", "https")
            and parts.hostname
            and not parts.username
            and parts.path in ("", "/")
            and not parts.query
            and not parts.fragment
        )
        try:
            port = parts.port
        except ValueError:
            valid = False
        if not valid:
            self.fail(f"{value!r} is not an origin like https://shop.example or *.", param, ctx)
        host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        default_port = 443 if parts.scheme == "https" else 80
        return f"{parts.scheme}://{host}" + (f":{port}" if port not in (None, default_port) else "")


class PhaseRuleType(click.ParamType):
    """A phase rule written `GLOB=PHASE`, read into `{"match": GLOB, "phase": PHASE}`."""

    name = "GLOB=PHASE"

    def convert(self, value, param, ctx):
        glob, separator, phase = value.rpartition("=")
        glob, phase = glob.strip(), phase.strip()
        if not separator or not glob.startswith(("/", "*")):
            self.fail(f"{value!r} is not GLOB=PHASE with a glob such as /checkout*.", param, ctx)
        if phase not in PHASES:
            self.fail(f"{phase!r} is not a phase; use one of {', '.join(PHASES)}.", param, ctx)
        return {"match": glob, "phase": phase}


def reports_database_errors(command):
    """Turn a database failure inside `command` into a clear message and exit status 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SQLAlchemyError as exc:
            db.session.rollback()
            raise click.ClickException(describe_database_error(exc)) from None

    return run


def describe_database_error(exc: SQLAlchemyError) -> str:
    """Say what is wrong with the database in words an operator can act on."""
    if not database_ready():
        url = db.engine.url.render_as_string(hide_password=True)
        return f"Cannot reach the database at {url}; is it running?"
    if not inspect(db.engine).has_table(Site.__tablename__):
        return "The database has no Touchpoint tables yet; run `touchpoint db upgrade` first."
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return f"The database refused the command: {detail}"


def emit(as_json: bool, document: dict, text: str) -> None:
    """Print `document` as one JSON object when --json is given, otherwise `text`."""
    click.echo(json.dumps(document, ensure_ascii=False) if as_json else text)


def site_document(site: Site, server_url: str) -> dict:
    """Return a site as the admin API shows it: settings, key, snippet and timestamps."""
    return {
        "key": site.key,
        "name": site.name,
        "allowed_origins": list(site.allowed_origins),
        "phase_rules": list(site.phase_rules),
        "collect_email": site.collect_email,
        "keep_query_params": list(site.keep_query_params),
        "enabled": site.enabled,
        "widget": dict(site.widget),
        "snippet": site_snippet(site, server_url),
        "created_at": iso_utc(site.created_at),
        "updated_at": iso_utc(site.updated_at),
    }


def token_document(token: AdminToken, secret: str | None = None) -> dict:
    """Return a token's public fields, plus its secret right after creation."""
    document = {"id": token.id, "name": token.name}
    if secret is not None:
        document["token"] = secret
    document.update(
        site=token.site.key if token.site else None,
        read_only=token.read_only,
        created_at=iso_utc(token.created_at),
    )
    if secret is None:
        document["revoked_at"] = iso_utc(token.revoked_at) if token.revoked_at else None
    return document


def token_scope(token: AdminToken) -> str:
    """Describe in words what a token may do."""
    access = "read-only" if token.read_only else "read-write"
    where = f"site {token.site.key}" if token.site else "every site"
    return f"{access}, {where}"


def site_by_key(key: str) -> Site:
    """Return the site whose key is `key`, or stop with an error."""
    site = db.session.scalar(select(Site).where(Site.key == key))
    if site is None:
        raise click.ClickException(f"No site has the key {key!r}; see `touchpoint sites list`.")
    return site


def describe_site(site: Site, server_url: str) -> str:
    """Return a site's key, origins, phase rules and snippet as readable lines."""
    rules = ", ".join(f"{rule['match']} → {rule['phase']}" for rule in site.phase_rules)
    return "\n".join(
        [
            f"Site {site.name!r}",
            f"  key:          {site.key}",
            f"  origins:      {', '.join(site.allowed_origins)}",
            f"  phase rules:  {rules or '(none)'}",
            f"  emails:       {'collected' if site.collect_email else 'not collected'}",
            "Paste this snippet into every page of the site:",
            f"  {site_snippet(site, server_url)}",
        ]
    )


@sites_cli.command("create")
@click.option("--name", required=True, help="The site's name.")
@click.option(
    "--origin",
    "origins",
    type=OriginType(),
    multiple=True,
    required=True,
    help="An origin allowed to send feedback (repeatable), or * for any.",
)
@click.option(
    "--phase-rule",
    "phase_rules",
    type=PhaseRuleType(),
    multiple=True,
    help="Map paths to a phase, e.g. '/checkout*=conversion' (repeatable, first match wins).",
)
@click.option("--collect-email", is_flag=True, help="Store the email address visitors give.")
@server_url_option
@json_option
@reports_database_errors
def create_site_command(name, origins, phase_rules, collect_email, server_url, as_json):
    """Create a site and print its key and snippet."""
    name = name.strip()
    if not name or len(name) > 200:
        raise click.BadParameter("must be 1 to 200 characters.", param_hint="--name")
    if "*" in origins and len(origins) > 1:
        raise click.BadParameter("* allows every origin; give it alone.", param_hint="--origin")
    site = create_site(
        name, list(dict.fromkeys(origins)), phase_rules=phase_rules, collect_email=collect_email
    )
    emit(as_json, site_document(site, server_url), "Created " + describe_site(site, server_url))


@sites_cli.command("list")
@server_url_option
@json_option
@reports_database_errors
def list_sites_command(server_url, as_json):
    """List every site with its key and number of responses."""
    sites = db.session.scalars(select(Site).order_by(Site.id)).all()
    counts = dict(
        db.session.execute(select(Response.site_id, func.count()).group_by(Response.site_id)).all()
    )
    lines = []
    for site in sites:
        count = counts.get(site.id, 0)
        state = f"{count} response{'' if count == 1 else 's'}"
        state += "" if site.enabled else ", disabled"
        lines.append(f"{site.key}  {site.name}  ({state})  {', '.join(site.allowed_origins)}")
    document = {"sites": [site_document(site, server_url) for site in sites]}
    emit(as_json, document, "\n".join(lines) or "No sites yet; create one with `sites create`.")


@tokens_cli.command("create")
@click.option("--name", required=True, help="What the token is for, e.g. 'dashboard' or 'ci'.")
@click.option("--site", "site_key", help="Limit the token to the site with this key.")
@click.option("--read-only", is_flag=True, help="Allow reading only.")
@json_option
@reports_database_errors
def create_token_command(name, site_key, read_only, as_json):
    """Create an admin token and print its secret, which is shown only this once."""
    name = name.strip()
    if not name or len(name) > 200:
        raise click.BadParameter("must be 1 to 200 characters.", param_hint="--name")
    site = site_by_key(site_key) if site_key else None
    token, secret = create_token(name, site=site, read_only=read_only)
    text = (
        f"Created admin token {token.id} {token.name!r} ({token_scope(token)}).\n"
        "Its secret is shown only now; keep it safe:\n"
        f"  {secret}"
    )
    emit(as_json, token_document(token, secret), text)


@tokens_cli.command("list")
@json_option
@reports_database_errors
def list_tokens_command(as_json):
    """List admin tokens (never their secrets)."""
    tokens = db.session.scalars(select(AdminToken).order_by(AdminToken.id)).all()
    lines = [
        f"{token.id:>4}  {token.name}  ({token_scope(token)})  "
        + (f"revoked {iso_utc(token.revoked_at)}" if token.revoked_at else "active")
        for token in tokens
    ]
    document = {"tokens": [token_document(token) for token in tokens]}
    emit(as_json, document, "\n".join(lines) or "No tokens yet; create one with `tokens create`.")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
@json_option
@reports_database_errors
def revoke_token_command(token_id, as_json):
    """Revoke the admin token with id TOKEN_ID; it stops working at once."""
    token = revoke_token(token_id)
    if token is None:
        raise click.ClickException(f"No token has the id {token_id}; see `touchpoint tokens list`.")
    text = f"Revoked token {token.id} {token.name!r} at {iso_utc(token.revoked_at)}."
    emit(as_json, token_document(token), text)


def export_filters(options: dict) -> dict:
    """Validate the export's filter options with the API's filter schema."""
    given = {name: value for name, value in options.items() if value is not None}
    try:
        return ResponseFilterSchema().load(given)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{field}: {' '.join(messages)}" for field, messages in exc.messages.items()
        )
        raise click.UsageError(problems) from None


@click.command("export")
@click.option("--site", "site_key", required=True, help="The key of the site to export.")
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True
)
@click.option("--from", "start", help="Inclusive start: ISO 8601 date or datetime (UTC).")
@click.option("--to", "end", help="Exclusive end: ISO 8601 date or datetime (UTC).")
@click.option("--metric", help="Only this metric.")
@click.option("--phase", help="Only this phase, or 'unknown'.")
@click.option("--path", help="Only this normalised page path.")
@with_appcontext
@reports_database_errors
def export_command(site_key, fmt, start, end, metric, phase, path):
    """Write a site's responses to standard output as CSV or NDJSON."""
    filters = export_filters(
        {"from": start, "to": end, "metric": metric, "phase": phase, "path": path}
    )
    site = site_by_key(site_key)
    from .export import stream_export

    write_chunks(stream_export(site, filters, fmt))


def write_chunks(chunks) -> None:
    """Write text chunks to standard output as UTF-8; stop quietly when the reader goes away."""
    output = sys.stdout.buffer
    try:
        for chunk in chunks:
            output.write(chunk.encode())
        output.flush()
    except BrokenPipeError:
        # The reader (`| head`) has gone: point stdout at /dev/null so the exit flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete the demo site and its responses first.")
@server_url_option
@json_option
@with_appcontext
@reports_database_errors
def demo_command(reset, server_url, as_json):
    """Create the "Demo shop" site with ~3,000 sample responses (kept if it already exists)."""
    site, created = create_demo(reset=reset)
    count = db.session.scalar(select(func.count()).where(Response.site_id == site.id))
    verdict = "Created" if created else "Kept the existing"
    text = (
        f"{verdict} {DEMO_SITE_NAME!r} with {count} responses "
        f"(run `touchpoint demo --reset` to recreate it).\n" + describe_site(site, server_url)
    )
    emit(
        as_json,
        {"created": created, "responses": count, "site": site_document(site, server_url)},
        text,
    )


def origin_of(url: str, param=None, ctx=None) -> str:
    """Return the origin (scheme, host and port) of an http(s) URL."""
    parts = urlsplit(url.strip())
    return OriginType().convert(f"{parts.scheme}://{parts.netloc}", param, ctx)


def check_server_url(ctx, param, url: str) -> str:
    """Refuse a --url that is not an http(s) address; return it without a trailing slash."""
    origin_of(url, param, ctx)
    return url.strip().rstrip("/")


@click.command("quickstart")
@click.option(
    "--url",
    "server_url",
    default=DEFAULT_SERVER_URL,
    show_default=True,
    callback=check_server_url,
    help="The URL the server will be reached at.",
)
@json_option
@with_appcontext
@reports_database_errors
def quickstart_command(server_url, as_json):
    """Make sure the demo exists, create an admin token and print where to go."""
    site = find_demo_site()
    if site is None:
        site, _ = create_demo()
    origin = origin_of(server_url)
    if origin not in site.allowed_origins:
        # The demo pages are served by this server, so its own origin must be allowed.
        site.allowed_origins = [*site.allowed_origins, origin]
        db.session.commit()
    token, secret = create_token("quickstart", site=None, read_only=False)
    urls = {
        "dashboard": f"{server_url}/admin/",
        "demo": f"{server_url}/demo/",
        "api": f"{server_url}/api/v1/",
        "openapi": f"{server_url}/api/v1/openapi.json",
    }
    document = {
        "site": site_document(site, server_url),
        "token": token_document(token, secret),
        "urls": urls,
    }
    ingest = f"{server_url}/api/v1/sites/{site.key}/responses"
    text = "\n".join(
        [
            "Touchpoint is ready.",
            "",
            f"  Dashboard    {urls['dashboard']}",
            f"  Demo shop    {urls['demo']}",
            f"  API          {urls['api']}  (OpenAPI: {urls['openapi']})",
            f"  Site key     {site.key}  ({site.name})",
            f"  Admin token  {secret}",
            "",
            "The token is shown only now: sign in to the dashboard with it, or call the API with",
            f"  curl -H 'Authorization: Bearer {secret}' {urls['api']}admin/sites",
            "Send a response yourself:",
            f'  curl -H \'Content-Type: application/json\' -d \'{{"metric": "csat", "score": 5,'
            f' "page": {{"url": "{server_url}/demo/"}}}}\' {ingest}',
        ]
    )
    emit(as_json, document, text)


def gunicorn_argv(
    host: str | None = None, port: int | None = None, workers: int | None = None
) -> list[str]:
    """Return the argv that starts gunicorn on Touchpoint with the project's configuration.

    Options left out fall back to `server/gunicorn_conf.py` (TOUCHPOINT_BIND, TOUCHPOINT_WORKERS).
    """
    argv = [sys.executable, "-m", "gunicorn", "--config", "python:server.gunicorn_conf"]
    if host is not None or port is not None:
        host = host or "127.0.0.1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        argv += ["--bind", f"{host}:{8000 if port is None else port}"]
    if workers is not None:
        argv += ["--workers", str(workers)]
    return [*argv, "server.wsgi:app"]


@click.command("serve")
@click.option("--host", help="Address to listen on (default 127.0.0.1, or TOUCHPOINT_BIND).")
@click.option("--port", type=click.IntRange(0, 65535), help="Port to listen on (default 8000).")
@click.option("--workers", type=click.IntRange(min=1), help="Worker processes (default 2).")
def serve_command(host, port, workers):
    """Serve Touchpoint with gunicorn, the production server."""
    argv = gunicorn_argv(host, port, workers)
    # Replace this process so signals from the shell or a supervisor reach gunicorn itself.
    os.execvp(argv[0], argv)


def init_app(app: Flask) -> None:
    """Add Touchpoint's commands to the app's command line."""
    commands = (sites_cli, tokens_cli, export_command, demo_command, quickstart_command)
    for command in (*commands, serve_command):
        app.cli.add_command(command)


def main() -> None:
    """Run the `touchpoint` command; a configuration that may not start stops it in one line."""
    try:
        app = create_app()
    except ConfigError as exc:
        sys.exit(f"Error: {exc}")
    FlaskGroup(create_app=lambda: app, help="Touchpoint feedback server.")()
