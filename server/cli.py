"""Provide the `touchpoint` command line (a Flask CLI group)."""

from flask.cli import FlaskGroup

from . import create_app


def main() -> None:
    """Run the `touchpoint` command."""
    FlaskGroup(create_app=create_app, help="Touchpoint feedback server.")()
