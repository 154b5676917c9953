"""Normalising what browsers send: URLs, referrers, devices, locales and text."""

from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.ingest.normalize import (
    MAX_URL_LENGTH,
    InvalidURL,
    clean_locale,
    clean_text,
    device_class,
    normalize_url,
    referrer_host,
)


@pytest.mark.parametrize(
    ("raw", "keep", "url", "path"),
    [
        ("https://shop.example/a/b", (), "https://shop.example/a/b", "/a/b"),
        ("HTTPS://Shop.EXAMPLE/Case/Kept", (), "https://shop.example/Case/Kept", "/Case/Kept"),
        ("https://shop.example", (), "https://shop.example/", "/"),
        ("https://shop.example:443/x", (), "https://shop.example/x", "/x"),
        ("http://shop.example:80/x", (), "http://shop.example/x", "/x"),
        ("https://shop.example:8443/x", (), "https://shop.example:8443/x", "/x"),
        ("http://shop.example:443/x", (), "http://shop.example:443/x", "/x"),
        ("https://shop.example/x#section", (), "https://shop.example/x", "/x"),
        ("https://user:pw@shop.example/x", (), "https://shop.example/x", "/x"),
        ("https://[2001:DB8::1]:8080/x", (), "https://[2001:db8::1]:8080/x", "/x"),
        ("https://shop.example/s?q=shoes&utm_source=x", (), "https://shop.example/s", "/s"),
        (
            "https://shop.example/s?utm=1&q=shoes&page=2",
            ("q", "page"),
            "https://shop.example/s?q=shoes&page=2",
            "/s",
        ),
        (
            "https://shop.example/s?page=2&q=a%20b",
            ("q", "page"),
            "https://shop.example/s?page=2&q=a%20b",
            "/s",
        ),
        ("https://shop.example/s?utm=1", ("q",), "https://shop.example/s", "/s"),
        ("https://shop.example/s?q", ("q",), "https://shop.example/s?q", "/s"),
        ("  https://shop.example/x  ", (), "https://shop.example/x", "/x"),
    ],
)
def test_normalize_url(raw, keep, url, path):
    assert normalize_url(raw, frozenset(keep)) == (url, path)


def test_kept_parameters_keep_their_original_order():
    url, _ = normalize_url("https://s.example/?b=2&x=0&a=1&b=3", frozenset({"a", "b"}))
    assert url == "https://s.example/?b=2&a=1&b=3"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "shop.example/x",
        "/x",
        "ftp://shop.example/",
        "mailto:a@b.c",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://shop.example:99999/",
        "https://shop.example:port/",
        "https://[::1/",
    ],
)
def test_refuses_what_is_not_an_absolute_http_url(raw):
    with pytest.raises(InvalidURL):
        normalize_url(raw)


def test_length_is_checked_after_normalisation():
    path = "/" + "a" * (MAX_URL_LENGTH - len("https://s.example/"))
    long_query = "?utm=" + "x" * 5000
    assert len(normalize_url("https://s.example" + path + long_query)[0]) == MAX_URL_LENGTH
    with pytest.raises(InvalidURL):
        normalize_url("https://s.example" + path + "b")


query_names = st.text(alphabet="abcdefgh_", min_size=1, max_size=5)


@given(
    pairs=st.lists(st.tuples(query_names, st.text(max_size=8)), max_size=8),
    keep=st.frozensets(query_names, max_size=3),
)
def test_never_keeps_a_parameter_that_is_not_allowlisted(pairs, keep):
    url, _ = normalize_url("https://s.example/p?" + urlencode(pairs), keep)
    kept = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    assert {name for name, _ in kept} <= keep
    assert kept == [(name, value) for name, value in pairs if name in keep]


@given(st.text())
def test_never_crashes_on_any_text(raw):
    try:
        url, path = normalize_url(raw, frozenset({"q"}))
    except InvalidURL:
        return
    assert url.startswith(("http://", "https://"))
    assert "#" not in url
    assert len(url) <= MAX_URL_LENGTH
    assert url.split("?")[0].endswith(path)


@given(st.text())
def test_referrer_host_never_crashes(raw):
    host = referrer_host(raw)
    assert host is None or (host and host == host.lower())


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "mobile",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36",
            "mobile",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1",
            "tablet",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            "tablet",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36",
            "desktop",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.1 Safari/605.1.15",
            "desktop",
        ),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "desktop"),
        ("", None),
        (None, None),
    ],
)
def test_device_class(user_agent, device):
    assert device_class(user_agent) == device


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("en", "en"),
        ("nl-NL", "nl-NL"),
        ("nl-BE", "nl-BE"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("de-CH-1996", "de-CH-1996"),
        ("en-US-x-twain", "en-US-x-twain"),
        ("x-private", "x-private"),
        (" fr-CA ", "fr-CA"),
        ("english", "english"),
        ("e", None),
        ("en_US", None),
        ("en-", None),
        ("123", None),
        ("en-US-" + "x" * 30, None),
        ("nl NL", None),
        ("", None),
    ],
)
def test_clean_locale(raw, kept):
    assert clean_locale(raw) == kept


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  hello  ", "hello"),
        ("line one\nline two", "line one\nline two"),
        ("a\tb", "a\tb"),
        ("a\r\nb", "a\nb"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("c1\x85control\x9f", "c1control"),
        ("\x1b[31mred", "[31mred"),
        ("   \n\t ", None),
        ("", None),
        (None, None),
        ("émoji 👍 kept", "émoji 👍 kept"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned
