"""Export: CSV and NDJSON columns, formula guard, quoting, filters, streaming, both databases."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from conftest import base_config, empty_tables, postgres_uri, prepare_schema
from sqlalchemy import event, insert, text

from server import create_app
from server.extensions import db
from server.insight.export import COLUMNS, stream_export
from server.insight.export_query import export_query, sqlite_csv_query
from server.insight.themes import THEME_BITS
from server.models import Response

RECEIVED = datetime(2026, 11, 16, 8, 30, 5, 123456, tzinfo=UTC)

FULL = {
    "metric": "nps",
    "score": 9,
    "phase": "conversion",
    "phase_source": "rule",
    "page_url": "https://shop.example/checkout?step=2",
    "page_path": "/checkout",
    "page_title": 'Pay "now", please',
    "referrer_host": "search.example",
    "locale": "nl-NL",
    "device": "mobile",
    "comment": "Héél fijn 👍\nline two, with a comma",
    "email": "ann@example.com",
    "tags": {"plan": "pro", "b2b": True, "seats": 12, "ratio": 1.5, "note": 'tab\there "q"'},
    "event_id": "6f1c1b8e-2a4c-4e0b-9a57-0c2c3c1f7a10",
}


def export_text(site, filters=None, fmt="csv") -> str:
    """Return the whole export of `site` as one string."""
    return "".join(stream_export(site, filters or {}, fmt))


def csv_rows(text: str) -> list[dict]:
    """Parse CSV text into dicts keyed by the header."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def ndjson_records(text: str) -> list[dict]:
    """Parse NDJSON text into objects."""
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def full_response(site, make_response):
    """Store one response with every column filled."""
    return make_response(site, received_at=RECEIVED, **FULL)


def test_csv_has_the_columns_in_order_and_formats_every_value(app, site, full_response):
    text = export_text(site)
    header, _ = text.split("\n", 1)
    assert header == ",".join(COLUMNS)
    (row,) = csv_rows(text)
    assert row == {
        "id": str(full_response.id),
        "received_at": "2026-11-16T08:30:05.123456Z",
        "site_key": site.key,
        "metric": "nps",
        "score": "9",
        "phase": "conversion",
        "phase_source": "rule",
        "page_url": "https://shop.example/checkout?step=2",
        "page_path": "/checkout",
        "page_title": 'Pay "now", please',
        "referrer_host": "search.example",
        "locale": "nl-NL",
        "device": "mobile",
        "comment": "Héél fijn 👍\nline two, with a comma",
        "email": "ann@example.com",
        "tags": '{"b2b":true,"note":"tab\\there \\"q\\"","plan":"pro","ratio":1.5,"seats":12}',
        "event_id": "6f1c1b8e-2a4c-4e0b-9a57-0c2c3c1f7a10",
        "themes": "",
        "reasons": "",
        "status": "new",
        "note": "",
    }


def test_csv_uses_one_line_ending_and_quotes_per_rfc_4180(app, site, full_response):
    text = export_text(site)
    assert "\r" not in text
    assert '"Pay ""now"", please"' in text
    assert '"Héél fijn 👍\nline two, with a comma"' in text
    # One header and one record, the record spanning two physical lines.
    assert text.count("\n") == 3


def test_nulls_are_empty_fields(app, site, make_response):
    make_response(site, "thumbs", 0, received_at=RECEIVED, page_path="/a")
    text = export_text(site)
    line = text.split("\n")[1]
    assert line.endswith(",/a,,,,,,,,,,,new,")
    assert ndjson_records(export_text(site, fmt="ndjson"))[0]["comment"] is None


GUARDED = ("comment", "email", "page_title", "referrer_host", "event_id")


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_guard_prefixes_risky_cells(app, site, make_response, prefix):
    values = {column: f"{prefix}SUM(A1:A9) {column}" for column in GUARDED}
    make_response(site, received_at=RECEIVED, **values)
    (row,) = csv_rows(export_text(site))
    assert {column: row[column] for column in GUARDED} == {
        column: "'" + value for column, value in values.items()
    }
    (record,) = ndjson_records(export_text(site, fmt="ndjson"))
    assert {column: record[column] for column in GUARDED} == values


@pytest.mark.parametrize("value", ["a=1", "x+y", "'quoted", " =spaced", "mail+tag@example.com"])
def test_formula_guard_leaves_other_cells_alone(app, site, make_response, value):
    make_response(site, received_at=RECEIVED, comment=value)
    (row,) = csv_rows(export_text(site))
    assert row["comment"] == value


def test_ndjson_has_raw_values_and_sorted_tags(app, site, full_response):
    (record,) = ndjson_records(export_text(site, fmt="ndjson"))
    assert list(record) == list(COLUMNS)
    assert record["id"] == full_response.id
    assert record["score"] == 9
    assert record["received_at"] == "2026-11-16T08:30:05.123456Z"
    assert list(record["tags"]) == ["b2b", "note", "plan", "ratio", "seats"]
    assert record["tags"] == FULL["tags"]
    assert record["comment"] == FULL["comment"]


def as_csv_cell(name: str, value) -> str:
    """Return how the CSV writes a raw NDJSON value."""
    if value is None:
        return ""
    if name == "tags":
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    if name in ("themes", "reasons"):
        return ";".join(value)
    return str(value)


def test_ndjson_matches_csv(app, site, make_response, full_response):
    make_response(site, "ces", 3, received_at=RECEIVED, comment="meh", tags={"z": 1, "a": 2})
    make_response(site, "csat", 5, received_at=RECEIVED, locale="en", tags={})
    rows = csv_rows(export_text(site))
    records = ndjson_records(export_text(site, fmt="ndjson"))
    assert len(rows) == len(records) == 3
    for row, record in zip(rows, records, strict=True):
        assert row == {name: as_csv_cell(name, value) for name, value in record.items()}


def test_themes_are_the_union_and_reasons_the_visitors_own(app, site, make_response):
    reported = THEME_BITS["waiting"] | THEME_BITS["returns"]
    make_response(site, received_at=RECEIVED, themes=THEME_BITS["speed"], reasons=reported)
    make_response(site, received_at=RECEIVED, reasons=THEME_BITS["speed"])
    rows = csv_rows(export_text(site))
    assert [(row["themes"], row["reasons"]) for row in rows] == [
        ("speed;returns;waiting", "returns;waiting"),
        ("speed", "speed"),
    ]
    records = ndjson_records(export_text(site, fmt="ndjson"))
    assert [(record["themes"], record["reasons"]) for record in records] == [
        (["speed", "returns", "waiting"], ["returns", "waiting"]),
        (["speed"], ["speed"]),
    ]
    assert list(COLUMNS[-4:-2]) == ["themes", "reasons"]


def test_rows_come_out_by_id(app, site, make_response):
    later = make_response(site, received_at=datetime(2026, 11, 20, tzinfo=UTC))
    earlier = make_response(site, received_at=datetime(2026, 11, 1, tzinfo=UTC))
    ids = [int(row["id"]) for row in csv_rows(export_text(site))]
    assert ids == [later.id, earlier.id]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["a", "b", "c", "d"]),
        ({"metric": "nps"}, ["c", "d"]),
        ({"phase": "loyalty"}, ["b"]),
        ({"phase": "unknown"}, ["a", "d"]),
        ({"path": "/p"}, ["a", "c"]),
        ({"start": datetime(2026, 11, 2, tzinfo=UTC)}, ["b", "c", "d"]),
        ({"end": datetime(2026, 11, 3, tzinfo=UTC)}, ["a", "b"]),
    ],
)
def test_filters_narrow_the_export(app, site, make_site, make_response, filters, expected):
    make_response(site, "csat", 4, comment="a", page_path="/p", received_at=at_day(1))
    make_response(site, "csat", 4, comment="b", phase="loyalty", received_at=at_day(2))
    make_response(
        site, "nps", 9, comment="c", phase="advocacy", page_path="/p", received_at=at_day(3)
    )
    make_response(site, "nps", 1, comment="d", received_at=at_day(4))
    make_response(make_site(name="Other"), "csat", 1, comment="other", received_at=at_day(1))
    for fmt in ("csv", "ndjson"):
        text = export_text(site, filters, fmt)
        records = csv_rows(text) if fmt == "csv" else ndjson_records(text)
        assert [record["comment"] for record in records] == expected


def at_day(day: int) -> datetime:
    """Return noon UTC on a day of November 2026."""
    return datetime(2026, 11, day, 12, tzinfo=UTC)


def test_empty_export_is_a_header_or_nothing(app, site):
    assert export_text(site) == ",".join(COLUMNS) + "\n"
    assert export_text(site, fmt="ndjson") == ""


def test_unknown_format_is_refused(app, site):
    with pytest.raises(ValueError, match="format"):
        stream_export(site, {}, "pdf")


# The endpoint.


def export_url(site, **query) -> str:
    """Return the export URL of `site` with `query`."""
    from urllib.parse import urlencode

    return f"/api/v1/admin/sites/{site.key}/export?{urlencode(query)}"


@pytest.mark.parametrize(
    ("query", "content_type", "extension"),
    [
        ({}, "text/csv; charset=utf-8", "csv"),
        ({"format": "csv"}, "text/csv; charset=utf-8", "csv"),
        ({"format": "ndjson"}, "application/x-ndjson", "ndjson"),
    ],
)
def test_endpoint_streams_an_attachment(
    client, site, full_response, make_token, query, content_type, extension
):
    headers = make_token(site=site, read_only=True)
    response = client.get(export_url(site, **query), headers=headers)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.headers["Content-Type"] == content_type
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="touchpoint-{site.key}-{today}.{extension}"'
    )
    body = response.get_data(as_text=True)
    assert body == export_text(site, fmt=extension)
    assert str(full_response.event_id) in body


def test_endpoint_applies_filters(client, site, make_response, admin_headers):
    make_response(site, "csat", 5, comment="kept", received_at=at_day(5))
    make_response(site, "csat", 5, comment="dropped", received_at=at_day(9))
    url = export_url(site, format="ndjson", **{"from": "2026-11-05", "to": "2026-11-06"})
    records = ndjson_records(client.get(url, headers=admin_headers).get_data(as_text=True))
    assert [record["comment"] for record in records] == ["kept"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"from": "soon"}, "from"),
        ({"metric": "stars"}, "metric"),
        ({"phase": "purchase"}, "phase"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "from"),
    ],
)
def test_endpoint_refuses_bad_queries(client, site, admin_headers, query, field):
    response = client.get(export_url(site, **query), headers=admin_headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_endpoint_needs_a_token_for_that_site(client, site, make_site, make_token):
    assert client.get(export_url(site)).status_code == 401
    other = make_token(site=make_site(name="Other"))
    assert client.get(export_url(site), headers=other).status_code == 404


# SQLite and PostgreSQL write the same bytes for the same rows.

TRICKY = [
    {"comment": None, "tags": None, "email": None},
    {"comment": "", "page_title": "", "tags": {}},
    {"comment": 'He said "hi",\nthen left', "tags": {"k": 'a"b\\c\nd\u0001é'}},
    {"comment": "=1+1", "email": "-x@example.com", "page_title": "@home", "tags": {"n": -2}},
    {
        "comment": "\tindented",
        "locale": "zh-Hant-TW",
        "tags": {"f": 0.1, "big": 10**20, "t": False},
    },
    {"comment": "emoji 🎉 and ünïcödé — “curly”", "referrer_host": "bücher.example"},
    {"comment": "\\.", "page_title": "a,b", "tags": {"Z": 1, "a": 2, "_": 3, "0": 4}},
    {"comment": "trailing space ", "phase": None, "phase_source": None, "device": None},
    {"comment": "sloom", "themes": 1, "reasons": 0b110110},
    {"comment": "\rcarriage\rreturns\r\n", "page_title": "line\r\nbreak"},
    {"page_url": 'https://shop.example/a,b?q="x"', "page_path": "/a,b", "tags": {"s": "x,y"}},
]


def export_on(uri: str, backend: str, fmt: str) -> str:
    """Store the TRICKY rows on a fresh database at `uri`; return their export."""
    application = create_app(base_config(uri))
    with application.app_context():
        prepare_schema(backend)
        try:
            from server.sites.manage import create_site

            site = create_site("Parity", ["https://shop.example"])
            site.key = "pk_parity0000000000000000"
            for number, fields in enumerate(TRICKY, start=1):
                values = {**FULL, **fields}
                values["event_id"] = f"00000000-0000-4000-8000-{number:012d}"
                received = RECEIVED.replace(microsecond=number * 7)
                db.session.add(Response(id=number, site=site, received_at=received, **values))
            db.session.commit()
            return export_text(site, fmt=fmt)
        finally:
            empty_tables(backend)
            db.engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_sqlite_and_postgresql_exports_are_identical(fmt):
    postgres = export_on(postgres_uri(), "postgresql", fmt)
    sqlite = export_on("sqlite://", "sqlite", fmt)
    assert sqlite.encode() == postgres.encode()
    assert f"00000000-0000-4000-8000-{len(TRICKY):012d}" in sqlite


def test_abandoned_export_gives_its_connection_back(app, site):
    rows = [
        {"site_id": site.id, "metric": "csat", "score": 4, "received_at": RECEIVED}
        | {"page_url": "https://shop.example/", "page_path": "/", "comment": "x" * 200}
        for _ in range(3000)
    ]
    db.session.execute(insert(Response), rows)
    db.session.commit()
    returned = []
    event.listen(db.engine, "checkin", lambda *args: returned.append(True))
    for fmt in ("csv", "ndjson"):
        chunks = stream_export(site, {}, fmt)
        assert next(chunks)
        returned.clear()
        chunks.close()  # what the server does when the client goes away
        assert returned == [True]
    assert len(csv_rows(export_text(site))) == 3000


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # SQLite's query plan
@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"start": datetime(2026, 1, 1, tzinfo=UTC)},
        {"start": datetime(2026, 1, 1, tzinfo=UTC), "end": datetime(2027, 1, 1, tzinfo=UTC)},
        {"end": datetime(2027, 1, 1, tzinfo=UTC), "status": "new", "metric": "nps"},
    ],
)
def test_sqlite_reads_the_export_by_id_without_sorting_it_first(app, site, filters):
    # A sort over the whole filtered set would hold back the first row until every row
    # was read: the plan must walk the rows in id order instead.
    for query in (sqlite_csv_query(site, filters), export_query(site, filters, "sqlite", "ndjson")):
        compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        plan = [row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
        assert not any("TEMP B-TREE" in step for step in plan), plan
