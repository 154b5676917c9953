"""Re-tag stored comments with the complaint-theme tagger from the command line."""

import sys

import click
from flask.cli import AppGroup

from ..insight.retag import BATCH_ROWS, RetagSummary, count_comments, retag_batches
from ..insight.themes import THEMES
from .common import emit, json_option, reports_database_errors, site_by_key

themes_cli = AppGroup("themes", help="Complaint themes of the stored comments.")


@themes_cli.command("retag")
@click.option("--site", "site_key", help="Only the site with this key (default: every site).")
@click.option(
    "--batch-size",
    type=click.IntRange(1, 10_000),
    default=BATCH_ROWS,
    show_default=True,
    help="Comments tagged and committed per batch.",
)
@json_option
@reports_database_errors
def retag_command(site_key, batch_size, as_json):
    """Tag the stored comments again with the current tagger, and say what changed."""
    site = site_by_key(site_key) if site_key else None
    summary = RetagSummary()
    # The bar goes to standard error so that --json prints only the one object.
    progress = click.progressbar(
        length=count_comments(site),
        label="Re-tagging comments",
        file=sys.stderr,
    )
    with progress as bar:
        for examined, changes in retag_batches(site, batch_size):
            summary.count(examined, changes)
            bar.update(examined)
    document = {"site": site_key, **vars(summary)}
    emit(as_json, document, summary_text(summary))


def summary_text(summary: RetagSummary) -> str:
    """Describe a re-tagging run in a few lines."""
    lines = [f"Re-tagged {summary.examined} comments; {summary.changed} changed their themes."]
    for theme in THEMES:
        added, removed = summary.added[theme], summary.removed[theme]
        if added or removed:
            lines.append(f"  {theme}: +{added} -{removed}")
    return "\n".join(lines)
