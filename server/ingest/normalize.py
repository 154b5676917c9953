"""Normalise what a visitor's browser sends: URLs, origins, referrers, devices, locales, text."""

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit

import ua_parser

from ..text import HOST_NAME, ascii_host, nfc

MAX_URL_LENGTH = 2048
MAX_COMMENT_LENGTH = 2000
MAX_LOCALE_LENGTH = 35
MAX_HOST_LENGTH = 255

DEFAULT_PORTS = {"http": 80, "https": 443}

# Every C0 and C1 control character except tab (\x09) and newline (\x0a).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Every C0 and C1 control character: none belongs in a URL or in structured data.
ANY_CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")

# RFC 5646 language tags (langtag and private use); grandfathered tags are not accepted.
BCP47 = re.compile(
    r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language and extended language
      (?:-[a-z]{4})?                                # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                   # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*      # variants
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*          # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                    # private use
    |
      x(?:-[a-z0-9]{1,8})+
    )
    """,
    re.VERBOSE | re.IGNORECASE | re.ASCII,
)

#: A URL's scheme and authority (user, host, port), and the rest.
URL_AUTHORITY = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)", re.DOTALL)
#: An authority's user part, host and port.
AUTHORITY_PARTS = re.compile(r"((?:.*@)?)(.*?)((?::[0-9]*)?)", re.DOTALL)

TABLET_FAMILIES = re.compile(r"ipad|tablet|kindle|playbook|nexus (?:7|9|10)|galaxy tab", re.I)
MOBILE_OS_FAMILIES = frozenset(
    {"Android", "iOS", "Windows Phone", "BlackBerry OS", "Firefox OS", "KaiOS", "Symbian OS"}
)

#: A run of percent-escapes, in either letter case.
ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
#: Characters an IRI may not hold as themselves (RFC 3987, 2.2 `ucschar` and 4.1): C1
#: controls, bidi formatting marks, private use, non-characters. Kept escaped when decoded,
#: escaped when sent raw.
NOT_IRI = re.compile(
    "[\x80-\x9f\u200e\u200f\u202a-\u202e\ue000-\uf8ff\ufdd0-\ufdef\ufff0-\uffff"
    "\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe-\U0010ffff]"
)


class InvalidURL(ValueError):
    """The page URL cannot be stored."""


def normalize_url(raw: str, keep_query_params: Iterable[str] = ()) -> tuple[str, str]:
    """Return `(url, path)`: scheme, host and path, with only the allowlisted query parameters.

    Raise `InvalidURL` when `raw` is not an absolute http(s) URL or is too long once
    normalised. Kept parameters stay in their original order and spelling.
    """
    try:
        parts = urlsplit(with_ascii_host(nfc(raw.strip())))
        port = parts.port
    except ValueError as exc:
        raise InvalidURL("Not a valid URL.") from exc
    scheme = parts.scheme.lower()
    host = parts.hostname
    if scheme not in DEFAULT_PORTS or not host:
        raise InvalidURL("Must be an absolute http or https URL.")
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    path = iri_path(parts.path or "/")
    url = f"{scheme}://{host}{path}"
    if parts.query and keep_query_params:
        kept = [
            pair
            for pair in parts.query.split("&")
            if unquote_plus(pair.partition("=")[0]) in keep_query_params
        ]
        if kept:
            url = f"{url}?{'&'.join(kept)}"
    if len(url) > MAX_URL_LENGTH:
        raise InvalidURL(f"Longer than {MAX_URL_LENGTH} characters once normalised.")
    return url, path


def iri_path(path: str) -> str:
    """Return a URL path in its one stored form: IRI characters decoded, in NFC.

    `/caf%C3%A9`, `/caf%c3%a9` and `/café` (`e` and a combining accent included) are all
    `/café`. An escape is decoded only when it is part of the UTF-8 form of a non-ASCII
    character an IRI may hold (RFC 3987); any other escape — an ASCII or reserved character
    (`%2F`, `%3F`, `%25`, `%20`, `%00`), a byte of invalid UTF-8, a control or private-use
    character — stays escaped, upper-cased, so two distinct URLs never become one.
    Non-ASCII characters an IRI may not hold are escaped when sent raw.
    """
    if "%" in path:
        path = ESCAPES.sub(decoded_escapes, path)
    path = nfc(path)
    if not path.isascii() and NOT_IRI.search(path):
        path = NOT_IRI.sub(lambda found: escaped(found.group().encode()), path)
    return path


def decoded_escapes(run: re.Match) -> str:
    """Return a run of percent-escapes with the UTF-8 forms of IRI characters decoded."""
    data = bytes.fromhex(run.group().replace("%", ""))
    out = []
    start = 0
    while start < len(data):
        length = utf8_length(data[start])
        try:
            char = data[start : start + length].decode() if length > 1 else ""
        except UnicodeDecodeError:  # a truncated, overlong or surrogate sequence
            char = ""
        if char and not NOT_IRI.match(char):
            out.append(char)
            start += length
        else:
            out.append(f"%{data[start]:02X}")
            start += 1
    return "".join(out)


def utf8_length(lead: int) -> int:
    """Return how many bytes a UTF-8 sequence starting with byte `lead` claims (1 when none)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 1


def escaped(data: bytes) -> str:
    """Return `data` as upper-case percent-escapes."""
    return "".join(f"%{byte:02X}" for byte in data)


def url_origin(url: str) -> str:
    """Return the origin of a URL `normalize_url` returned: its scheme, host and port."""
    return url[: url.index("/", url.index("://") + 3)]


def normalize_origin(value: str) -> str:
    """Return `value` as a browser writes an `Origin` header; raise ValueError if it is none.

    The scheme and host are lower-cased, an international host name is written in its ASCII
    (IDNA) form and a default port is dropped, so `HTTPS://Bücher.Example:443/` becomes
    `https://xn--bcher-kva.example`.
    """
    parts = urlsplit(with_ascii_host(value.strip()))
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or parts.username is not None or parts.password is not None:
        raise ValueError("not an http(s) origin")
    if parts.path not in ("", "/") or parts.query or parts.fragment or "?" in value:
        raise ValueError("an origin has no path, query or fragment")
    host = (parts.hostname or "").lower()
    port = parts.port
    if ":" in host:
        host = f"[{host}]"
    elif not HOST_NAME.fullmatch(host):
        raise ValueError("not a host name")
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def referrer_host(raw: str) -> str | None:
    """Return the host of referrer URL `raw` in ASCII (IDNA) form, or None when it is no URL."""
    if ANY_CONTROL_CHARACTER.search(raw):
        return None
    try:
        parts = urlsplit(with_ascii_host(raw.strip()))
        host = parts.hostname
    except ValueError:
        return None
    if not parts.scheme or not host or len(host) > MAX_HOST_LENGTH:
        return None
    return host


@lru_cache(maxsize=4096)
def device_class(user_agent: str | None) -> str | None:
    """Return `mobile`, `tablet` or `desktop` for a User-Agent, or None when there is none."""
    if not user_agent:
        return None
    result = ua_parser.parse(user_agent)
    device = result.device.family if result.device else ""
    os_family = result.os.family if result.os else ""
    if TABLET_FAMILIES.search(device) or (os_family == "Android" and "Mobile" not in user_agent):
        return "tablet"
    if os_family in MOBILE_OS_FAMILIES or "Mobi" in user_agent:
        return "mobile"
    return "desktop"


def clean_locale(raw: str) -> str | None:
    """Return `raw` when it is a BCP 47 language tag of at most 35 characters, else None."""
    tag = raw.strip()
    if len(tag) > MAX_LOCALE_LENGTH or not BCP47.fullmatch(tag):
        return None
    return tag


def clean_text(raw: str | None) -> str | None:
    """Return `raw` in NFC without control characters (but newline and tab), trimmed; or None."""
    if not raw:
        return None
    text = nfc(CONTROL_CHARACTERS.sub("", raw).strip())
    return text or None


def with_ascii_host(url: str) -> str:
    """Return `url` with its host in ASCII (IDNA) form; other text is returned unchanged.

    Done before `urlsplit`, which refuses some non-ASCII hosts (those whose NFKC form holds
    a `/`, `?`, `#`, `@` or `:`) rather than convert them.
    """
    if url.isascii():
        return url
    parts = URL_AUTHORITY.fullmatch(url)
    if parts is None:
        return url
    scheme, authority, rest = parts.groups()
    user, host, port = AUTHORITY_PARTS.fullmatch(authority).groups()
    if host.isascii() or host.startswith("["):
        return url
    return f"{scheme}{user}{ascii_host(host)}{port}{rest}"
