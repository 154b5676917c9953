"""Provide the `touchpoint` command line (a Flask CLI group)."""

import sys

from flask.cli import FlaskGroup

from . import create_app
from .config import ConfigError


def main() -> None:
    """Run the `touchpoint` command; a configuration that may not start stops it in one line."""
    try:
        app = create_app()
    except ConfigError as exc:
        sys.exit(f"Error: {exc}")
    FlaskGroup(create_app=lambda: app, help="Touchpoint feedback server.")()
