"""Configuration from the environment: the development secret key kept in the instance folder."""

import os
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from live_server import ROOT

from server import config
from server.config import ConfigError, load_config, secret_key

STARTS = 8

#: A development start in a process of its own: wait for the signal to go, print the key.
START = """
import pathlib, sys, time
from server.config import secret_key
folder = pathlib.Path(sys.argv[1])
(folder.parent / f"ready-{sys.argv[2]}").touch()
while not (folder.parent / "go").exists():
    time.sleep(0.001)
print(secret_key(str(folder), "development"))
"""


def assert_one_whole_key(folder, keys) -> None:
    """Assert every start got the one key kept in `folder`, and no draft was left behind."""
    kept = (folder / "secret_key").read_text()
    assert len(kept) >= 64
    assert set(keys) == {kept}
    assert stat.S_IMODE((folder / "secret_key").stat().st_mode) == 0o600
    assert os.listdir(folder) == ["secret_key"]


def test_the_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("TOUCHPOINT_SECRET_KEY", raising=False)
    first = secret_key(str(tmp_path / "instance"), "development")
    assert secret_key(str(tmp_path / "instance"), "development") == first
    assert_one_whole_key(tmp_path / "instance", [first])


def test_threads_starting_together_share_one_key(tmp_path, monkeypatch):
    # Every start generates its key before any writes one: the race, every time.
    monkeypatch.delenv("TOUCHPOINT_SECRET_KEY", raising=False)
    together = threading.Barrier(STARTS)
    generate = config.secrets.token_urlsafe

    def generate_together(size):
        together.wait(timeout=20)
        return generate(size)

    monkeypatch.setattr(config.secrets, "token_urlsafe", generate_together)
    folder = tmp_path / "instance"
    with ThreadPoolExecutor(STARTS) as pool:
        keys = list(pool.map(lambda _: secret_key(str(folder), "development"), range(STARTS)))
    assert_one_whole_key(folder, keys)


def test_processes_starting_together_share_one_key(tmp_path):
    folder = tmp_path / "instance"
    env = {k: v for k, v in os.environ.items() if k != "TOUCHPOINT_SECRET_KEY"}
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", START, str(folder), str(n)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(STARTS)
    ]
    try:
        while len(list(tmp_path.glob("ready-*"))) < STARTS:
            assert all(start.poll() is None for start in starts)
            time.sleep(0.01)
        (tmp_path / "go").touch()
        outputs = [start.communicate(timeout=60) for start in starts]
    finally:
        for start in starts:
            start.kill()
    assert [start.returncode for start in starts] == [0] * STARTS, outputs
    assert_one_whole_key(folder, [out.strip() for out, _ in outputs])


def test_an_empty_key_file_is_refused_not_used(tmp_path, monkeypatch):
    monkeypatch.delenv("TOUCHPOINT_SECRET_KEY", raising=False)
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        secret_key(str(tmp_path), "development")


#: What `load_config` is given, so that only the environment variable under test is read.
OVERRIDES = {"SECRET_KEY": "k" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"}


@pytest.mark.parametrize(
    "url",
    [
        "x.example",
        "ftp://x.example",
        "https://x.example/?q=1",
        "https://x.example/?",
        "https://x.example/#f",
        "javascript:alert(1)",
        "https://",
        "https://x.example:99999",
        "https://x.example/a b",
    ],
)
def test_a_public_url_snippets_cannot_use_stops_the_start(tmp_path, monkeypatch, url):
    monkeypatch.setenv("TOUCHPOINT_PUBLIC_URL", url)
    with pytest.raises(ConfigError, match="TOUCHPOINT_PUBLIC_URL"):
        load_config(str(tmp_path), {**OVERRIDES, "TOUCHPOINT_QUEUE_URL": "sqlite:///q.db"})


@pytest.mark.parametrize(
    "url", ["https://feedback.example", "http://127.0.0.1:8000/", "https://x.example/touchpoint/"]
)
def test_an_http_public_url_with_a_path_prefix_is_kept(tmp_path, monkeypatch, url):
    monkeypatch.setenv("TOUCHPOINT_PUBLIC_URL", f" {url} ")
    settings = load_config(str(tmp_path), {**OVERRIDES, "TOUCHPOINT_QUEUE_URL": "sqlite:///q.db"})
    assert settings["TOUCHPOINT_PUBLIC_URL"] == url
