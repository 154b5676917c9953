"""Phase rules: globs over the whole normalised path, matched without backtracking."""

import time
from fnmatch import fnmatchcase

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.ingest.normalize import normalize_url
from server.ingest.phases import compile_phase_rules, first_match, match_phase


def fits(glob: str, path: str) -> bool:
    """Tell whether one rule made of `glob` fits `path`."""
    return match_phase(compile_phase_rules([{"match": glob, "phase": "loyalty"}]), path) is not None


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("/checkout*", "/checkout", True),
        ("/checkout*", "/checkout/pay/3", True),
        ("/checkout/*", "/checkout", False),
        ("/checkout/*", "/checkout/pay", True),
        ("/p/?", "/p/1", True),
        ("/p/?", "/p/12", False),
        ("/p/?", "/p/", False),
        ("/blog", "/blog/post", False),
        ("/blog", "/blo", False),
        ("*/faq", "/en/help/faq", True),
        ("*/faq", "/en/help/faq/x", False),
        ("/a.b", "/aXb", False),
        ("/[x]+", "/[x]+", True),
        ("/help*", "/HELP", False),
        ("/*/*/*/*/checkout", "/a/b/c/d/checkout", True),
        ("/*/*/*/*/checkout", "/a/b/c/checkout", False),
        ("/*", "/", True),
        ("*", "", True),
        ("/**", "/", True),
        ("/a*a", "/a", False),
        ("/a*a", "/aa", True),
        ("/a?*?b", "/axyb", True),
        ("/a?*?b", "/axb", False),
        ("/*?", "/", False),
        ("/*x*y*", "/yx", False),
        ("/*x*y*", "/x/y", True),
        ("/é*", "/été", True),
    ],
)
def test_globs_fit_the_whole_path(glob, path, expected):
    assert fits(glob, path) is expected


def test_first_matching_rule_wins():
    rules = compile_phase_rules(
        [
            {"match": "/shop/cart", "phase": "conversion"},
            {"match": "/shop*", "phase": "consideration"},
        ]
    )
    assert match_phase(rules, "/shop/cart") == "conversion"
    assert first_match(rules, "/shop/cart") == 1
    assert match_phase(rules, "/shop/item") == "consideration"
    assert first_match(rules, "/shop/item") == 2
    assert match_phase(rules, "/about") is None
    assert first_match(rules, "/about") is None


# Without `[`, fnmatch's case-sensitive glob has SPEC's semantics: `*` any run, `/` included,
# `?` one character, the whole string.
@given(
    glob=st.text(alphabet="/ab?*", max_size=10),
    path=st.text(alphabet="/ab\n", max_size=12),
)
def test_globs_agree_with_fnmatch(glob, path):
    assert fits(glob, path) is fnmatchcase(path, glob)


# Paths near what fits: taken from the glob itself, with its wildcards filled in.
@given(data=st.data(), glob=st.text(alphabet="/ab?*", min_size=1, max_size=10))
def test_globs_agree_with_fnmatch_on_nearly_fitting_paths(data, glob):
    filler = st.text(alphabet="/ab", max_size=3)
    path = "".join(
        data.draw(filler) if char == "*" else "a" if char == "?" else char for char in glob
    )
    mutated = data.draw(st.sampled_from([path, path[1:], path + "a", path[:-1] + "b"]))
    assert fits(glob, mutated) is fnmatchcase(mutated, glob)


#: (glob, 2 KB path that does not fit): each took a backtracking matcher seconds to minutes.
ADVERSARIAL = [
    ("/*/*/*/*/checkout", "/" + "a/" * 1023),
    ("/" + "*a" * 6 + "*b", "/" + "a" * 2047),
    ("/" + "*a" * 200 + "*b", "/" + "a" * 2047),
    ("*" * 250 + "?" * 249 + "b", "/" + "a" * 2047),
    ("/*" + "?a" * 200 + "b*", "/" + "xa" * 1023),
    ("/*" + "a" * 497 + "b*", "/" + "a" * 2047),
]


@pytest.mark.parametrize(("glob", "path"), ADVERSARIAL)
def test_adversarial_globs_answer_at_once(glob, path):
    rules = compile_phase_rules([{"match": glob, "phase": "loyalty"}] * 20)
    started = time.perf_counter()
    assert first_match(rules, path) is None
    # Twenty rules on a 2 KB path: milliseconds here; a backtracking matcher took minutes.
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("glob", ["/café/*", "/caf%C3%A9/*", "/caf%c3%a9/*", "/cafe\u0301/*"])
@pytest.mark.parametrize("sent", ["/café/1", "/caf%C3%A9/1", "/caf%c3%a9/1", "/cafe%CC%81/1"])
def test_a_rule_fits_a_non_ascii_path_however_either_is_spelled(glob, sent):
    _, path = normalize_url(f"https://shop.example{sent}")
    assert fits(glob, path)


@pytest.mark.parametrize(
    ("glob", "sent", "expected"),
    [
        ("/a%2fb", "/a%2Fb", True),
        ("/a/b", "/a%2Fb", False),
        ("/a%2Fb", "/a/b", False),
        ("/100%25", "/100%25", True),
        ("/100%", "/100%25", False),
        ("/p%3f*", "/p%3Fq", True),
        ("/p?", "/p%3F", False),
        ("/%ff*", "/%FF%FE", True),
    ],
)
def test_rules_keep_escapes_that_stay_in_paths(glob, sent, expected):
    _, path = normalize_url(f"https://shop.example{sent}")
    assert fits(glob, path) is expected
