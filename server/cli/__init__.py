"""Provide the `touchpoint` command line, a Flask CLI group (`flask --app server …` works too)."""

import sys

from flask import Flask

from ..config import ConfigError
from .demo import demo_command, quickstart_command
from .export import export_command
from .group import TouchpointGroup
from .serve import serve_command
from .sites import sites_cli
from .themes import themes_cli
from .tokens import tokens_cli
from .worker import worker_command


def init_app(app: Flask) -> None:
    """Add Touchpoint's commands to the app's command line."""
    commands = (
        sites_cli,
        tokens_cli,
        themes_cli,
        export_command,
        demo_command,
        quickstart_command,
        worker_command,
    )
    for command in (*commands, serve_command):
        app.cli.add_command(command)


def main() -> None:
    """Run the `touchpoint` command; a configuration that may not start stops it in one line."""
    from .. import create_app  # the factory registers these commands: import it at run time

    try:
        app = create_app()
    except ConfigError as exc:
        sys.exit(f"Error: {exc}")
    TouchpointGroup(create_app=lambda: app)()
