"""Build the `touchpoint` command group: Touchpoint's commands, Flask's tools under `dev`.

`flask --app server …` keeps Flask's own group as it is; `touchpoint --help` lists only what
running Touchpoint needs. Flask's `run`, `shell` and `routes` and flask-smorest's `openapi`
move under `touchpoint dev`; of Flask-Migrate's `db` commands only `upgrade` is listed (the
others still run, for developers who know them).
"""

import copy
from importlib.metadata import version

import click
from flask.cli import FlaskGroup, routes_command, run_command, shell_command

#: Commands of Flask and its extensions that a developer uses and an operator does not.
DEV_COMMANDS = ("openapi",)
#: The `db` commands an operator uses.
DB_COMMANDS = ("upgrade",)
#: FlaskGroup's options for finding an app, which `touchpoint` always knows.
APP_OPTIONS = ("app", "env_file", "debug")


def operator_db_group(group: click.Group) -> click.Group:
    """Return a copy of Flask-Migrate's `db` group that lists only `DB_COMMANDS`."""
    listed = copy.copy(group)
    listed.commands = {}
    for name, command in group.commands.items():
        listed.commands[name] = command
        if name not in DB_COMMANDS:
            listed.commands[name] = copy.copy(command)
            listed.commands[name].hidden = True
    return listed


class TouchpointGroup(FlaskGroup):
    """The `touchpoint` command: Touchpoint's commands, Flask's tools under `dev`."""

    def __init__(self, create_app):
        super().__init__(
            create_app=create_app,
            add_default_commands=False,
            add_version_option=False,
            help="Touchpoint feedback server.",
        )
        for param in self.params:
            if param.name in APP_OPTIONS:
                param.hidden = True
        click.version_option(
            version("touchpoint"),
            "--version",
            prog_name="touchpoint",
            message="%(prog)s %(version)s",
        )(self)
        self.dev = click.Group(
            "dev", help="Developer tools: Flask's server, shell, routes, OpenAPI."
        )
        for command in (run_command, shell_command, routes_command):
            self.dev.add_command(command)
        self.add_command(self.dev)

    def get_command(self, ctx, name):
        if name in DEV_COMMANDS:
            return None
        command = super().get_command(ctx, name)
        if name == "db" and isinstance(command, click.Group):
            return operator_db_group(command)
        if name == "dev":
            for dev_name in DEV_COMMANDS:
                found = super().get_command(ctx, dev_name)
                if found is not None:
                    self.dev.add_command(found, dev_name)
        return command

    def list_commands(self, ctx):
        return [name for name in super().list_commands(ctx) if name not in DEV_COMMANDS]
