"""Refuse alert targets on private, loopback, link-local or reserved addresses (SSRF guard).

A rule's target is a URL an admin typed; the worker that posts to it sits inside the
deployment's network. Unless TOUCHPOINT_ALERTS_ALLOW_PRIVATE is on, a host is resolved and
every address it resolves to must be a global one; the sender then connects to the address
that was checked, so a name that resolves differently a moment later (DNS rebinding) cannot
reach another host.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedTarget(ValueError):
    """The target may not be reached: its address is not public, or it does not resolve."""


class Unresolved(RefusedTarget):
    """The target's host name does not resolve (now)."""


def refusal(address: Address) -> str | None:
    """Return why `address` may not be reached (e.g. "loopback"), or None when it is public.

    An IPv6 address that carries an IPv4 one (IPv4-mapped `::ffff:a.b.c.d`, 6to4
    `2002:aabb:ccdd::`) is judged by the IPv4 address it leads to.
    """
    if isinstance(address, ipaddress.IPv6Address):
        address = address.ipv4_mapped or address.sixtofour or address
    # Most specific first: Python counts loopback, link-local, unspecified and reserved
    # addresses as private too.
    kinds = ("loopback", "link_local", "unspecified", "multicast", "reserved", "private")
    for kind in kinds:
        if getattr(address, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if address.is_global else "not global"


def described(reason: str) -> str:
    """Return a refusal reason (`refusal`) as words after "which is": "a loopback address",
    "an unspecified address", "not a global address"."""
    if reason == "not global":
        return "not a global address"
    article = "an" if reason[0] in "aeiou" else "a"
    return f"{article} {reason} address"


def allow_private() -> bool:
    """Tell whether this deployment lets alerts reach internal addresses."""
    return bool(current_app.config["TOUCHPOINT_ALERTS_ALLOW_PRIVATE"])


def default_port(scheme: str) -> int:
    """Return the port of `scheme` (http or https) when a URL names none."""
    return 443 if scheme == "https" else 80


def resolve(host: str, port: int) -> list[Address]:
    """Return the addresses `host` resolves to, in the resolver's order; RefusedTarget if none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolved(f"{host} does not resolve: {exc}") from exc
    # Drop an IPv6 scope ("fe80::1%eth0"): the address alone decides.
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


def checked_address(host: str, port: int) -> Address:
    """Return the address to connect to for `host`; RefusedTarget when any is not public.

    Every address is checked, not only the first, so a name cannot pair a public address
    with an internal one and hope the connection falls through to it.
    """
    addresses = resolve(host, port)
    if not allow_private():
        for address in addresses:
            reason = refusal(address)
            if reason is not None:
                named = host if host == str(address) else f"{host} resolves to {address}, which"
                raise RefusedTarget(f"{named} is {described(reason)}")
    return addresses[0]


def refused_url_reason(url: str) -> str | None:
    """Return why the URL's host is refused when a rule names it, or None.

    A name that does not resolve now is accepted (its DNS may come later); a literal or a
    name resolving to an internal address is refused unless internal targets are allowed.
    """
    parts = urlsplit(url)
    try:
        checked_address(parts.hostname or "", parts.port or default_port(parts.scheme))
    except Unresolved:
        return None
    except RefusedTarget as exc:
        return str(exc)
    except ValueError as exc:  # a port out of range
        return str(exc)
    return None
