"""What a newcomer meets first: the README's way to the command, its help and its version."""

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).parent.parent.parent
TOUCHPOINT = Path(sys.executable).with_name("touchpoint")
#: Flask's and its extensions' own commands, which an operator never needs.
DEVELOPER_COMMANDS = {"run", "shell", "routes", "openapi"}


def touchpoint(*args: str) -> subprocess.CompletedProcess:
    """Run the installed `touchpoint` command and return what it printed."""
    return subprocess.run(
        [str(TOUCHPOINT), *args], capture_output=True, text=True, timeout=60, check=False
    )


def listed_commands(help_text: str) -> set[str]:
    """Return the command names a `--help` text lists under `Commands:`."""
    section = help_text.split("Commands:", 1)[1]
    return set(re.findall(r"^  (\S+)", section, flags=re.MULTILINE))


def test_the_readme_says_how_to_reach_the_command():
    readme = (ROOT / "README.md").read_text()
    assert ".venv/bin/touchpoint --help" in readme
    assert "source .venv/bin/activate" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert ".venv" in makefile, "make run must create the .venv the README points to"


def test_help_lists_touchpoints_commands_only():
    result = touchpoint("--help")
    assert result.returncode == 0, result.stderr
    commands = listed_commands(result.stdout)
    assert {"db", "serve", "sites", "tokens", "export", "demo", "themes"} <= commands
    assert not commands & DEVELOPER_COMMANDS
    assert "--app" not in result.stdout and "Flask version" not in result.stdout


def test_flasks_tools_are_under_dev():
    result = touchpoint("dev", "--help")
    assert result.returncode == 0, result.stderr
    assert listed_commands(result.stdout) == DEVELOPER_COMMANDS


def test_db_lists_upgrade_and_keeps_the_rest_runnable():
    result = touchpoint("db", "--help")
    assert listed_commands(result.stdout) == {"upgrade"}
    assert touchpoint("db", "downgrade", "--help").returncode == 0


def test_version_is_touchpoints():
    result = touchpoint("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"touchpoint {version('touchpoint')}"
