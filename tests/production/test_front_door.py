"""The front door: Caddy's configuration is valid, serves the domain over HTTPS, balances over
every app replica, and hands the app the client's real address whatever the client claims."""

import http.client
import json
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import yaml
from conftest import skip_or_fail
from live_server import ROOT, create_site_in, free_port, gunicorn_server

pytestmark = pytest.mark.production

CADDYFILE = ROOT / "docker" / "Caddyfile"
DOMAIN = "feedback.example.com"
UPSTREAM = "dynamic a app 8000"
SUBMISSION = json.dumps({"metric": "csat", "score": 4, "page": {"url": "https://shop.example/"}})


def caddy() -> str:
    """Return the path of the caddy command, or skip."""
    path = shutil.which("caddy")
    if path is None:
        skip_or_fail("caddy is not installed (apt-get install caddy)")
    return path


def caddy_environment(tmp_path, domain: str) -> dict[str, str]:
    """Return an environment that keeps Caddy's files in `tmp_path` and names `domain`."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TOUCHPOINT_DOMAIN": domain,
    }


def test_caddyfile_is_valid(tmp_path):
    result = subprocess.run(
        [caddy(), "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env=caddy_environment(tmp_path, DOMAIN),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def adapted(tmp_path) -> dict:
    """Return the Caddyfile as the JSON configuration Caddy runs."""
    result = subprocess.run(
        [caddy(), "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        env=caddy_environment(tmp_path, DOMAIN),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_caddy_serves_the_domain_over_https_and_balances_over_every_replica(tmp_path):
    (server,) = adapted(tmp_path)["apps"]["http"]["servers"].values()
    assert server["listen"] == [":443"]
    assert "automatic_https" not in server  # certificates and the HTTP redirect are Caddy's
    (route,) = server["routes"]
    assert route["match"] == [{"host": [DOMAIN]}]
    (proxy,) = [
        handler
        for subroute in route["handle"]
        for inner in subroute["routes"]
        for handler in inner["handle"]
        if handler["handler"] == "reverse_proxy"
    ]
    # Every replica Docker's DNS names `app`, not one fixed address.
    assert proxy["dynamic_upstreams"]["source"] == "a"
    assert (proxy["dynamic_upstreams"]["name"], proxy["dynamic_upstreams"]["port"]) == (
        "app",
        "8000",
    )
    assert "upstreams" not in proxy
    # No proxy before Caddy is trusted: a client's X-Forwarded-For is dropped, not extended.
    assert "trusted_proxies" not in proxy
    assert proxy["flush_interval"] == -1  # exports stream through
    # Slow clients wait on Caddy's timeouts; none on writing, which would cut exports.
    assert (server["read_header_timeout"], server["read_timeout"]) == (10 * 10**9, 30 * 10**9)
    assert "write_timeout" not in server


def test_compose_puts_caddy_in_front_of_an_unpublished_app():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}
    assert published == {"caddy": ["80:80", "443:443", "443:443/udp"]}
    assert services["app"]["expose"] == ["8000"]
    assert services["app"]["environment"]["TOUCHPOINT_TRUSTED_PROXIES"] == "1"
    assert "./docker/Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert services["caddy"]["environment"]["TOUCHPOINT_DOMAIN"].startswith("${TOUCHPOINT_DOMAIN:?")
    image, _, tag = services["caddy"]["image"].partition(":")
    assert image == "caddy" and tag and tag != "latest"


@contextmanager
def caddy_in_front_of(port: int, tmp_path):
    """Run the compose file's Caddyfile on the host in front of 127.0.0.1:`port`; yield its port.

    Only what a host cannot provide is changed: the upstream (no Docker DNS here), the admin
    endpoint (off, so it cannot clash with another Caddy) and the site address (plain HTTP
    on a free port: no certificate for a test).
    """
    text = CADDYFILE.read_text()
    assert UPSTREAM in text
    caddyfile = tmp_path / "Caddyfile"
    upstream = f"dynamic a 127.0.0.1 {port}"
    assert text.count("\n{\n") == 1  # one global options block, to add `admin off` to
    text = text.replace("\n{\n", "\n{\n\tadmin off\n", 1)
    caddyfile.write_text(text.replace(UPSTREAM, upstream))
    front = free_port()
    env = caddy_environment(tmp_path, f"http://127.0.0.1:{front}")
    with open(tmp_path / "caddy.log", "wb") as log:
        process = subprocess.Popen(
            [caddy(), "run", "--adapter", "caddyfile", "--config", str(caddyfile)],
            env=env,
            stdout=log,
            stderr=log,
        )
    try:
        wait_until_proxying(front, process, tmp_path)
        yield front
    finally:
        process.terminate()
        process.wait(20)


def wait_until_proxying(port: int, process, tmp_path) -> None:
    """Wait until Caddy passes /healthz on to the app."""
    deadline = time.monotonic() + 30
    while True:
        try:
            if request_from("127.0.0.1", port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError((tmp_path / "caddy.log").read_text())
        time.sleep(0.1)


def request_from(address: str, port: int, method: str, path: str, body=None, headers=None):
    """Send one request from local `address` to Caddy; return its status and body."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(address, 0)
    )
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_app_sees_the_client_address_whatever_the_client_claims(tmp_path):
    # The limit counts per client address: two submissions a minute. A client that could
    # choose its address would pass it by claiming a new one each time.
    database_url = f"sqlite:///{tmp_path / 'touchpoint.db'}"
    key = create_site_in(database_url, create_schema=True)
    app = gunicorn_server(
        TOUCHPOINT_DATABASE_URL=database_url,
        TOUCHPOINT_TRUSTED_PROXIES="1",
        TOUCHPOINT_RATELIMIT="2/minute",
        TOUCHPOINT_WORKERS="1",
    )
    with app, caddy_in_front_of(app.wait_until_listening().port, tmp_path) as front:
        path = f"/api/v1/sites/{key}/responses"

        def submit(address: str, claimed: str) -> int:
            headers = {"Content-Type": "text/plain", "X-Forwarded-For": claimed}
            return request_from(address, front, "POST", path, SUBMISSION, headers)[0]

        forged = [submit("127.0.0.2", f"203.0.113.{n}") for n in range(1, 4)]
        # Another client is counted apart, even when it claims the limited one's address;
        # Caddy itself (127.0.0.1) is neither of them.
        other = submit("127.0.0.3", "127.0.0.2")
    assert forged == [201, 201, 429]
    assert other == 201


def test_slow_clients_are_held_by_caddy_not_by_the_app(tmp_path):
    # More clients sending their headers slowly than the app has threads, and an app that
    # would wait for them five minutes: Caddy passes no request on before its headers are
    # in, so /healthz still answers through it.
    app = gunicorn_server(
        TOUCHPOINT_DATABASE_URL=f"sqlite:///{tmp_path / 'touchpoint.db'}",
        TOUCHPOINT_TRUSTED_PROXIES="1",
        TOUCHPOINT_WORKERS="1",
        TOUCHPOINT_THREADS="2",
        TOUCHPOINT_READ_TIMEOUT="300",
    )
    with app, caddy_in_front_of(app.wait_until_listening().port, tmp_path) as front:
        slow = [socket.create_connection(("127.0.0.1", front)) for _ in range(6)]
        try:
            for connection in slow:
                connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            time.sleep(0.5)
            status = request_from("127.0.0.1", front, "GET", "/healthz")[0]
        finally:
            for connection in slow:
                connection.close()
    assert status == 200
