"""Read Touchpoint's configuration from environment variables."""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_RATELIMIT = "20/minute;200/day"
DEFAULT_SIGN_IN_RATELIMIT = "10/minute"
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


class ConfigError(RuntimeError):
    """The environment does not describe a server that may start."""


def env_int(name: str, default: int) -> int:
    """Return the integer in environment variable `name`, or `default` when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from exc


def database_uri(instance_path: str) -> str:
    """Return the SQLAlchemy URI for TOUCHPOINT_DATABASE_URL (psycopg 3 for PostgreSQL)."""
    url = os.environ.get("TOUCHPOINT_DATABASE_URL", "").strip()
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "touchpoint.db")
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: str, environment: str) -> str:
    """Return the session secret: required in production, kept in the instance folder otherwise.

    Every worker of a development server must sign with the same key, so the key generated
    on first start is written to a file rather than held in memory.
    """
    key = os.environ.get("TOUCHPOINT_SECRET_KEY", "").strip()
    if key:
        return key
    if environment == "production":
        raise ConfigError("TOUCHPOINT_SECRET_KEY must be set when TOUCHPOINT_ENV=production")
    path = Path(instance_path) / "secret_key"
    try:
        return read_secret_key(path)
    except FileNotFoundError:
        return create_secret_key(path)


def read_secret_key(path: Path) -> str:
    """Return the key kept in `path`; refuse an empty one rather than sign with it."""
    key = path.read_text().strip()
    if not key:
        raise ConfigError(f"{path} is empty: delete it and a new key is generated")
    return key


def create_secret_key(path: Path) -> str:
    """Write a new key to `path` unless another process does first; return the one kept.

    Servers started together race here. The key is written whole to a file of its own and
    then hard-linked to `path`, which fails if `path` exists: exactly one start wins, and
    no reader ever sees a partly written key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, draft = tempfile.mkstemp(prefix=".secret_key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):  # another start won: use its key
            os.link(draft, path)
    finally:
        os.unlink(draft)
    return read_secret_key(path)


def env_flag(name: str, default: bool) -> bool:
    """Return the yes/no setting in environment variable `name`, or `default` when unset."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def slack_hosts() -> tuple[str, ...]:
    """Return the hosts Slack alert targets may name (TOUCHPOINT_ALERTS_SLACK_HOSTS, commas)."""
    raw = os.environ.get("TOUCHPOINT_ALERTS_SLACK_HOSTS", "")
    hosts = tuple(host.strip().lower() for host in raw.split(",") if host.strip())
    return hosts or ("hooks.slack.com",)


def public_url_problem(url: str) -> str | None:
    """Say why `url` cannot be the server's public URL, or return None when it can.

    Snippets append `/w/<key>.js` to it, so it is an absolute http(s) URL with a host, maybe a
    path prefix, and no query or fragment (which would swallow that suffix).
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks the port
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an absolute http(s) URL with a host, like https://feedback.example"
    if "?" in url or "#" in url:
        return "must have no query (?…) or fragment (#…)"
    if any(character.isspace() or not character.isprintable() for character in url):
        return "must have no spaces or control characters"
    return None


def configured_public_url() -> str:
    """Return TOUCHPOINT_PUBLIC_URL (empty when unset); ConfigError when it is not usable."""
    url = os.environ.get("TOUCHPOINT_PUBLIC_URL", "").strip()
    problem = url and public_url_problem(url)
    if problem:
        raise ConfigError(f"TOUCHPOINT_PUBLIC_URL {problem}, not {url!r}")
    return url


def log_level() -> str:
    """Return the log level named by TOUCHPOINT_LOG_LEVEL (default `info`)."""
    level = os.environ.get("TOUCHPOINT_LOG_LEVEL", "").strip().lower() or "info"
    if level not in LOG_LEVELS:
        raise ConfigError(f"TOUCHPOINT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")
    return level


def ratelimit_storage_uri() -> str:
    """Return the rate-limit storage named by TOUCHPOINT_RATELIMIT_STORAGE_URI (`memory://`)."""
    return os.environ.get("TOUCHPOINT_RATELIMIT_STORAGE_URI", "").strip() or "memory://"


def counts_per_process(storage_uri: str) -> bool:
    """Tell whether rate limits in `storage_uri` are counted by each process alone."""
    return storage_uri.startswith("memory://")


def ratelimit_storage_options(uri: str) -> dict:
    """Return options for the rate-limit storage: short Redis timeouts.

    The limiter fails open, so a Redis that stops answering must cost a submission half a
    second, not a TCP timeout of minutes.
    """
    if uri.startswith(("redis://", "rediss://")):
        return {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    return {}


def queue_url(instance_path: str) -> str:
    """Return the job queue's storage: TOUCHPOINT_QUEUE_URL, else a file in the instance folder."""
    url = os.environ.get("TOUCHPOINT_QUEUE_URL", "").strip()
    return url or "sqlite:///" + str(Path(instance_path) / "queue.db")


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the Flask configuration taken from the environment.

    Settings present in `overrides` are not read from the environment, so a test that
    passes its own secret key never creates the instance folder's key file.
    """
    overrides = overrides or {}
    environment = os.environ.get("TOUCHPOINT_ENV", "development").strip() or "development"
    if environment not in ("development", "production"):
        raise ConfigError(f"TOUCHPOINT_ENV must be development or production, not {environment!r}")
    storage_uri = overrides.get("RATELIMIT_STORAGE_URI") or ratelimit_storage_uri()
    return {
        "TOUCHPOINT_ENV": environment,
        "SECRET_KEY": overrides.get("SECRET_KEY") or secret_key(instance_path, environment),
        "SQLALCHEMY_DATABASE_URI": overrides.get("SQLALCHEMY_DATABASE_URI")
        or database_uri(instance_path),
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_STORAGE_OPTIONS": ratelimit_storage_options(storage_uri),
        "TOUCHPOINT_RATELIMIT": os.environ.get("TOUCHPOINT_RATELIMIT", DEFAULT_RATELIMIT),
        "TOUCHPOINT_MAX_BODY_BYTES": env_int("TOUCHPOINT_MAX_BODY_BYTES", 16384),
        "TOUCHPOINT_MAX_REQUEST_BYTES": env_int("TOUCHPOINT_MAX_REQUEST_BYTES", 1_048_576),
        "TOUCHPOINT_TRUSTED_PROXIES": env_int("TOUCHPOINT_TRUSTED_PROXIES", 0),
        "TOUCHPOINT_LOG_LEVEL": log_level(),
        "TOUCHPOINT_SITE_CACHE_SECONDS": env_int("TOUCHPOINT_SITE_CACHE_SECONDS", 5),
        "TOUCHPOINT_PUBLIC_URL": configured_public_url(),
        "TOUCHPOINT_SESSION_HOURS": env_int("TOUCHPOINT_SESSION_HOURS", 8),
        "TOUCHPOINT_SIGN_IN_RATELIMIT": os.environ.get(
            "TOUCHPOINT_SIGN_IN_RATELIMIT", DEFAULT_SIGN_IN_RATELIMIT
        ),
        "TOUCHPOINT_QUEUE_URL": overrides.get("TOUCHPOINT_QUEUE_URL") or queue_url(instance_path),
        "TOUCHPOINT_SMTP_URL": os.environ.get("TOUCHPOINT_SMTP_URL", "").strip(),
        "TOUCHPOINT_SMTP_FROM": os.environ.get("TOUCHPOINT_SMTP_FROM", "").strip(),
        "TOUCHPOINT_ALERTS_ALLOW_PRIVATE": env_flag("TOUCHPOINT_ALERTS_ALLOW_PRIVATE", False),
        "TOUCHPOINT_ALERTS_SLACK_HOSTS": slack_hosts(),
        "TOUCHPOINT_ALERTS_RETRY_SECONDS": env_int("TOUCHPOINT_ALERTS_RETRY_SECONDS", 60),
        "TOUCHPOINT_ALERTS_TIMEOUT_SECONDS": env_int("TOUCHPOINT_ALERTS_TIMEOUT_SECONDS", 10),
        # The demo shop and its pages are for trying Touchpoint out, not for production.
        "TOUCHPOINT_DEMO": env_flag("TOUCHPOINT_DEMO", environment == "development"),
    }
