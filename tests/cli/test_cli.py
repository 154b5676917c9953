"""The `touchpoint` command line: sites, tokens, export, demo, quickstart, serve and db upgrade."""

import json
import logging
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server import create_app
from server.auth.tokens import find_token
from server.cli.serve import gunicorn_argv
from server.demo.seed import DEMO_SITE_NAME
from server.extensions import db
from server.models import AdminToken, Response, Site

SITE_KEYS = {
    "key",
    "name",
    "allowed_origins",
    "phase_rules",
    "collect_email",
    "keep_query_params",
    "enabled",
    "timezone",
    "widget",
    "snippet",
    "snippet_url_source",
    "created_at",
    "updated_at",
}
CREATED_TOKEN_KEYS = {"id", "name", "token", "site", "read_only", "created_at"}
LISTED_TOKEN_KEYS = {"id", "name", "site", "read_only", "created_at", "revoked_at"}
TOUCHPOINT = Path(sys.executable).with_name("touchpoint")


def invoke_json(runner, *args) -> dict:
    """Run a command with --json, demand success and return the one JSON object it prints."""
    result = runner.invoke(args=[*args, "--json"])
    assert result.exit_code == 0, result.output
    # A note about a guessed URL goes to standard error, never into the JSON.
    return json.loads(result.stdout)


def assert_clean_failure(result, code: int, *phrases: str) -> None:
    """Check a command failed with `code`, said each phrase and printed no traceback."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    for phrase in phrases:
        assert phrase in result.output


def add_response(site, **values):
    """Store one response for `site` through the ORM."""
    values.setdefault("metric", "csat")
    values.setdefault("score", 4)
    values.setdefault("page_url", "https://shop.example/checkout")
    values.setdefault("page_path", "/checkout")
    db.session.add(Response(site=site, **values))
    db.session.commit()


# sites


def test_sites_create_prints_key_and_snippet(runner):
    result = runner.invoke(
        args=[
            "sites", "create", "--name", "Shop", "--origin", "https://shop.example/",
            "--origin", "http://LOCALHOST:8080", "--origin", "HTTPS://shop.example:443",
            "--origin", "http://[::1]:8000", "--phase-rule", "/checkout*=conversion",
            "--phase-rule", "/blog*=awareness", "--collect-email",
        ]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    site = db.session.scalar(select(Site))
    assert site.allowed_origins == [
        "https://shop.example",
        "http://localhost:8080",
        "http://[::1]:8000",
    ]
    assert site.phase_rules == [
        {"match": "/checkout*", "phase": "conversion"},
        {"match": "/blog*", "phase": "awareness"},
    ]
    assert site.collect_email is True
    assert site.key in result.output
    assert f'<script src="http://127.0.0.1:8000/w/{site.key}.js" defer></script>' in result.stdout
    assert "Note: snippets point at http://127.0.0.1:8000, a guess" in result.stderr


def test_sites_create_json_is_the_site_document(runner):
    document = invoke_json(
        runner, "sites", "create", "--name", "Shop", "--origin", "*",
        "--url", "https://feedback.example",
    )  # fmt: skip
    assert set(document) == SITE_KEYS
    assert document["key"].startswith("pk_")
    assert document["allowed_origins"] == ["*"]
    assert document["phase_rules"] == []
    assert document["collect_email"] is False
    assert document["snippet"] == (
        f'<script src="https://feedback.example/w/{document["key"]}.js" defer></script>'
    )
    assert document["snippet_url_source"] == "configured"
    assert document["created_at"].endswith("Z")


@pytest.mark.parametrize(
    "rule",
    ["checkout*=conversion", "/checkout*", "/checkout*=purchase", "=conversion", "/x=Conversion"],
)
def test_sites_create_refuses_a_bad_phase_rule(runner, rule):
    result = runner.invoke(
        args=["sites", "create", "--name", "Shop", "--origin", "*", "--phase-rule", rule]
    )
    assert_clean_failure(result, 2, "--phase-rule")
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0


@pytest.mark.parametrize(
    "origin",
    ["shop.example", "ftp://shop.example", "https://shop.example/path", "https://shop.example?q",
     "https://user@shop.example", "https://shop.example:99999", "https://"],
)  # fmt: skip
def test_sites_create_refuses_a_bad_origin(runner, origin):
    result = runner.invoke(args=["sites", "create", "--name", "Shop", "--origin", origin])
    assert_clean_failure(result, 2, "--origin")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--name", "Shop"], "--origin"),
        (["--origin", "*"], "--name"),
        (["--name", "  ", "--origin", "*"], "--name"),
        (["--name", "Shop", "--origin", "*", "--origin", "https://a.example"], "--origin"),
    ],
)
def test_sites_create_refuses_missing_or_bad_options(runner, args, option):
    result = runner.invoke(args=["sites", "create", *args])
    assert_clean_failure(result, 2, option)


def test_sites_list(runner, make_site):
    first = make_site(name="Shop")
    second = make_site(name="Blog", allowed_origins=["https://blog.example"], enabled=False)
    add_response(first)
    document = invoke_json(runner, "sites", "list")
    assert list(document) == ["sites"]
    assert [site["key"] for site in document["sites"]] == [first.key, second.key]
    assert all(set(site) == SITE_KEYS for site in document["sites"])

    text = runner.invoke(args=["sites", "list"]).output
    assert f"{first.key}  Shop  (1 response)" in text
    assert f"{second.key}  Blog  (0 responses, disabled)  https://blog.example" in text


def test_sites_list_when_empty(runner):
    assert invoke_json(runner, "sites", "list") == {"sites": []}
    assert "No sites yet" in runner.invoke(args=["sites", "list"]).output


# tokens


@pytest.mark.parametrize("read_only", [False, True])
def test_tokens_create_prints_a_working_secret(runner, read_only):
    args = ["tokens", "create", "--name", "ops"] + (["--read-only"] if read_only else [])
    document = invoke_json(runner, *args)
    assert set(document) == CREATED_TOKEN_KEYS
    assert document["site"] is None
    assert document["read_only"] is read_only
    token = find_token(document["token"])
    assert token is not None
    assert (token.id, token.name, token.read_only) == (document["id"], "ops", read_only)


def test_tokens_create_for_one_site(runner, site):
    document = invoke_json(runner, "tokens", "create", "--name", "shop", "--site", site.key)
    assert document["site"] == site.key
    assert find_token(document["token"]).site_id == site.id


def test_tokens_create_text_shows_the_secret_once(runner):
    result = runner.invoke(args=["tokens", "create", "--name", "ops"])
    assert result.exit_code == 0
    secret = re.search(r"tp_[A-Za-z0-9_-]{32,}", result.output).group(0)
    assert find_token(secret) is not None
    assert secret not in runner.invoke(args=["tokens", "list"]).output


def test_tokens_create_for_an_unknown_site_fails(runner):
    result = runner.invoke(args=["tokens", "create", "--name", "x", "--site", "pk_nothere"])
    assert_clean_failure(result, 1, "pk_nothere")
    assert db.session.scalar(select(func.count()).select_from(AdminToken)) == 0


def test_tokens_list_never_shows_secrets(runner, site):
    created = invoke_json(runner, "tokens", "create", "--name", "a")
    invoke_json(runner, "tokens", "create", "--name", "b", "--site", site.key, "--read-only")
    document = invoke_json(runner, "tokens", "list")
    assert list(document) == ["tokens"]
    assert [token["name"] for token in document["tokens"]] == ["a", "b"]
    assert all(set(token) == LISTED_TOKEN_KEYS for token in document["tokens"])
    assert created["token"] not in json.dumps(document)
    assert document["tokens"][1]["site"] == site.key
    assert document["tokens"][1]["read_only"] is True


def test_tokens_revoke_stops_the_token(runner):
    created = invoke_json(runner, "tokens", "create", "--name", "ops")
    kept = invoke_json(runner, "tokens", "create", "--name", "kept")
    revoked = invoke_json(runner, "tokens", "revoke", str(created["id"]))
    assert revoked["id"] == created["id"]
    assert revoked["revoked_at"].endswith("Z")
    assert find_token(created["token"]) is None
    assert find_token(kept["token"]) is not None
    listed = invoke_json(runner, "tokens", "list")["tokens"]
    assert [token["revoked_at"] is None for token in listed] == [False, True]


@pytest.mark.parametrize(("token_id", "code"), [("999", 1), ("abc", 2)])
def test_tokens_revoke_an_unknown_token_fails(runner, token_id, code):
    assert_clean_failure(runner.invoke(args=["tokens", "revoke", token_id]), code, token_id)


# export


def test_export_writes_the_filtered_rows(runner, site):
    add_response(site, metric="csat", score=5, comment="Fijn!")
    add_response(site, metric="nps", score=9)
    result = runner.invoke(
        args=["export", "--site", site.key, "--format", "ndjson", "--metric", "csat"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(row["metric"], row["score"], row["comment"]) for row in rows] == [("csat", 5, "Fijn!")]

    csv_result = runner.invoke(args=["export", "--site", site.key])
    assert csv_result.exit_code == 0, csv_result.output
    lines = csv_result.output.splitlines()
    assert lines[0].startswith("id,received_at,site_key,metric,score")
    assert len(lines) == 3


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--from", "yesterday"], "--from"),
        (["--to", "2026-13-01"], "--to"),
        (["--from", "2026-02-01", "--to", "2026-01-01"], "--from"),
        (["--metric", "stars"], "--metric"),
        (["--phase", "purchase"], "--phase"),
    ],
)
def test_export_refuses_bad_filters(runner, site, args, option):
    result = runner.invoke(args=["export", "--site", site.key, *args])
    assert_clean_failure(result, 2, option)


def test_export_of_an_unknown_site_fails(runner):
    assert_clean_failure(runner.invoke(args=["export", "--site", "pk_nope"]), 1, "pk_nope")


# demo and quickstart


def test_demo_creates_the_site_once(runner):
    first = invoke_json(runner, "demo")
    assert first["created"] is True
    assert first["responses"] == 3000
    assert set(first["site"]) == SITE_KEYS
    assert first["site"]["name"] == DEMO_SITE_NAME

    again = invoke_json(runner, "demo")
    assert again["created"] is False
    assert again["site"]["key"] == first["site"]["key"]
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
    assert db.session.scalar(select(func.count()).select_from(Response)) == 3000
    assert "Kept the existing" in runner.invoke(args=["demo"]).output


def test_demo_reset_recreates_the_site(runner):
    first = invoke_json(runner, "demo")
    scoped = invoke_json(runner, "tokens", "create", "--name", "d", "--site", first["site"]["key"])
    reset = invoke_json(runner, "demo", "--reset")
    assert find_token(scoped["token"]) is None
    assert reset["created"] is True
    assert reset["site"]["key"] != first["site"]["key"]
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
    assert db.session.scalar(select(func.count()).select_from(Response)) == 3000


def test_quickstart_prints_a_working_token_and_the_demo(runner):
    document = invoke_json(runner, "quickstart", "--url", "http://127.0.0.1:8051/")
    assert set(document) == {"site", "token", "urls"}
    assert document["site"]["name"] == DEMO_SITE_NAME
    assert "http://127.0.0.1:8051" in document["site"]["allowed_origins"]
    assert document["site"]["snippet"].startswith('<script src="http://127.0.0.1:8051/w/pk_')
    assert document["site"]["snippet_url_source"] == "configured"
    assert document["urls"] == {
        "dashboard": "http://127.0.0.1:8051/admin/",
        "demo": "http://127.0.0.1:8051/demo/",
        "api": "http://127.0.0.1:8051/api/v1/",
        "openapi": "http://127.0.0.1:8051/api/v1/openapi.json",
    }
    token = find_token(document["token"]["token"])
    assert token is not None
    assert (token.site_id, token.read_only) == (None, False)

    text = runner.invoke(args=["quickstart", "--url", "http://127.0.0.1:8051"]).output
    secret = re.search(r"Admin token\s+(tp_\S+)", text).group(1)
    assert find_token(secret) is not None
    assert document["site"]["key"] in text
    assert "http://127.0.0.1:8051/admin/" in text
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
    assert db.session.scalar(select(func.count()).select_from(AdminToken)) == 2
    site = db.session.scalar(select(Site))
    assert site.allowed_origins.count("http://127.0.0.1:8051") == 1


def test_quickstart_again_revokes_its_last_token_and_no_other(runner):
    first = invoke_json(runner, "quickstart")["token"]["token"]
    others = [
        invoke_json(runner, "tokens", "create", "--name", "mine")["token"],
        invoke_json(runner, "tokens", "create", "--name", "quickstart", "--read-only")["token"],
    ]
    text = runner.invoke(args=["quickstart"]).output
    second = re.search(r"Admin token\s+(tp_\S+)", text).group(1)
    assert "no longer works" in text
    assert find_token(first) is None
    assert find_token(second) is not None
    assert all(find_token(other) is not None for other in others)

    third = invoke_json(runner, "quickstart")["token"]["token"]
    assert find_token(second) is None
    live = db.session.scalars(select(AdminToken).where(AdminToken.revoked_at.is_(None))).all()
    assert sorted(token.name for token in live) == ["mine", "quickstart", "quickstart"]
    assert find_token(third).read_only is False


#: --url values snippets cannot use: no scheme, not http(s), a query or fragment, no host.
BAD_URLS = [
    "localhost:8000",
    "x.example",
    "ftp://127.0.0.1",
    "http://",
    "https://x.example/?q=1",
    "https://x.example/#f",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_sites_create_refuses_a_bad_url(runner, url):
    result = runner.invoke(
        args=["sites", "create", "--name", "Shop", "--origin", "*", "--url", url]
    )
    assert_clean_failure(result, 2, "--url")
    assert db.session.scalar(select(func.count()).where(Site.name == "Shop")) == 0


def test_a_url_with_a_path_prefix_is_kept(runner):
    document = invoke_json(
        runner, "sites", "create", "--name", "Shop", "--origin", "*",
        "--url", "https://x.example/feedback/",
    )  # fmt: skip
    assert document["snippet"].startswith('<script src="https://x.example/feedback/w/pk_')


@pytest.mark.parametrize("url", BAD_URLS)
def test_quickstart_refuses_a_bad_url(runner, url):
    assert_clean_failure(runner.invoke(args=["quickstart", "--url", url]), 2, "--url")
    assert db.session.scalar(select(func.count()).select_from(AdminToken)) == 0


# database set-up and errors


@pytest.fixture
def file_app(tmp_path):
    """Return an app on a SQLite file in a folder that does not exist yet, without tables."""
    path = tmp_path / "instance" / "nested" / "touchpoint.db"
    application = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    application.config["database_path"] = path
    yield application
    with application.app_context():
        db.engine.dispose()


def test_db_upgrade_creates_the_folder_the_file_and_the_tables(file_app):
    path = file_app.config["database_path"]
    assert path.parent.is_dir()
    app_logger = logging.getLogger("server.errors")
    result = file_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    # Alembic's logging set-up must not silence the app's loggers in the same process.
    assert not app_logger.disabled
    with sqlite3.connect(path) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"sites", "responses", "admin_tokens", "alembic_version"} <= tables


def test_commands_before_db_upgrade_say_what_to_do(file_app):
    result = file_app.test_cli_runner().invoke(args=["sites", "list"])
    assert_clean_failure(result, 1, "touchpoint db upgrade")


def test_commands_without_a_database_say_so(tmp_path):
    application = create_app(
        {
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        }
    )
    result = application.test_cli_runner().invoke(args=["tokens", "list"])
    assert_clean_failure(result, 1, "Cannot reach the database")
    assert "nobody@127.0.0.1:1/none" in result.output


# serve


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({}, []),
        ({"port": 8051}, ["--bind", "127.0.0.1:8051"]),
        ({"host": "0.0.0.0"}, ["--bind", "0.0.0.0:8000"]),
        ({"host": "::1", "port": 0}, ["--bind", "[::1]:0"]),
        ({"workers": 4}, ["--workers", "4"]),
        ({"host": "10.0.0.5", "port": 9000, "workers": 1},
         ["--bind", "10.0.0.5:9000", "--workers", "1"]),
    ],
)  # fmt: skip
def test_gunicorn_argv(options, expected):
    prefix = [sys.executable, "-m", "gunicorn", "--config", "python:server.gunicorn_conf"]
    assert gunicorn_argv(**options) == [*prefix, *expected, "server.wsgi:app"]


@pytest.mark.parametrize(
    ("args", "option"), [(["--port", "70000"], "--port"), (["--workers", "0"], "--workers")]
)
def test_serve_refuses_bad_options(runner, args, option):
    assert_clean_failure(runner.invoke(args=["serve", *args]), 2, option)


def read_lines(stream, lines: queue.Queue) -> None:
    """Copy a child's output lines into a queue until it closes."""
    for line in stream:
        lines.put(line)


def test_serve_runs_gunicorn_in_its_own_process(tmp_path):
    if not TOUCHPOINT.exists():
        pytest.fail(f"the touchpoint command is not installed next to {sys.executable}")
    env = {
        **os.environ,
        "TOUCHPOINT_DATABASE_URL": f"sqlite:///{tmp_path / 'touchpoint.db'}",
        "TOUCHPOINT_SECRET_KEY": "serve-test",
        "TOUCHPOINT_ENV": "production",
    }
    upgrade = subprocess.run(
        [TOUCHPOINT, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert upgrade.returncode == 0, upgrade.stderr
    with subprocess.Popen(
        [TOUCHPOINT, "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        lines: queue.Queue = queue.Queue()
        reader = threading.Thread(target=read_lines, args=(server.stderr, lines), daemon=True)
        reader.start()
        try:
            listening = None
            while listening is None:
                line = lines.get(timeout=90)
                listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+) \((\d+)\)", line)
            base_url, master_pid = listening.group(1), int(listening.group(2))
            # The command replaced itself with gunicorn, so signals sent to it reach gunicorn.
            assert master_pid == server.pid
            for path in ("/healthz", "/readyz"):
                with urllib.request.urlopen(base_url + path, timeout=10) as answer:
                    assert answer.status == 200
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0
            reader.join(timeout=10)


def listening_url(server: subprocess.Popen) -> tuple[str, threading.Thread]:
    """Return the URL a starting `touchpoint serve` listens on and the thread reading its log."""
    lines: queue.Queue = queue.Queue()
    reader = threading.Thread(target=read_lines, args=(server.stderr, lines), daemon=True)
    reader.start()
    listening = None
    while listening is None:
        listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", lines.get(timeout=90))
    return listening.group(1), reader


def run_json(env: dict, *args: str) -> tuple[dict, str]:
    """Run a `touchpoint` command with --json; return its JSON object and standard error."""
    done = subprocess.run(
        [TOUCHPOINT, *args, "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_cli_snippets_point_at_the_running_server(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "TOUCHPOINT_PUBLIC_URL"} | {
        "TOUCHPOINT_DATABASE_URL": f"sqlite:///{tmp_path / 'touchpoint.db'}",
        "TOUCHPOINT_SECRET_KEY": "serve-test",
    }
    upgrade = subprocess.run(
        [TOUCHPOINT, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert upgrade.returncode == 0, upgrade.stderr
    serve = [TOUCHPOINT, "serve", "--host", "127.0.0.1", "--port", "0", "--workers", "1"]
    with subprocess.Popen(
        serve, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as server:
        try:
            base_url, reader = listening_url(server)
            created, note = run_json(env, "sites", "create", "--name", "Shop", "--origin", "*")
            key = created["key"]
            assert created["snippet"] == f'<script src="{base_url}/w/{key}.js" defer></script>'
            assert created["snippet_url_source"] == "running_server"
            assert f"snippets point at {base_url}, where `touchpoint serve` runs now" in note
            # Another database is another server's business: its snippets do not name this one.
            other = {**env, "TOUCHPOINT_DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"}
            upgrade = subprocess.run([TOUCHPOINT, "db", "upgrade"], env=other, timeout=120)
            assert upgrade.returncode == 0
            elsewhere, note = run_json(other, "sites", "create", "--name", "B", "--origin", "*")
            assert elsewhere["snippet_url_source"] == "default"
            assert "http://127.0.0.1:8000/w/" in elsewhere["snippet"]
            assert "a guess" in note
        finally:
            server.send_signal(signal.SIGTERM)
            assert server.wait(timeout=30) == 0
        reader.join(timeout=10)
    # The server withdrew its URL on the way out.
    listed, note = run_json(env, "sites", "list")
    assert listed["sites"][0]["snippet_url_source"] == "default"
    assert "a guess" in note


def test_sites_create_sets_the_reporting_time_zone(runner):
    document = invoke_json(
        runner, "sites", "create", "--name", "Shop", "--origin", "*", "--timezone", "Asia/Kolkata"
    )
    assert document["timezone"] == "Asia/Kolkata"
    assert db.session.scalar(select(Site.timezone)) == "Asia/Kolkata"
    assert (
        invoke_json(runner, "sites", "create", "--name", "B", "--origin", "*")["timezone"] == "UTC"
    )


def test_sites_create_refuses_an_unknown_time_zone(runner):
    result = runner.invoke(
        args=["sites", "create", "--name", "Shop", "--origin", "*", "--timezone", "Mars/Base"]
    )
    assert_clean_failure(result, 2, "--timezone")
    assert db.session.scalar(select(func.count()).select_from(Site)) == 0
