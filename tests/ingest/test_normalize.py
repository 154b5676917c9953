"""Normalising what browsers send: URLs, referrers, devices, locales and text."""

from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.ingest.normalize import (
    MAX_URL_LENGTH,
    NOT_IRI,
    InvalidURL,
    clean_locale,
    clean_text,
    device_class,
    iri_path,
    normalize_url,
    referrer_host,
)
from server.text import nfc


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


@pytest.mark.parametrize(
    "sent",
    [
        "/café/1",
        "/caf%C3%A9/1",
        "/caf%c3%a9/1",
        "/caf%C3%a9/1",
        "/cafe\u0301/1",
        "/cafe%CC%81/1",
        "/cafe%cc%81/1",
    ],
)
def test_every_spelling_of_a_non_ascii_path_is_one_path(sent):
    assert normalize_url(f"https://shop.example{sent}") == (
        "https://shop.example/café/1",
        "/café/1",
    )


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        # Reserved and ASCII characters stay escaped, upper-cased: `/a%2Fb` is not `/a/b`.
        ("/a%2fb", "/a%2Fb"),
        ("/a%2Fb", "/a%2Fb"),
        ("/a%3fb", "/a%3Fb"),
        ("/100%25", "/100%25"),
        ("/100%2525", "/100%2525"),
        ("/a%00b", "/a%00b"),
        ("/a%20b", "/a%20b"),
        ("/%41", "/%41"),
        ("/%7e", "/%7E"),
        # Invalid UTF-8 stays escaped, upper-cased: a lone, truncated, overlong or surrogate
        # sequence, bytes no UTF-8 holds.
        ("/a%ff%feb", "/a%FF%FEb"),
        ("/a%c3", "/a%C3"),
        ("/a%c3%28", "/a%C3%28"),
        ("/a%e2%82", "/a%E2%82"),
        ("/a%e2%82%e2%82%ac", "/a%E2%82€"),
        ("/%c0%af", "/%C0%AF"),
        ("/%ed%a0%80", "/%ED%A0%80"),
        ("/%f4%90%80%80", "/%F4%90%80%80"),
        # Characters an IRI may not hold: C1 controls, bidi marks, private use, non-characters.
        ("/a%c2%85", "/a%C2%85"),
        ("/a%e2%80%8f", "/a%E2%80%8F"),
        ("/a\u200fb", "/a%E2%80%8Fb"),
        ("/%ee%80%80", "/%EE%80%80"),
        ("/\ue000", "/%EE%80%80"),
        ("/%ef%bf%be", "/%EF%BF%BE"),
        # Everything else is decoded: astral characters, spaces that are not ASCII.
        ("/%F0%9F%91%8D%F0%9F%8F%BD", "/👍🏽"),
        ("/%c2%a0", "/\xa0"),
        ("/%D7%A9%D7%9C%D7%95%D7%9D", "/שלום"),
        # A decoded character next to kept escapes and raw text.
        ("/%2F%C3%A9%2f", "/%2Fé%2F"),
    ],
)
def test_iri_path(sent, stored):
    assert iri_path(sent) == stored


@given(st.text())
def test_the_stored_form_of_a_path_is_its_own(path):
    once = iri_path(path)
    assert iri_path(once) == once


@given(st.text(alphabet="%/aé\u0301\ue000" + "0123456789abcdefABCDEF", max_size=30))
def test_the_stored_form_is_stable_on_escape_soup(path):
    once = iri_path(path)
    assert iri_path(once) == once


IRI_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0xA0, exclude_categories=("Cs", "Co", "Cn", "Cf")),
    min_size=1,
).filter(lambda text: not NOT_IRI.search(text))


@given(IRI_TEXT)
def test_non_ascii_text_escaped_in_either_case_is_stored_as_text(text):
    escaped = quote(text)
    assert iri_path(escaped) == iri_path(escaped.lower()) == iri_path(text) == nfc(text)


def test_length_is_checked_once_decoded():
    # 700 escaped `é`s are 4,200 characters sent, 700 once decoded: stored.
    url = "https://s.example/" + "%C3%A9" * 700
    assert normalize_url(url)[1] == "/" + "é" * 700
    # Kept escapes count as sent: 683 `%2F`s make a URL over the limit.
    with pytest.raises(InvalidURL):
        normalize_url("https://s.example/" + "%2F" * 683)
    fits = "https://s.example/" + "é" * (MAX_URL_LENGTH - len("https://s.example/"))
    assert normalize_url(fits.replace("é", "%c3%a9"))[0] == fits
    with pytest.raises(InvalidURL):
        normalize_url((fits + "é").replace("é", "%C3%A9"))
