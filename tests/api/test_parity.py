"""One corpus of hostile text through every public and admin endpoint, on SQLite and PostgreSQL.

SPEC: the two databases give the same status and store the same value for every input, and
no input produces a 5xx other than 503. The corpus runs once per database (a module-scoped
run, a few seconds each); every outcome is a status and what the API reads back, so the
comparison below is a plain equality of two tables, and a difference names its input.
"""

import json
from urllib.parse import quote

import pytest
from conftest import base_config, empty_tables, postgres_uri, prepare_schema

from server import create_app
from server.auth.tokens import create_token
from server.extensions import db
from server.sites.manage import create_site
from server.state import app_state

ORIGIN = "https://shop.example"

#: Hostile text: diacritics in both normal forms, case-folding traps, emoji and ZWJ
#: sequences, right-to-left text, characters NFC lengthens, control characters, percent
#: forms, long strings. Lone surrogates are sent as JSON escapes (below) and raw bytes.
CORPUS = {
    "dutch": "één KLACHT over de bezorging",
    "dutch-upper": "ÉÉN klacht",
    "german": "Straße gut, Größe übel",
    "german-upper": "STRASSE",
    "sharp-s-capital": "GROẞE",
    "turkish-dotted": "İstanbul İZMİR",
    "turkish-dotless": "\u0131l\u0131k ISPARTA",
    "emoji-zwj": "👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽",
    "arabic": "مرحبا بالعالم",
    "hebrew-mixed": "שלום abc 123",
    "nfd": "Cafe\u0301 Zu\u0308rich",
    "nfc-lengthens": "\ufb2c" * 3,
    "ligature": "ﬁne ΐ K",
    "nul": "a\x00b",
    "controls": "a\x01\x1b[31mb\x7f\x85c\x9f",
    "newlines": "tab\tnew\nline\r\nend",
    "separators": "a\u2028b\u2029c\u200bd\ufeff",
    "percent-nul": "a%00b",
    "percent-forms": "%2500%zz%",
    "like-wildcards": "100% _sure_ \\o/",
    "long": "x" * 2048,
    "long-accents": "é" * 2001,
    "blank": "   ",
    "empty": "",
}


def squeezed(text: str) -> str:
    """Return `text` without spaces, for the places a space would refuse whatever the rest."""
    return text.replace(" ", "")


#: The ingest fields each text is sent in, as a function of the text.
INGEST_FIELDS = {
    "comment": lambda text: {"comment": text},
    "title": lambda text: {"page": {"url": f"{ORIGIN}/p", "title": text}},
    "path": lambda text: {"page": {"url": f"{ORIGIN}/{text}"}},
    "host": lambda text: {"page": {"url": f"https://{squeezed(text)}.example/p"}},
    "referrer": lambda text: {"page": {"url": f"{ORIGIN}/p", "referrer": f"https://{text}/x"}},
    "tag-value": lambda text: {"tags": {"t": text}},
    "tag-key": lambda text: {"tags": {text: 1}},
    "email": lambda text: {"email": f"{squeezed(text)}@example.com"},
    "locale": lambda text: {"locale": text},
    "event-id": lambda text: {"event_id": text},
    "phase": lambda text: {"phase": text},
    "metric": lambda text: {"metric": text},
    "honeypot": lambda text: {"hp": text},
}

#: Bodies no corpus text makes: numbers JSON allows but databases may not, surrogates.
VALID = '"metric":"csat","score":4,"page":{"url":"https://shop.example/p"}'
RAW_BODIES = {
    "tag-1e400": f'{{{VALID},"tags":{{"n":1e400}}}}'.encode(),
    "tag-2**70": f'{{{VALID},"tags":{{"n":{2**70}}}}}'.encode(),
    "tag-10**400": f'{{{VALID},"tags":{{"n":{10**400}}}}}'.encode(),
    "tag-minus-zero": f'{{{VALID},"tags":{{"n":-0.0}}}}'.encode(),
    "tag-tiny": f'{{{VALID},"tags":{{"n":5e-324}}}}'.encode(),
    "tag-nan": f'{{{VALID},"tags":{{"n":NaN}}}}'.encode(),
    "tag-nested": f'{{{VALID},"tags":{{"n":{"[" * 500}{"]" * 500}}}}}'.encode(),
    "unknown-nested": f'{{{VALID},"x":{"[" * 3000}{"]" * 3000}}}'.encode(),
    "score-huge": f"{{{VALID.replace(':4,', f':{10**30},')}}}".encode(),
    "escaped-surrogate": f'{{{VALID},"comment":"a\\ud800b"}}'.encode(),
    "escaped-pair": f'{{{VALID},"comment":"a\\ud83d\\ude00b"}}'.encode(),
    "escaped-nul": (
        f'{{{VALID},"comment":"a\\u0000b","page":{{"url":"{ORIGIN}/p","title":"\\u0000"}}}}'
    ).encode(),
    "raw-surrogate-bytes": f'{{{VALID},"comment":"a'.encode() + b'\xed\xa0\x80b"}',
    "idn-page": f'{{{VALID},"page":{{"url":"https://BÜCHER.example/p"}}}}'.encode(),
    "idn-page-ascii": f'{{{VALID},"page":{{"url":"https://xn--bcher-kva.example/p"}}}}'.encode(),
    "utf-16": json.dumps({"metric": "csat", "score": 4, "page": {"url": f"{ORIGIN}/p"}}).encode(
        "utf-16"
    ),
}

#: Query strings' raw forms for texts no percent-encoded UTF-8 can carry.
RAW_QUERY_VALUES = {"surrogate-bytes": "%ED%A0%80", "nul": "%00", "bad-utf8": "%FF%FE"}
#: One page's path in every spelling a browser or a person may send, and paths that must stay
#: apart from it and from one another; all on `ORIGIN`, whose URL prefix is 20 characters.
PATH_SPELLINGS = {
    "raw": "/café/1",
    "upper": "/caf%C3%A9/1",
    "lower": "/caf%c3%a9/1",
    "mixed": "/caf%c3%A9/1",
    "nfd": "/cafe\u0301/1",
    "nfd-escaped": "/cafe%cc%81/1",
    "slash": "/a%2fb",
    "slash-plain": "/a/b",
    "question": "/a%3fb",
    "percent": "/100%25",
    "nul": "/a%00b",
    "space": "/a%20b",
    "bad-utf8": "/x%ff%c3%28%e2%82",
    "surrogate": "/x%ed%a0%80",
    "fits-decoded": "/" + "%c3%a9" * 2027,
    "over-decoded": "/" + "%C3%A9" * 2028,
}
#: The phase rules of the site the spellings are sent to: a glob typed escaped.
PATH_RULES = [{"match": "/caf%c3%a9/*", "phase": "conversion"}]
#: What an answer says that depends on when and in which order it was stored, or on chance.
VOLATILE = ("id", "received_at", "site_key")


def readable(answer) -> tuple:
    """Return an answer as an outcome: its status and its JSON body (or its text)."""
    if answer.is_json:
        return answer.status_code, answer.get_json()
    return answer.status_code, answer.get_data(as_text=True)


def without_volatile(item: dict) -> dict:
    """Return a stored response without what differs between two runs."""
    return {key: value for key, value in item.items() if key not in VOLATILE}


class Run:
    """The corpus sent through every endpoint of one app; `outcomes` maps inputs to answers."""

    def __init__(self, client, headers):
        self.client = client
        self.headers = headers
        self.outcomes: dict[str, tuple] = {}
        self.site = create_site(
            name="Parity",
            allowed_origins=[ORIGIN, "https://xn--bcher-kva.example"],
            collect_email=True,
        )

    def newest(self) -> dict:
        """Return the newest stored response of the run's site, as the admin API reads it."""
        items = self.admin("get", "/responses?limit=1")[1]["items"]
        return without_volatile(items[0])

    def admin(self, method: str, path: str, **kwargs) -> tuple:
        """Call the admin API for the run's site; return the outcome."""
        url = f"/api/v1/admin/sites/{self.site.key}{path}"
        return readable(self.client.open(url, method=method, headers=self.headers, **kwargs))

    def ingest(self, case: str, body: bytes) -> int | None:
        """Post one body; record its status and answer; return the stored id, if any."""
        answer = self.client.post(
            f"/api/v1/sites/{self.site.key}/responses",
            data=body,
            headers={"Content-Type": "text/plain", "Origin": ORIGIN},
        )
        status, payload = readable(answer)
        self.outcomes[f"ingest {case}"] = (status, without_volatile(payload))
        return payload.get("id") if status == 201 else None

    def send_ingest_corpus(self) -> None:
        """Send every text in every ingest field, and the raw bodies; read back what is stored."""
        cases = {}
        for field, place in INGEST_FIELDS.items():
            for name, text in CORPUS.items():
                payload = {"metric": "csat", "score": 4, "page": {"url": f"{ORIGIN}/p"}}
                payload.update(place(text))
                case = f"{field} {name}"
                cases[self.ingest(case, json.dumps(payload).encode())] = case
        for name, body in RAW_BODIES.items():
            cases[self.ingest(name, body)] = name
        for item in self.admin("get", "/responses?limit=500")[1]["items"]:
            self.outcomes[f"stored {cases[item['id']]}"] = (200, without_volatile(item))

    def query(self, case: str, path: str, name: str, text: str, key=None) -> None:
        """GET `path` with `name=text` (and raw byte forms); record status and body."""
        values = {**{n: quote(t, safe="") for n, t in CORPUS.items()}, **RAW_QUERY_VALUES}
        for label, value in values.items() if text is None else [("text", quote(text))]:
            status, body = self.admin("get", f"{path}{'&' if '?' in path else '?'}{name}={value}")
            self.outcomes[f"{case} {label}"] = (
                status,
                key(body) if key and status == 200 else body,
            )

    def send_admin_queries(self) -> None:
        """Filter, search, export and report with every text."""
        comments = lambda body: sorted(item["comment"] or "" for item in body["items"])  # noqa: E731
        self.query("list q", "/responses?limit=500", "q", None, comments)
        self.query("list path", "/responses?limit=500", "path", None, comments)
        self.query("list path-slash", "/responses?limit=500", "path", "/" + CORPUS["nfd"], comments)
        groups = lambda body: body["groups"]  # noqa: E731
        self.query("stats path", "/stats?metric=csat&group_by=page", "path", None, groups)
        moments = lambda body: body["moments"]  # noqa: E731
        self.query("moments path", "/moments?metric=csat&min_count=2", "path", None, moments)
        for kind in ("csv", "ndjson"):
            status, body = self.admin("get", f"/export?format={kind}")
            self.outcomes[f"export {kind}"] = (status, exported_rows(body, kind))

    def send_path_spellings(self) -> None:
        """Send every spelling of a path to a site with a phase rule; filter by each."""
        parity_site = self.site
        self.site = create_site(name="Paths", allowed_origins=[ORIGIN], phase_rules=PATH_RULES)
        try:
            self.query_path_spellings()
        finally:
            self.site = parity_site

    def query_path_spellings(self) -> None:
        """Send every spelling of a path to the run's site; list and report by some of them."""
        cases = {}
        for name, path in PATH_SPELLINGS.items():
            body = {"metric": "csat", "score": 4, "page": {"url": f"{ORIGIN}{path}"}}
            cases[self.ingest(f"spelling {name}", json.dumps(body).encode())] = name
        for item in self.admin("get", "/responses?limit=500")[1]["items"]:
            stored = {key: item[key] for key in ("page_url", "page_path", "phase", "phase_source")}
            self.outcomes[f"stored spelling {cases[item['id']]}"] = (200, stored)
        paths = lambda body: sorted(item["page_path"] for item in body["items"])  # noqa: E731
        groups = lambda body: body["groups"]  # noqa: E731
        for name in ("raw", "upper", "lower", "nfd", "slash", "percent", "bad-utf8"):
            path = PATH_SPELLINGS[name]
            self.query(f"spelling list {name}", "/responses?limit=500", "path", path, paths)
            stats = "/stats?metric=csat&group_by=page"
            self.query(f"spelling stats {name}", stats, "path", path, groups)

    def send_site_settings(self) -> None:
        """Create and change sites with every text in every setting; read them back."""
        for name, text in CORPUS.items():
            settings = {
                "name": {"name": text},
                "origin": {"allowed_origins": [f"https://{text}"]},
                "rule": {"phase_rules": [{"match": f"/{text}", "phase": "conversion"}]},
                "question": {"widget": {"questions": {"en": {"csat": text}}}},
                "label": {"widget": {"label": text}},
                "kept-param": {"keep_query_params": [text]},
            }
            for setting, change in settings.items():
                self.outcomes[f"site {setting} {name}"] = site_body(
                    self.admin("patch", "", json=change)
                )
            body = {**settings["name"], **settings["origin"]}
            created = self.client.post("/api/v1/admin/sites", json=body, headers=self.headers)
            self.outcomes[f"new site {name}"] = site_body(readable(created))
        # The site cache may still hold the settings from before the changes (by design, for
        # a few seconds): read them afresh, as every worker does once its copy expires.
        app_state().sites.forget(self.site.key)
        config = self.client.get(f"/api/v1/sites/{self.site.key}/config")
        self.outcomes["config"] = readable(config)

    def send_erasures(self) -> None:
        """Erase by every text's address, upper case first (which finds the stored address)."""
        for name, text in CORPUS.items():
            for case, address in ((" upper", text.upper()), ("", text)):
                answer = self.admin(
                    "post", "/erasure", json={"email": f"{squeezed(address)}@Example.com"}
                )
                self.outcomes[f"erasure {name}{case}"] = answer


def site_body(outcome: tuple) -> tuple:
    """Return a site answer without its random key, snippet and times."""
    status, body = outcome
    if status in (200, 201):
        body = {
            key: value
            for key, value in body.items()
            if key not in ("key", "snippet", "created_at", "updated_at")
        }
    return status, body


def exported_rows(body: str, kind: str) -> list:
    """Return exported rows without their ids and times, in a stable order."""
    if kind == "ndjson":
        # Split on newlines only: a comment may hold U+2028, which `splitlines` splits on.
        rows = [without_volatile(json.loads(line)) for line in body.split("\n") if line]
        return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
    # Each record without its id, time and site key (the first three columns).
    records = body.split("\r\n" if "\r\n" in body else "\n")
    return sorted(record.split(",", 3)[-1] for record in records)


def run_corpus(backend: str) -> dict[str, tuple]:
    """Send the whole corpus through an app on `backend`; return every outcome."""
    uri = "sqlite://" if backend == "sqlite" else postgres_uri()
    app = create_app(base_config(uri))
    with app.app_context():
        prepare_schema(backend)
        try:
            _, secret = create_token("parity")
            run = Run(app.test_client(), {"Authorization": f"Bearer {secret}"})
            run.send_ingest_corpus()
            run.send_admin_queries()
            run.send_path_spellings()
            run.send_site_settings()
            run.send_erasures()
            return run.outcomes
        finally:
            empty_tables(backend)
            db.engine.dispose()


@pytest.fixture(scope="module")
def corpus_outcomes():
    """Return a function giving the corpus' outcomes on a database, each run once."""
    runs: dict[str, dict] = {}

    def outcomes(backend: str) -> dict[str, tuple]:
        if backend not in runs:
            runs[backend] = run_corpus(backend)
        return runs[backend]

    return outcomes


def status_of(outcome: tuple) -> int:
    """Return the first status an outcome holds."""
    first = outcome[0]
    return first[0] if isinstance(first, tuple) else first


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_no_input_gets_a_server_error(corpus_outcomes, backend):
    outcomes = corpus_outcomes(backend)
    failed = {case: outcome for case, outcome in outcomes.items() if status_of(outcome) >= 500}
    assert failed == {}
    assert len(outcomes) > 400


def test_both_databases_answer_and_store_alike(corpus_outcomes):
    postgres_uri()  # skips (or fails, when services are required) without PostgreSQL
    sqlite, postgresql = corpus_outcomes("sqlite"), corpus_outcomes("postgresql")
    assert sqlite.keys() == postgresql.keys()
    differing = [case for case in sqlite if sqlite[case] != postgresql[case]]
    assert differing == [], {case: (sqlite[case], postgresql[case]) for case in differing[:3]}


def test_the_corpus_is_stored_and_refused_as_the_text_rules_say(corpus_outcomes):
    outcomes = corpus_outcomes("sqlite")

    def stored(case: str, column: str):
        return outcomes[f"stored {case}"][1][column]

    assert stored("comment nul", "comment") == "ab"
    assert stored("comment controls", "comment") == "a[31mbc"
    assert stored("comment nfd", "comment") == "Café Zürich"
    assert stored("title nfc-lengthens", "page_title") == "\u05e9\u05bc\u05c1" * 3
    assert stored("path nfd", "page_path") == "/Café Zürich"
    assert stored("path percent-nul", "page_path") == "/a%00b"
    assert stored("tag-value nfd", "tags") == {"t": "Café Zürich"}
    assert stored("email nfd", "email") == "CaféZürich@example.com"
    assert stored("referrer nul", "referrer_host") is None
    assert stored("tag-2**70", "tags") == {"n": 2**70}
    assert stored("idn-page", "page_url") == "https://xn--bcher-kva.example/p"
    for refused in ("path nul", "tag-value nul", "tag-value newlines", "host dutch", "tag-1e400"):
        assert outcomes[f"ingest {refused}"][0] == 422, refused
    for not_text in ("escaped-surrogate", "raw-surrogate-bytes", "tag-nan"):
        assert outcomes[f"ingest {not_text}"][0] == 400, not_text
    assert outcomes["list q dutch-upper"][1] == ["ÉÉN klacht", "één KLACHT over de bezorging"]
    assert outcomes["list q german-upper"][1] == ["STRASSE", "Straße gut, Größe übel"]
    assert outcomes["list q like-wildcards"][1] == ["100% _sure_ \\o/"]
    for erased in ("dutch", "nfd", "turkish-dotted", "arabic"):
        assert outcomes[f"erasure {erased} upper"] == (200, {"deleted": 1}), erased
        assert outcomes[f"erasure {erased}"] == (200, {"deleted": 0}), erased


def test_every_spelling_of_a_path_is_stored_filtered_and_phased_as_one(corpus_outcomes):
    outcomes = corpus_outcomes("sqlite")

    def stored(name: str) -> dict:
        return outcomes[f"stored spelling {name}"][1]

    one_page = ("raw", "upper", "lower", "mixed", "nfd", "nfd-escaped")
    for name in one_page:
        assert stored(name) == {
            "page_url": f"{ORIGIN}/café/1",
            "page_path": "/café/1",
            "phase": "conversion",
            "phase_source": "rule",
        }, name
    kept = {
        "slash": "/a%2Fb",
        "slash-plain": "/a/b",
        "question": "/a%3Fb",
        "percent": "/100%25",
        "nul": "/a%00b",
        "space": "/a%20b",
        "bad-utf8": "/x%FF%C3%28%E2%82",
        "surrogate": "/x%ED%A0%80",
        "fits-decoded": "/" + "é" * 2027,
    }
    for name, path in kept.items():
        assert stored(name)["page_path"] == path, name
        assert stored(name)["phase"] is None, name
    assert outcomes["ingest spelling over-decoded"][0] == 422
    for name in ("raw", "upper", "lower", "nfd"):
        assert outcomes[f"spelling list {name} text"] == (200, ["/café/1"] * len(one_page)), name
        stats = outcomes[f"spelling stats {name} text"]
        assert stats[0] == 200, name
        assert [(group["key"], group["count"]) for group in stats[1]] == [("/café/1", 6)], name
    assert outcomes["spelling list slash text"] == (200, ["/a%2Fb"])
    assert outcomes["spelling list percent text"] == (200, ["/100%25"])
    assert outcomes["spelling list bad-utf8 text"] == (200, ["/x%FF%C3%28%E2%82"])
