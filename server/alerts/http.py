"""POST an alert to a URL: connect only to checked addresses, follow at most 3 redirects.

urllib3 (requests' own transport) is used directly because it can connect to the address
the guard checked while still sending the URL's host name for TLS (SNI and certificate
checks) and in the `Host` header; requests and httpx resolve the name again themselves.
"""

import time
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import urllib3
from flask import current_app

from .guard import RefusedTarget, Unresolved, checked_address, default_port

#: A connection takes at most this long, however long the read timeout is.
MAX_CONNECT_SECONDS = 5
MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "Touchpoint-Alerts/1"


#: The receiver's answer that it will never take a delivery again (RFC 9110, 15.5.11).
GONE = 410


@dataclass(frozen=True)
class Sent:
    """What became of one POST: the final status code, or the error that stopped it."""

    status_code: int | None
    error: str | None
    duration_ms: int
    #: No later attempt can succeed, so none is made: the guard refused the address (waiting
    #: will not make it public), or the receiver said it is gone for good (410, SMTP 5xx).
    final: bool = False

    @property
    def delivered(self) -> bool:
        """Tell whether the receiver accepted it (a 2xx answer)."""
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Sent:
    """POST `body` to `url`, following up to 3 redirects, each hop checked by the guard."""
    started = time.monotonic()
    status, error, final = None, None, False
    try:
        for _ in range(MAX_REDIRECTS + 1):
            status, location = post_once(url, body, headers)
            if status not in REDIRECTS or not location:
                break
            url = urljoin(url, location)
        else:
            error = f"more than {MAX_REDIRECTS} redirects"
    except Unresolved as exc:  # DNS may answer on a later attempt
        status, error = None, str(exc)
    except RefusedTarget as exc:
        status, error, final = None, f"refused: {exc}", True
    except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
        status, error = None, failure_text(exc, url)
    if status == GONE:
        error, final = "410 Gone: the receiver is gone for good; no retry", True
    elif status is not None and not 200 <= status < 300 and error is None:
        error = f"the receiver answered {status_text(status)}"
    return Sent(status, error, round((time.monotonic() - started) * 1000), final)


def status_text(status: int) -> str:
    """Return an HTTP status with its reason phrase, e.g. "500 Internal Server Error"."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def failure_text(error: Exception, url: str) -> str:
    """Return why a POST to `url` got no answer, as the delivery log shows it."""
    parts = urlsplit(url)
    where = f"{parts.hostname}:{parts.port or default_port(parts.scheme)}"
    read = current_app.config["TOUCHPOINT_ALERTS_TIMEOUT_SECONDS"]
    # urllib3's NewConnectionError is a ConnectTimeoutError too (for history's sake): first.
    if isinstance(error, urllib3.exceptions.NewConnectionError | ConnectionError):
        return f"could not connect to {where}: {innermost(error)}"
    if isinstance(error, urllib3.exceptions.ConnectTimeoutError):
        return f"no connection to {where} within {min(MAX_CONNECT_SECONDS, read)} s"
    if isinstance(error, urllib3.exceptions.ReadTimeoutError):
        return f"{where} did not answer within {read} s"
    if isinstance(error, urllib3.exceptions.SSLError):
        return f"TLS with {where} failed: {error}"
    if isinstance(error, urllib3.exceptions.ProtocolError):
        return f"the connection to {where} broke: {innermost(error)}"
    return f"{type(error).__name__}: {error}"


def innermost(error: BaseException) -> str:
    """Return the OS's words for the deepest cause of `error` ("Connection refused")."""
    while error.__cause__ is not None or error.__context__ is not None:
        error = error.__cause__ or error.__context__
    return getattr(error, "strerror", None) or str(error)


def post_once(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str | None]:
    """POST once to `url`'s checked address; return the status and any `Location`.

    The answer's body is never read: a receiver cannot make the worker hold a large one.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedTarget(f"{url} is not an http or https URL")
    port = parts.port or default_port(parts.scheme)
    address = str(checked_address(parts.hostname, port))
    read = current_app.config["TOUCHPOINT_ALERTS_TIMEOUT_SECONDS"]
    timeout = urllib3.Timeout(connect=min(MAX_CONNECT_SECONDS, read), read=read)
    if parts.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            timeout=timeout,
            retries=False,
            server_hostname=parts.hostname,
            assert_hostname=parts.hostname,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
    host = parts.netloc.rpartition("@")[2]
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    with pool:
        answer = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={"Host": host, "User-Agent": USER_AGENT, **headers},
            redirect=False,
            preload_content=False,
        )
        answer.close()
        return answer.status, answer.headers.get("Location")
