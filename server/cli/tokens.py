"""Create, list and revoke admin tokens from the command line."""

import click
from flask.cli import AppGroup

from ..audit.record import CLI
from ..auth.tokens import create_token, list_tokens, revoke_token
from ..insight.filters import iso_utc
from .common import (
    emit,
    json_option,
    reports_database_errors,
    site_by_key,
    token_document,
    token_scope,
)

tokens_cli = AppGroup("tokens", help="Create, list and revoke admin tokens.")


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
    token, secret = create_token(name, site=site, read_only=read_only, actor=CLI)
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
    tokens = list_tokens()
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
    token = revoke_token(token_id, actor=CLI)
    if token is None:
        raise click.ClickException(f"No token has the id {token_id}; see `touchpoint tokens list`.")
    text = f"Revoked token {token.id} {token.name!r} at {iso_utc(token.revoked_at)}."
    emit(as_json, token_document(token), text)
