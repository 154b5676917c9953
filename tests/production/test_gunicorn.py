"""The gunicorn configuration: long streams survive the timeout, bad settings stop it clearly."""

import http.client
import json
import socket
import subprocess
import sys
import time

import pytest
from live_server import ROOT, create_site_in, gunicorn_server, service_environment

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

    assert gunicorn_conf.worker_class == "server.gunicorn_worker.ThreadWorker"
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
    # gunicorn's own answer is 501 Not Implemented; SPEC allows no 5xx but 503.
    "unknown transfer coding": (
        b"POST /api/v1/sites/pk_x/responses HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: bogus\r\n\r\n",
        400,
    ),
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


#: Bodies gunicorn cannot finish reading while the app reads them.
UNREADABLE_BODIES = {
    "malformed chunk size": b"Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    "cut short": b"Content-Length: 1000\r\n\r\nabc",
}


@pytest.mark.parametrize("body", UNREADABLE_BODIES)
@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/api/v1/sites/{key}/responses", "text/plain"),
        ("/admin/sign-in", "application/x-www-form-urlencoded"),
    ],
    ids=["ingest", "dashboard form"],
)
def test_a_body_that_cannot_be_read_is_400(tmp_path, body, path, kind):
    database_url = f"sqlite:///{tmp_path / 'touchpoint.db'}"
    key = create_site_in(database_url, create_schema=True)
    with gunicorn_server(TOUCHPOINT_WORKERS="1", TOUCHPOINT_DATABASE_URL=database_url) as server:
        server.wait_until_listening()
        head = f"POST {path.format(key=key)} HTTP/1.1\r\nHost: x\r\nContent-Type: {kind}\r\n"
        with socket.create_connection(("127.0.0.1", server.port), timeout=20) as connection:
            connection.sendall(head.encode() + UNREADABLE_BODIES[body])
            connection.shutdown(socket.SHUT_WR)  # a client that stops sending
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 "), answer[:300]


#: Requests a client starts and never finishes: half its headers, 3 bytes of 1000 promised.
STALLED_REQUESTS = [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
    b"POST /admin/sign-in HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\nabc",
]


def test_stalled_clients_do_not_hold_the_threads():
    # More stalled clients than the server has threads: without a read timeout each holds a
    # thread as long as it keeps its connection open, and /healthz waits for ever.
    with gunicorn_server(
        TOUCHPOINT_WORKERS="1",
        TOUCHPOINT_THREADS="2",
        TOUCHPOINT_READ_TIMEOUT="1",
        TOUCHPOINT_DATABASE_URL="sqlite:///:memory:",
    ) as server:
        server.wait_until_listening()
        stalled = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
        try:
            for n, connection in enumerate(stalled):
                connection.sendall(STALLED_REQUESTS[n % 2])
            time.sleep(0.5)  # let every stalled request take a thread
            # Orders of magnitude above the 1 s read timeout, far below "never".
            health = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
            health.request("GET", "/healthz")
            assert health.getresponse().status == 200
            health.close()
            # The stalled body got its 400; the stalled headers were dropped unanswered.
            answers = [read_until_closed(connection) for connection in stalled]
        finally:
            for connection in stalled:
                connection.close()
    assert [answer[:13] for answer in answers] == [b"", b"HTTP/1.1 400 "] * 2


def read_until_closed(connection: socket.socket) -> bytes:
    """Read what the server sends until it closes the connection."""
    connection.settimeout(20)
    answer = b""
    while chunk := connection.recv(65536):
        answer += chunk
    return answer
