"""Write a site's export as an Excel workbook (xlsx) with memory that stays flat.

XlsxWriter in `constant_memory` mode writes each row to a temporary file as it comes and
zips the workbook into another temporary file at the end, which is then streamed. Every
cell is written as what it is, text or a number, never as a formula: a comment starting
with `=` is shown as typed, so the CSV's formula guard (a leading `'`) is not needed here.
"""

import tempfile
from collections.abc import Iterator

import xlsxwriter
from marshmallow import ValidationError
from sqlalchemy import select

from ..extensions import db
from ..models import Response
from .export_query import COLUMNS, THEME_SEPARATOR
from .filters import response_conditions

#: The rows a worksheet holds besides its header row (Excel's limit is 1,048,576 rows).
MAX_XLSX_ROWS = 1_048_575
TOO_MANY_ROWS = (
    f"More than {MAX_XLSX_ROWS:,} responses do not fit in one Excel sheet: "
    "export them as CSV (format=csv), or narrow the filters."
)
#: Bytes of the finished workbook sent per chunk.
CHUNK_BYTES = 64 * 1024
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def check_xlsx_fits(site, filters: dict) -> None:
    """Refuse (422 naming `format`) an export with more rows than one worksheet holds.

    Raised as a validation error so that the API and the dashboard answer it as they answer
    any refused query; the database stops reading at the first row beyond the limit.
    """
    beyond = (
        select(Response.id)
        .where(*response_conditions(site.id, filters))
        .offset(MAX_XLSX_ROWS)
        .limit(1)
    )
    if db.session.execute(beyond).first() is not None:
        raise ValidationError({"format": [TOO_MANY_ROWS]})


def cell_value(value):
    """Return what a cell holds for an export record's value: a number, text or None."""
    if isinstance(value, list):
        return THEME_SEPARATOR.join(value)
    return value


def write_rows(worksheet, records: Iterator[dict]) -> None:
    """Write the header and one row per record; text as text and numbers as numbers."""
    for column, name in enumerate(COLUMNS):
        worksheet.write_string(0, column, name)
    for row, record in enumerate(records, start=1):
        for column, value in enumerate(map(cell_value, record.values())):
            if value is None:
                continue
            if isinstance(value, str):
                worksheet.write_string(row, column, value)
            else:
                worksheet.write_number(row, column, value)


def stream_xlsx(records: Iterator[dict]) -> Iterator[bytes]:
    """Yield the bytes of a one-sheet workbook holding `records`, written as they are read."""
    with tempfile.TemporaryFile() as output:
        workbook = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
        write_rows(workbook.add_worksheet("responses"), records)
        workbook.close()
        output.seek(0)
        while chunk := output.read(CHUNK_BYTES):
            yield chunk
