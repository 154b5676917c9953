"""Run Touchpoint (or another WSGI app) under gunicorn on an ephemeral 127.0.0.1 port."""

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:server.gunicorn_conf"]
DOCKERFILE = ROOT / "Dockerfile"
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def service_environment(**variables: str) -> dict[str, str]:
    """Return the environment of a child server: ours, minus Touchpoint's, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOUCHPOINT_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["TOUCHPOINT_BIND"] = "127.0.0.1:0"
    env.update(variables)
    return env


class LiveServer:
    """A gunicorn master and its workers, started by `command`, stopped on exit."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.command = command
        self.env = env
        self.logs = tempfile.TemporaryDirectory(prefix="tp-live-")
        self.stdout_path = Path(self.logs.name) / "stdout"
        self.stderr_path = Path(self.logs.name) / "stderr"
        self.process: subprocess.Popen | None = None
        self.port: int | None = None

    def __enter__(self) -> "LiveServer":
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=err
            )
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self.logs.cleanup()

    def wait_until_listening(self, timeout: float = 60, probe: str | None = "/healthz"):
        """Wait for the master to bind and a worker to answer `probe` with 200; return self."""
        deadline = time.monotonic() + timeout
        while self.port is None:
            match = LISTENING.search(self.stderr())
            if match:
                self.port = int(match.group(1))
            elif self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.stderr()}")
            else:
                time.sleep(0.1)
        while not self.worker_pids() or (probe and self.request("GET", probe)[0] != 200):
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not serve:\n{self.stderr()}")
            time.sleep(0.1)
        return self

    def stop(self, timeout: float = 20) -> int | None:
        """Stop the master gracefully (SIGTERM); return its exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def worker_pids(self) -> list[int]:
        """Return the pids of the master's live worker processes."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces; the fields after its closing paren do not.
            fields = stat[stat.rindex(")") + 2 :].split()
            if fields[0] != "Z" and int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def wait_for_workers(self, count: int, timeout: float = 15) -> list[int]:
        """Return the live workers' pids once there are `count` (gunicorn forks them in turn)."""
        deadline = time.monotonic() + timeout
        while len(pids := self.worker_pids()) != count and time.monotonic() < deadline:
            time.sleep(0.1)
        return pids

    def wait_for_log(self, stream: str, condition, timeout: float = 10) -> list[str]:
        """Return the complete lines of `stream` ("stdout"/"stderr") once `condition(lines)` holds.

        Gunicorn writes a log line after the response has gone, so a client that has its
        answer may not see the line yet. On timeout the lines so far are returned.
        """
        deadline = time.monotonic() + timeout
        while True:
            # The last piece is a line still being written (or empty after the final newline).
            lines = getattr(self, stream)().split("\n")[:-1]
            if condition(lines) or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def stdout(self) -> str:
        """Return everything the server wrote to standard output (the access log)."""
        return self.stdout_path.read_text(errors="replace")

    def stderr(self) -> str:
        """Return everything the server wrote to standard error."""
        return self.stderr_path.read_text(errors="replace")

    def request(
        self, method: str, path: str, body=None, headers: dict | None = None, timeout: float = 10
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request on a fresh connection; return status, headers and body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if body is not None and not isinstance(body, bytes | str):
                body = json.dumps(body)
                headers = {"Content-Type": "application/json", **(headers or {})}
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()


def create_site_in(database_url: str, create_schema: bool = False) -> str:
    """Create a site in the database at `database_url` (and its tables if asked); return its key."""
    from server import create_app
    from server.extensions import db
    from server.sites.manage import create_site

    uri = database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    app = create_app({"SECRET_KEY": "live-server-test", "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        if create_schema:
            db.create_all()
        key = create_site(name="Shop", allowed_origins=["https://shop.example"]).key
        db.session.remove()
        db.engine.dispose()
    return key


def gunicorn_server(app: str = "server.wsgi:app", *args: str, **env: str) -> LiveServer:
    """Return a LiveServer running `app` under the project's gunicorn configuration."""
    return LiveServer([*GUNICORN, *args, app], service_environment(**env))


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dockerfile_instruction(name: str) -> list[str]:
    """Return the JSON (exec form) arguments of the Dockerfile's last `name` instruction."""
    found = re.findall(rf"^{name}\s+(\[.*\])\s*$", DOCKERFILE.read_text(), re.MULTILINE)
    assert found, f"Dockerfile has no exec-form {name}"
    return json.loads(found[-1])


def image_command() -> list[str]:
    """Return the image's ENTRYPOINT + CMD, with the entrypoint's path mapped to the repository."""
    entrypoint = dockerfile_instruction("ENTRYPOINT")
    copy = rf"^COPY\s+(\S+)\s+{re.escape(entrypoint[0])}$"
    copied = re.search(copy, DOCKERFILE.read_text(), re.MULTILINE)
    assert copied, "the entrypoint script is not copied into the image"
    command = [str(ROOT / copied.group(1)), *entrypoint[1:], *dockerfile_instruction("CMD")]
    # The image's python is the venv's; on the host that is the interpreter running the tests.
    return [sys.executable if part == "python" else part for part in command]
