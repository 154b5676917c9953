"""The gunicorn configuration: long streams survive the timeout, bad settings stop it clearly."""

import http.client
import json
import socket
import subprocess
import sys

import pytest
from live_server import ROOT, gunicorn_server, service_environment

pytestmark = pytest.mark.production


def stream_lines(port: int) -> list[bytes]:
    """Read the slow stream until it ends or the server cuts it; return the lines received."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/")
    response = connection.getresponse()
    lines = []
    try:
        while line := response.readline():
            lines.append(line)
    except (http.client.HTTPException, OSError):
        pass  # the server cut the stream: keep what arrived
    finally:
        connection.close()
    return lines


@pytest.mark.parametrize(
    ("worker_class", "completes"),
    [("gthread", True), ("sync", False)],
    ids=["gthread-configured-survives", "sync-would-be-cut"],
)
def test_stream_longer_than_the_worker_timeout(worker_class, completes):
    # 10 chunks x 0.5 s: a 5 s response under a 2 s timeout. The sync case shows the
    # timeout is real, so the configured worker class is what keeps the export whole.
    # (gunicorn turns a sync worker with several threads into gthread, hence one thread.)
    server = gunicorn_server(
        "slow_stream_app:app",
        "--pythonpath",
        str(ROOT / "tests"),
        "--worker-class",
        worker_class,
        TOUCHPOINT_WORKERS="1",
        TOUCHPOINT_THREADS="1" if worker_class == "sync" else "4",
        TOUCHPOINT_WORKER_TIMEOUT="2",
    )
    with server:
        server.wait_until_listening(probe=None)
        lines = stream_lines(server.port)
        server.stop()
        assert f"Using worker: {worker_class}" in server.stderr()
        assert ("WORKER TIMEOUT" in server.stderr()) is not completes
    assert (lines == [f"{n}\n".encode() for n in range(10)]) is completes


def test_configuration_uses_gthread_and_preloads():
    from server import gunicorn_conf

    assert gunicorn_conf.worker_class == "gthread"
    assert gunicorn_conf.preload_app is True
    assert gunicorn_conf.logger_class == "server.logs.GunicornJsonLogger"


@pytest.mark.parametrize(("proxies", "allowed"), [("0", ""), ("", ""), ("1", "*"), ("2", "*")])
def test_forwarded_allow_ips_follows_trusted_proxies(proxies, allowed):
    code = "from server import gunicorn_conf; print(repr(gunicorn_conf.forwarded_allow_ips))"
    env = service_environment(TOUCHPOINT_TRUSTED_PROXIES=proxies)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == repr(allowed)


@pytest.mark.parametrize(
    ("storage", "one_per_core"),
    [("", False), ("memory://", False), ("redis://127.0.0.1:6379/0", True)],
)
def test_default_workers_follow_the_rate_limit_storage(storage, one_per_core):
    code = "from server import gunicorn_conf as c; print(c.workers, c.usable_cores())"
    env = service_environment(TOUCHPOINT_RATELIMIT_STORAGE_URI=storage)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    workers, cores = map(int, result.stdout.split())
    assert workers == (cores if one_per_core else 1)


def production_without_secret() -> dict[str, str]:
    return service_environment(
        TOUCHPOINT_ENV="production", TOUCHPOINT_DATABASE_URL="sqlite:///:memory:"
    )


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_conf", "server.wsgi:app"],
        [sys.executable, "-c", "from server.cli import main; main()", "db", "upgrade"],
    ],
    ids=["gunicorn", "cli"],
)
def test_production_without_secret_key_refuses_to_start_with_one_clear_line(command):
    result = subprocess.run(
        command, cwd=ROOT, env=production_without_secret(), capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "TOUCHPOINT_SECRET_KEY must be set" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Booting worker" not in result.stderr


def test_access_log_is_json_without_query_or_secrets():
    with gunicorn_server(
        TOUCHPOINT_WORKERS="1", TOUCHPOINT_DATABASE_URL="sqlite:///:memory:"
    ) as server:
        server.wait_until_listening()
        status, headers, _ = server.request(
            "GET",
            "/healthz?token=tp_query_secret",
            headers={"Authorization": "Bearer tp_header_secret", "X-Request-ID": "probe-42"},
        )
        assert status == 200
        assert headers["X-Request-ID"] == "probe-42"
        assert server.stop() == 0
        stdout = server.stdout()
    entries = [json.loads(line) for line in stdout.splitlines()]
    probe = [entry for entry in entries if entry.get("request_id") == "probe-42"]
    assert len(probe) == 1
    assert probe[0]["path"] == "/healthz"
    assert probe[0]["status"] == 200
    assert probe[0]["method"] == "GET"
    assert isinstance(probe[0]["duration_ms"], float)
    assert "tp_query_secret" not in stdout
    assert "tp_header_secret" not in stdout


def test_every_gunicorn_log_line_is_json():
    with gunicorn_server(
        TOUCHPOINT_WORKERS="1", TOUCHPOINT_DATABASE_URL="sqlite:///:memory:"
    ) as server:
        server.wait_until_listening()
        server.stop()
        stderr = server.stderr()
    lines = stderr.splitlines()
    assert lines
    assert all(json.loads(line)["level"] for line in lines)
    assert any(json.loads(line)["message"].startswith("Listening at") for line in lines)


def raw_exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send `request` as it is; return the answer's status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


REFUSED_BY_GUNICORN = {
    "request line over the limit": (
        b"GET /api/v1/sites/" + b"a" * 5000 + b"/config HTTP/1.1\r\nHost: x\r\n\r\n",
        414,
    ),
    "header over the limit": (
        b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n",
        431,
    ),
    "too many headers": (
        b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
        + b"".join(b"X-H%d: 1\r\n" % n for n in range(150))
        + b"\r\n",
        431,
    ),
    "malformed request line": (b"GET /api/v1/ HTTP/1.1 extra\r\nHost: x\r\n\r\n", 400),
}


def test_requests_gunicorn_refuses_get_the_json_error_shape():
    with gunicorn_server(
        TOUCHPOINT_WORKERS="1", TOUCHPOINT_DATABASE_URL="sqlite:///:memory:"
    ) as server:
        server.wait_until_listening()
        answers = {
            name: raw_exchange(server.port, request)
            for name, (request, _) in REFUSED_BY_GUNICORN.items()
        }
    for name, (_, expected) in REFUSED_BY_GUNICORN.items():
        status, headers, body = answers[name]
        assert status == expected, name
        assert headers["content-type"] == "application/json", name
        error = json.loads(body)
        assert error["code"] == expected
        assert error["status"] and error["message"]
        assert b"<html" not in body
