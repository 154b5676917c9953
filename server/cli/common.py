"""Hold what the `touchpoint` commands share: options, parameter types, output, site lookups."""

import functools
import json

import click
from marshmallow import Schema, ValidationError
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from ..config import public_url_problem
from ..database import database_ready
from ..errors import flatten_errors
from ..extensions import db
from ..insight.filters import iso_utc
from ..models import AdminToken, Site
from ..schemas.fields import Origin
from ..schemas.sites import PhaseRuleSchema, SiteSchema
from ..sites.manage import find_site
from ..sites.snippet import DEFAULT_PUBLIC_URL, PublicUrl, public_url, site_snippet

DEFAULT_SERVER_URL = DEFAULT_PUBLIC_URL.rstrip("/")

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of text."
)


def check_public_url(ctx, param, url: str | None) -> str | None:
    """Refuse a --url snippets cannot use (see `public_url_problem`): exit 2 naming it."""
    problem = url is not None and public_url_problem(url.strip())
    if problem:
        raise click.BadParameter(f"{problem}, not {url!r}.", ctx, param)
    return url if url is None else url.strip()


server_url_option = click.option(
    "--url",
    "server_url",
    callback=check_public_url,
    help="The server's public URL, written into snippets (default: TOUCHPOINT_PUBLIC_URL, "
    "else the URL a running `touchpoint serve` announced, else http://127.0.0.1:8000).",
)


class OriginType(click.ParamType):
    """An allowed origin: `scheme://host[:port]` over http(s), or `*` for any origin."""

    name = "origin"

    def convert(self, value, param, ctx):
        try:
            return Origin().deserialize(value)
        except ValidationError:
            self.fail(f"{value!r} is not an origin like https://shop.example or *.", param, ctx)


class PhaseRuleType(click.ParamType):
    """A phase rule written `GLOB=PHASE`, read into `{"match": GLOB, "phase": PHASE}`."""

    name = "GLOB=PHASE"

    def convert(self, value, param, ctx):
        glob, separator, phase = value.rpartition("=")
        if not separator:
            self.fail(f"{value!r} is not GLOB=PHASE, e.g. '/checkout*=conversion'.", param, ctx)
        try:
            return PhaseRuleSchema().load({"match": glob.strip(), "phase": phase.strip()})
        except ValidationError as exc:
            self.fail(f"{value!r}: {schema_problems(exc, {})}", param, ctx)


def schema_problems(exc: ValidationError, options: dict[str, str]) -> str:
    """Say what a schema refused, naming the command-line option behind each field."""
    return "; ".join(
        f"{options.get(field.split('.')[0], field)}: {' '.join(problems)}"
        for field, problems in flatten_errors(exc.messages).items()
    )


def load_options(schema: Schema, values: dict, options: dict[str, str]) -> dict:
    """Load option values with the API's `schema`; stop with a usage error naming the options."""
    try:
        return schema.load(values)
    except ValidationError as exc:
        raise click.UsageError(schema_problems(exc, options)) from None


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


def snippet_url(server_url: str | None) -> PublicUrl:
    """Return the URL snippets point at: `--url` when given, else `public_url()`.

    Say on standard error when the URL is guessed, so a pasted snippet is checked first.
    """
    where = PublicUrl(server_url, "configured") if server_url else public_url()
    shown = where.url.rstrip("/")  # as the snippet writes it
    if where.source == "running_server":
        click.echo(
            f"Note: snippets point at {shown}, where `touchpoint serve` runs now; "
            "set TOUCHPOINT_PUBLIC_URL or pass --url for the address visitors reach.",
            err=True,
        )
    elif where.source == "default":
        click.echo(
            f"Note: snippets point at {shown}, a guess (TOUCHPOINT_PUBLIC_URL is not set "
            "and no `touchpoint serve` of this database runs); pass --url to name the server.",
            err=True,
        )
    return where


def site_document(site: Site, where: PublicUrl) -> dict:
    """Return a site as the admin API shows it, its snippet pointing at `where`."""
    document = SiteSchema().dump(site)
    document["snippet"] = site_snippet(site, where.url)
    document["snippet_url_source"] = where.source
    return document


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
    site = find_site(key)
    if site is None:
        raise click.ClickException(f"No site has the key {key!r}; see `touchpoint sites list`.")
    return site


def describe_site(site: Site, where: PublicUrl) -> str:
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
            f"  {site_snippet(site, where.url)}",
        ]
    )
