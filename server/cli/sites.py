"""Create and list sites from the command line."""

import click
from flask.cli import AppGroup

from ..schemas.sites import SiteSchema
from ..sites.manage import create_site, list_sites, response_counts
from .common import (
    OriginType,
    PhaseRuleType,
    describe_site,
    emit,
    json_option,
    load_options,
    reports_database_errors,
    server_url_option,
    site_document,
    snippet_url,
)

#: The option that sets each field of a site, to name it in errors.
SITE_OPTIONS = {"name": "--name", "allowed_origins": "--origin", "phase_rules": "--phase-rule"}

sites_cli = AppGroup("sites", help="Create and list sites.")


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
    settings = {
        "name": name,
        "allowed_origins": list(origins),
        "phase_rules": list(phase_rules),
        "collect_email": collect_email,
    }
    site = create_site(**load_options(SiteSchema(), settings, SITE_OPTIONS))
    where = snippet_url(server_url)
    emit(as_json, site_document(site, where), "Created " + describe_site(site, where))


@sites_cli.command("list")
@server_url_option
@json_option
@reports_database_errors
def list_sites_command(server_url, as_json):
    """List every site with its key and number of responses."""
    sites = list_sites()
    counts = response_counts()
    lines = []
    for site in sites:
        count = counts.get(site.id, 0)
        state = f"{count} response{'' if count == 1 else 's'}"
        state += "" if site.enabled else ", disabled"
        lines.append(f"{site.key}  {site.name}  ({state})  {', '.join(site.allowed_origins)}")
    text = "\n".join(lines) or "No sites yet; create one with `sites create`."
    if not as_json:
        click.echo(text)
        return
    where = snippet_url(server_url)
    emit(as_json, {"sites": [site_document(site, where) for site in sites]}, text)
