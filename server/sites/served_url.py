"""Remember the URL a running `touchpoint serve` listens on, so the CLI can name it in snippets.

The server writes `served_url-<digest of its database URL>` in the instance folder when it is
ready and removes it when it stops, so servers of different databases in one checkout keep
records of their own. The record names the server's process: a record left by a server that
died is not believed.
"""

import hashlib
import json
import os
from pathlib import Path

FILE_PREFIX = "served_url-"
#: Addresses that mean "every interface": the server is reached on this machine by loopback.
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}


def record_path(instance_path: str, database_uri: str) -> Path:
    """Return the path of the record of `database_uri`'s server in the instance folder."""
    return Path(instance_path) / (FILE_PREFIX + database_digest(database_uri))


def database_digest(database_uri: str) -> str:
    """Return a digest of the database URL (the URL may hold a password: never written)."""
    return hashlib.sha256(database_uri.encode()).hexdigest()[:16]


def reachable_url(listening: str) -> str:
    """Return a listener's address (`http://0.0.0.0:8000`) as a URL a browser here can open."""
    scheme, _, address = listening.partition("://")
    host, _, port = address.rpartition(":")
    return f"{scheme}://{WILDCARD_HOSTS.get(host, host)}:{port}"


def record_served_url(instance_path: str, database_uri: str, listening: str) -> None:
    """Write the record of this process serving `database_uri` at `listening`."""
    record = {
        "url": reachable_url(listening),
        "pid": os.getpid(),
        "database": database_digest(database_uri),
    }
    path = record_path(instance_path, database_uri)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record))
    # A reader sees the old record or the new one, never half of one.
    temporary.replace(path)


def forget_served_url(instance_path: str, database_uri: str) -> None:
    """Remove the record if this process wrote it (another server may have replaced it)."""
    path = record_path(instance_path, database_uri)
    record = read_record(path)
    if record is not None and record.get("pid") == os.getpid():
        path.unlink(missing_ok=True)


def read_record(path: Path) -> dict | None:
    """Return the record at `path`, or None when there is none or it is unreadable."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def served_url(instance_path: str, database_uri: str) -> str | None:
    """Return the URL a running server of `database_uri` announced, or None."""
    record = read_record(record_path(instance_path, database_uri))
    if record is None or record.get("database") != database_digest(database_uri):
        return None
    if not isinstance(record.get("pid"), int) or not process_runs(record["pid"]):
        return None
    url = record.get("url")
    return url if isinstance(url, str) else None


def process_runs(pid: int) -> bool:
    """Tell whether a process with id `pid` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OSError, OverflowError):
        return False
    return True
