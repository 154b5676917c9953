"""The Dockerfile, compose file and entrypoint: lint-clean, schema-valid, and they really serve."""

import json
import re
import shutil
import subprocess
import sys
import uuid
import zipfile
from contextlib import contextmanager

import psycopg
import pytest
import yaml
from alembic.script import ScriptDirectory
from conftest import POSTGRES_URL, REDIS_URL, skip_or_fail
from live_server import BIN, DOCKERFILE, ROOT, LiveServer, image_command, service_environment

pytestmark = pytest.mark.production

COMPOSE_SCHEMA = ROOT.parent / "shared" / "compose-spec.json"


def tool(name: str) -> str:
    """Return the path of a dev-extra command-line tool, or skip."""
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if path is None:
        skip_or_fail(f"{name} is not installed (pip install -e '.[dev]')")
    return path


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_hadolint_finds_nothing():
    result = subprocess.run(
        [tool("hadolint"), "--no-color", "--failure-threshold", "warning", str(DOCKERFILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_compose_file_is_valid_against_the_compose_spec():
    if not COMPOSE_SCHEMA.exists():
        skip_or_fail(f"the compose schema is not at {COMPOSE_SCHEMA}")
    result = subprocess.run(
        [
            tool("check-jsonschema"),
            "--schemafile",
            str(COMPOSE_SCHEMA),
            str(ROOT / "docker-compose.yml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_app_scales_and_waits_for_healthy_services():
    services = compose()["services"]
    app = services["app"]
    assert "container_name" not in app
    # Replicas publish nothing (so none clash, and none is reachable past Caddy).
    assert "ports" not in app
    assert app["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    for name in ("postgres", "redis"):
        assert "healthcheck" in services[name]
        image, _, tag = services[name]["image"].partition(":")
        assert image == name and tag and tag != "latest"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert "pgdata" in compose()["volumes"]


@pytest.mark.parametrize(
    "variable",
    ["TOUCHPOINT_DATABASE_URL", "TOUCHPOINT_RATELIMIT_STORAGE_URI", "TOUCHPOINT_SECRET_KEY"],
)
def test_compose_reads_settings_from_the_environment(variable):
    environment = compose()["services"]["app"]["environment"]
    assert environment[variable].startswith("${" + variable)
    assert environment["TOUCHPOINT_ENV"] == "production"


def variables_in(text: str) -> set[str]:
    """Return the Touchpoint variables `text` names."""
    return set(re.findall(r"\bTOUCHPOINT_[A-Z][A-Z0-9_]*\b", text))


def test_readme_env_example_and_the_code_name_the_same_variables():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    documented = set().union(*map(variables_in, rows))
    example = variables_in((ROOT / ".env.example").read_text())
    sources = [*(ROOT / "server").rglob("*.py"), ROOT / "docker" / "entrypoint.sh", DOCKERFILE]
    deployment = [ROOT / "docker-compose.yml", ROOT / "docker" / "Caddyfile"]
    read = set().union(*(variables_in(path.read_text()) for path in sources + deployment))
    assert documented == example, "README's table and .env.example differ"
    assert documented == read, "README's table and the variables the code reads differ"


def test_env_example_names_every_setting_and_holds_no_secret():
    example = dict(
        line.split("=", 1)
        for line in (ROOT / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert example["TOUCHPOINT_DATABASE_URL"].startswith("postgresql://")
    assert example["TOUCHPOINT_RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert example["TOUCHPOINT_SECRET_KEY"] == "change-me"
    assert "change-me" in example["POSTGRES_PASSWORD"]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT)
    assert ignored.returncode == 0, ".env must be git-ignored"


def test_dockerfile_builds_in_stages_and_runs_unprivileged():
    text = DOCKERFILE.read_text()
    stages = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    assert len(stages) >= 2
    assert all(re.fullmatch(r"python:[\d.]+-slim(-\w+)?", image) for image in stages)
    user = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)[-1]
    assert user.split(":")[0] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.MULTILINE)
    assert "apt-get install" not in text  # no compilers: every dependency ships wheels


def test_dockerignore_lets_only_the_package_through():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"  # deny everything, then allow by name
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    assert {"server", "widget/dist", "pyproject.toml", "docker/entrypoint.sh"} <= allowed
    assert not allowed & {".env", ".venv", "tests", ".git"}


def test_the_image_context_builds_a_package_with_the_widget_and_migrations(tmp_path):
    # Assemble what .dockerignore lets into the build, as `docker build` would, and build
    # the wheel the image's `pip install .` installs.
    context = tmp_path / "context"
    for rule in (ROOT / ".dockerignore").read_text().splitlines():
        if rule.startswith("!"):
            source = ROOT / rule[1:].rstrip("/")
            target = context / rule[1:].rstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, target)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), "."],
        cwd=context,
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("touchpoint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "server/static/widget.js" in names
    assert "server/migrations/env.py" in names
    assert any(name.startswith("server/migrations/versions/") for name in names)
    assert "server/dashboard/translations/nl/LC_MESSAGES/messages.mo" in names
    assert (
        zipfile.ZipFile(wheel).read("server/static/widget.js")
        == (ROOT / "widget" / "dist" / "widget.js").read_bytes()
    )


@contextmanager
def fresh_postgres_database():
    """Create an empty PostgreSQL database next to the test one; yield its URL; drop it."""
    if not POSTGRES_URL:
        skip_or_fail("the entrypoint test needs TOUCHPOINT_TEST_DATABASE_URL")
    name = f"tp_entry_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_entrypoint_migrates_a_fresh_postgres_database_and_serves():
    if not REDIS_URL:
        skip_or_fail("the entrypoint test needs TOUCHPOINT_TEST_REDIS_URL")
    with fresh_postgres_database() as database_url:
        env = service_environment(
            TOUCHPOINT_ENV="production",
            TOUCHPOINT_SECRET_KEY="entrypoint-test-secret",
            TOUCHPOINT_DATABASE_URL=database_url,
            TOUCHPOINT_RATELIMIT_STORAGE_URI=REDIS_URL,
            TOUCHPOINT_WORKERS="2",
        )
        with LiveServer(image_command(), env) as server:
            server.wait_until_listening(probe="/readyz")
            status, headers, body = server.request("GET", "/readyz")
            assert status == 200
            assert json.loads(body) == {"status": "ready"}
            assert headers["Content-Security-Policy"]
            assert len(server.wait_for_workers(2)) == 2
        with psycopg.connect(database_url) as connection:
            version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            tables = {
                row[0]
                for row in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            }
    heads = ScriptDirectory(str(ROOT / "server" / "migrations")).get_heads()
    assert [row[0] for row in version] == heads
    assert {"sites", "responses", "admin_tokens"} <= tables
