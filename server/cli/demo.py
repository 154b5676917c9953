"""Create the demo site, and get a newcomer started: demo, token and where to go."""

from urllib.parse import urlsplit

import click
from click.core import ParameterSource
from flask.cli import with_appcontext

from ..audit.record import CLI
from ..auth.tokens import replace_token
from ..demo.seed import DEMO_SITE_NAME, create_demo, find_demo_site
from ..sites.manage import response_counts, update_site
from ..sites.snippet import PublicUrl
from .common import (
    DEFAULT_SERVER_URL,
    OriginType,
    check_public_url,
    describe_site,
    emit,
    json_option,
    reports_database_errors,
    server_url_option,
    site_document,
    snippet_url,
    token_document,
)

#: The name of the admin token `quickstart` prints; each run replaces the last run's.
QUICKSTART_TOKEN = "quickstart"


@click.command("demo")
@click.option("--reset", is_flag=True, help="Delete the demo site and its responses first.")
@server_url_option
@json_option
@with_appcontext
@reports_database_errors
def demo_command(reset, server_url, as_json):
    """Create the "Demo shop" site with ~3,000 sample responses (kept if it already exists)."""
    site, created = create_demo(reset=reset)
    count = response_counts(site).get(site.id, 0)
    where = snippet_url(server_url)
    verdict = "Created" if created else "Kept the existing"
    text = (
        f"{verdict} {DEMO_SITE_NAME!r} with {count} responses "
        f"(run `touchpoint demo --reset` to recreate it).\n" + describe_site(site, where)
    )
    emit(
        as_json,
        {"created": created, "responses": count, "site": site_document(site, where)},
        text,
    )


def origin_of(url: str, param=None, ctx=None) -> str:
    """Return the origin (scheme, host and port) of an http(s) URL."""
    parts = urlsplit(url.strip())
    return OriginType().convert(f"{parts.scheme}://{parts.netloc}", param, ctx)


def check_server_url(ctx, param, url: str) -> str:
    """Refuse a --url snippets cannot use; return it without a trailing slash."""
    return check_public_url(ctx, param, url).rstrip("/")


def quickstart_text(site, secret: str, urls: dict[str, str], server_url: str) -> str:
    """Return where to go after the quickstart, the token, and how to send a response."""
    ingest = f"{server_url}/api/v1/sites/{site.key}/responses"
    return "\n".join(
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
    """Make sure the demo exists, replace the quickstart admin token and print where to go."""
    site = find_demo_site()
    if site is None:
        site, _ = create_demo()
    origin = origin_of(server_url)
    if origin not in site.allowed_origins:
        # The demo pages are served by this server, so its own origin must be allowed.
        update_site(site, {"allowed_origins": [*site.allowed_origins, origin]}, actor=CLI)
    # Secrets are kept only as hashes, so the last run's token cannot be shown again: it is
    # revoked, and the token printed now is the one that works.
    token, secret, revoked = replace_token(QUICKSTART_TOKEN, actor=CLI)
    urls = {
        "dashboard": f"{server_url}/admin/",
        "demo": f"{server_url}/demo/",
        "api": f"{server_url}/api/v1/",
        "openapi": f"{server_url}/api/v1/openapi.json",
    }
    # The URL the server will be reached at is the one `make run` (or its user) named.
    named = click.get_current_context().get_parameter_source("server_url")
    source = "default" if named == ParameterSource.DEFAULT else "configured"
    document = {
        "site": site_document(site, PublicUrl(server_url, source)),
        "token": token_document(token, secret),
        "urls": urls,
    }
    text = quickstart_text(site, secret, urls, server_url)
    if revoked:
        text += f"\n(The earlier {QUICKSTART_TOKEN!r} token no longer works: this one replaces it.)"
    emit(as_json, document, text)
