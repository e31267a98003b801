"""CSV and XLSX downloads whose cells are safe to open in a spreadsheet.

Social text is hostile: a cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or
carriage return) is a formula to Excel, LibreOffice and Numbers ("CSV injection").
Both writers quote such text cells with a leading apostrophe, which spreadsheets show
as plain text; numbers, dates and plain numeric strings are written as they are.

Rows are any iterable of lists (a generator is fine): CSV streams, XLSX is built in
openpyxl's write-only mode (constant memory per row) and sent when complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "-12.50" is a number a spreadsheet reads as one, not a formula: left alone.
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
# An XLSX cell holds at most 32,767 characters; longer text is cut, not refused.
XLSX_CELL_MAX = 32_767
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> str:
    """Text for a spreadsheet cell: a leading = + - @ (a formula) is quoted."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool included: True/False
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return safe_cell(value)


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        # XLSX has no time zones: the UTC wall time, said so in the column header.
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))
    return text[:XLSX_CELL_MAX]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV text, line by line, with a byte-order mark first so that spreadsheet
    programs read the Chinese correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    """Stream rows as a UTF-8 CSV download."""
    response = StreamingHttpResponse(
        csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1") -> bytes:
    """The rows as an XLSX workbook of one sheet."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(title=sheet[:31] or "Sheet1")
    for row in rows:
        worksheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    rows: Iterable[Sequence[Any]], filename: str, *, sheet: str = "Sheet1"
) -> HttpResponse:
    """The rows as an XLSX download."""
    response = HttpResponse(
        xlsx_bytes(rows, sheet=sheet), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
