"""The xlsx export: one sheet, CSV's columns, typed cells, never a formula, a row limit."""

import io
import json

import openpyxl
import pytest

from server.insight import export_xlsx
from server.insight.export_query import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HOSTILE_COMMENTS = [
    "=1+2",
    '=HYPERLINK("https://evil.example","click")',
    "+31 6 1234",
    "-5",
    "@SUM(A1:A2)",
    "\tindented",
    "Café ß 😀 قهوة",
    'two\nlines, a comma and a "quote"',
]


def read_sheet(data: bytes) -> list[list]:
    """Return every row of the only sheet of an xlsx file, checking no cell is a formula."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["responses"]
    sheet = workbook["responses"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type, cell.value)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def stored(site, make_response):
    """Store one response per hostile comment, with tags, themes and a missing title."""
    for index, comment in enumerate(HOSTILE_COMMENTS):
        make_response(
            site,
            "nps",
            index,
            comment=comment,
            tags={"plan": "=pro", "a": 1, "z": True},
            themes=0b101,
            locale="nl-NL",
        )
    return site


def export_url(site, **query) -> str:
    """Return the export URL of `site`."""
    parameters = "&".join(f"{name}={value}" for name, value in query.items())
    return f"/api/v1/admin/sites/{site.key}/export?{parameters}"


def test_the_workbook_holds_the_ndjson_values_as_typed_cells(client, stored, admin_headers):
    answer = client.get(export_url(stored, format="xlsx"), headers=admin_headers)
    assert answer.status_code == 200
    assert answer.content_type == XLSX
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="touchpoint-{stored.key}-')
    assert disposition.endswith('.xlsx"')
    rows = read_sheet(answer.data)
    ndjson = client.get(export_url(stored, format="ndjson"), headers=admin_headers)
    records = [json.loads(line) for line in ndjson.get_data(as_text=True).splitlines()]
    assert rows[0] == list(COLUMNS)
    assert len(rows) == 1 + len(HOSTILE_COMMENTS)
    for row, record in zip(rows[1:], records, strict=True):
        record["tags"] = json.dumps(record["tags"], sort_keys=True, separators=(",", ":"))
        record["themes"] = ";".join(record["themes"])
        record["reasons"] = ";".join(record["reasons"])
        assert row == list(record.values())
    assert [row[COLUMNS.index("comment")] for row in rows[1:]] == HOSTILE_COMMENTS
    assert rows[1][COLUMNS.index("tags")] == '{"a":1,"plan":"=pro","z":true}'
    assert rows[1][COLUMNS.index("page_title")] is None


def test_an_empty_export_is_a_header_row(client, site, admin_headers):
    answer = client.get(export_url(site, format="xlsx"), headers=admin_headers)
    assert read_sheet(answer.data) == [list(COLUMNS)]


def test_the_filters_narrow_the_workbook(client, stored, make_response, admin_headers):
    make_response(stored, "csat", 5, comment="only csat")
    answer = client.get(export_url(stored, format="xlsx", metric="csat"), headers=admin_headers)
    rows = read_sheet(answer.data)
    assert [row[COLUMNS.index("comment")] for row in rows[1:]] == ["only csat"]


def test_more_rows_than_a_sheet_holds_are_refused_pointing_to_csv(
    client, stored, admin_headers, monkeypatch
):
    # A real sheet holds 1,048,575 rows besides the header; the check is the same at any limit.
    monkeypatch.setattr(export_xlsx, "MAX_XLSX_ROWS", len(HOSTILE_COMMENTS))
    answer = client.get(export_url(stored, format="xlsx"), headers=admin_headers)
    assert answer.status_code == 200
    monkeypatch.setattr(export_xlsx, "MAX_XLSX_ROWS", len(HOSTILE_COMMENTS) - 1)
    answer = client.get(export_url(stored, format="xlsx"), headers=admin_headers)
    assert answer.status_code == 422
    body = answer.get_json()
    assert list(body["errors"]) == ["format"]
    assert "CSV" in body["errors"]["format"][0]
    # CSV has no such limit.
    assert client.get(export_url(stored), headers=admin_headers).status_code == 200


def test_the_limit_is_excels(app):
    assert export_xlsx.MAX_XLSX_ROWS == 2**20 - 1


def test_the_command_writes_the_workbook_to_stdout_as_bytes(app, runner, stored):
    result = runner.invoke(args=["export", "--site", stored.key, "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    rows = read_sheet(result.stdout_bytes)
    assert len(rows) == 1 + len(HOSTILE_COMMENTS)
    assert rows[1][COLUMNS.index("comment")] == "=1+2"


def test_the_command_refuses_too_many_rows_naming_format(runner, stored, monkeypatch):
    monkeypatch.setattr(export_xlsx, "MAX_XLSX_ROWS", 1)
    result = runner.invoke(args=["export", "--site", stored.key, "--format", "xlsx"])
    assert result.exit_code == 2
    assert "--format" in result.output and "CSV" in result.output
    assert "Traceback" not in result.output
