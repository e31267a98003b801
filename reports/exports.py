"""Every report table as a CSV or XLSX download, formula-safe.

Kept to this app until the shared export helper lands in ``common/``."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from coupons.webutils import csv_response, safe_cell

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """Numbers stay numbers; text is made formula-safe."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return safe_cell(value)


def xlsx_response(
    header: Sequence[str], rows: Iterable[Sequence], filename: str
) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("report")
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def table_response(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence], basename: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        return xlsx_response(header, rows, f"{basename}.xlsx")
    return csv_response(_csv_rows(header, rows), f"{basename}.csv")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    return safe_cell(value)


def _csv_rows(header: Sequence[str], rows: Iterable[Sequence]):
    yield [safe_cell(h) for h in header]
    for row in rows:
        yield [_csv_value(v) for v in row]
