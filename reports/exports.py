"""Every report table as a CSV or XLSX download (common.exports: formula-safe)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.http import HttpResponse, StreamingHttpResponse

from common.exports import csv_response, xlsx_response

FORMATS = ("csv", "xlsx")


def table_response(
    fmt: str, header: Sequence[str], rows: Iterable[Sequence], basename: str
) -> HttpResponse | StreamingHttpResponse:
    table = [list(header), *rows]
    if fmt == "xlsx":
        return xlsx_response(table, f"{basename}.xlsx", sheet=basename[:31])
    return csv_response(table, f"{basename}.csv")
