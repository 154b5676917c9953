"""Hold Touchpoint's text rules: stored text is NFC, comparisons fold case, hosts are ASCII.

The same on SQLite and PostgreSQL because Python does it, before the text reaches either:
case-insensitive search compares columns folded at ingest (`fold`, `fold_email`) with a
folded query, never the databases' own `lower()`, which knows only ASCII on SQLite.
"""

import re
import unicodedata

import idna

#: A host name in ASCII, as DNS and browsers write it.
HOST_NAME = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def nfc(text: str) -> str:
    """Return `text` in Unicode normalisation form C, the form every stored text is in."""
    # ASCII is NFC already; the check costs far less than normalising.
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str | None:
    """Return `text` case-folded for comparison: NFC, Unicode full case folding, NFC again.

    `É` folds to `é`, `ß` and `SS` to `ss`, `ﬁ` to `fi`. The Turkish dotted capital I (U+0130)
    folds to `i` rather than `i` and a combining dot, so `istanbul` finds `İSTANBUL`; the
    dotless i (U+0131) stays a letter of its own.
    """
    if text is None:
        return None
    if text.isascii():
        return text.lower()
    return nfc(nfc(text).casefold()).replace("i\u0307", "i")


def fold_email(address: str | None) -> str | None:
    """Return an email address folded for comparison: its local part folded, its domain in
    ASCII (IDNA) form, so `JÜRGEN@Bücher.example` and `jürgen@xn--bcher-kva.example` agree."""
    if address is None:
        return None
    local, at, domain = address.rpartition("@")
    return f"{fold(local)}{at}{ascii_host(domain)}"


def ascii_host(host: str) -> str:
    """Return host name `host` as browsers send it: lower case, international labels in IDNA.

    A name IDNA refuses (a symbol, a label too long) still gets one ASCII form, each
    non-ASCII label the punycode of its folded text, which only that same name matches.
    """
    if host.isascii():
        return host.lower()
    try:
        encoded = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except UnicodeError:  # idna.IDNAError and the codec's own errors
        encoded = ""
    if HOST_NAME.fullmatch(encoded):
        return encoded
    return ".".join(ascii_label(label) for label in host.split("."))


def ascii_label(label: str) -> str:
    """Return one label of a host name IDNA refused, in ASCII: folded, punycode if need be."""
    folded = fold(label)
    return folded if folded.isascii() else "xn--" + folded.encode("punycode").decode()
