"""Write a site's export to standard output."""

import os
import sys

import click
from flask.cli import with_appcontext
from marshmallow import ValidationError

from ..insight.export import FORMATS, stream_export
from ..schemas.filters import ResponseFilterSchema
from .common import load_options, reports_database_errors, schema_problems, site_by_key

#: The option that sets each export filter, to name it in errors.
FILTER_OPTIONS = {
    "from": "--from",
    "to": "--to",
    "metric": "--metric",
    "phase": "--phase",
    "path": "--path",
    "tz": "--tz",
    "format": "--format",
}


def export_filters(options: dict) -> dict:
    """Validate the export's filter options with the API's filter schema."""
    given = {name: value for name, value in options.items() if value is not None}
    return load_options(ResponseFilterSchema(), given, FILTER_OPTIONS)


@click.command("export")
@click.option("--site", "site_key", required=True, help="The key of the site to export.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "--from",
    "start",
    help="Inclusive start: ISO 8601 date or datetime (in --tz without an offset).",
)
@click.option(
    "--to", "end", help="Exclusive end: ISO 8601 date or datetime (in --tz without an offset)."
)
@click.option("--tz", help="Reporting time zone (IANA name); default: the site's timezone.")
@click.option("--metric", help="Only this metric.")
@click.option("--phase", help="Only this phase, or 'unknown'.")
@click.option("--path", help="Only this normalised page path.")
@with_appcontext
@reports_database_errors
def export_command(site_key, fmt, start, end, tz, metric, phase, path):
    """Write a site's responses to standard output as CSV, NDJSON or xlsx (bytes)."""
    filters = export_filters(
        {"from": start, "to": end, "tz": tz, "metric": metric, "phase": phase, "path": path}
    )
    site = site_by_key(site_key)
    try:
        chunks = stream_export(site, filters, fmt)
    except ValidationError as exc:
        # More rows than an xlsx sheet holds: the same refusal as the API's 422.
        raise click.UsageError(schema_problems(exc, FILTER_OPTIONS)) from None
    write_chunks(chunks)


def write_chunks(chunks) -> None:
    """Write chunks to standard output, text as UTF-8 and bytes (xlsx) as they are; stop
    quietly when the reader goes away."""
    output = sys.stdout.buffer
    try:
        for chunk in chunks:
            output.write(chunk if isinstance(chunk, bytes) else chunk.encode())
        output.flush()
    except BrokenPipeError:
        # The reader (`| head`) has gone: point stdout at /dev/null so the exit flush is silent.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except OSError as exc:
        # A full disk or a closed file: say so in one line; the exit flush must not retry.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        click.echo(f"Error: could not write the export: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from None
