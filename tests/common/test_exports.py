"""CSV and XLSX downloads: formula-safe cells in both, the Chinese readable."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.exports import csv_response, safe_cell, xlsx_bytes, xlsx_response

HOSTILE = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_cell_that_would_be_a_formula_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-12.50", "-3", "戴尔 XPS", "", "a=b"])
def test_plain_text_and_negative_numbers_are_left_alone(text):
    assert safe_cell(text) == text


def test_quoting_twice_changes_nothing():
    assert safe_cell(safe_cell("=1")) == "'=1"


def _csv_text(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_csv_quotes_formulas_and_keeps_numbers_and_chinese():
    rows = [
        ["label", "count", "amount", "day"],
        ["=cmd|'/c calc'!A1", 3, Decimal("12.50"), dt.date(2026, 12, 1)],
        ["戴尔售后", -4, None, True],
    ]
    response = csv_response(rows, "报表.csv")
    text = _csv_text(response)
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines[1] == "'=cmd|'/c calc'!A1,3,12.50,2026-12-01"
    assert lines[2] == "戴尔售后,-4,,True"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=utf-8''%E6%8A%A5%E8%A1%A8.csv" in response["Content-Disposition"]


def test_the_csv_streams_a_generator():
    produced = []

    def rows():
        for n in range(3):
            produced.append(n)
            yield [n]

    response = csv_response(rows(), "n.csv")
    assert produced == []  # nothing built before the download is read
    assert _csv_text(response) == "\ufeff0\r\n1\r\n2\r\n"


def test_the_xlsx_keeps_types_and_quotes_formulas():
    aware = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    rows = [
        ["label", "count", "amount", "at"],
        ["=1+1", 7, Decimal("2.50"), aware],
        ["微博\x00控制字符", -1, None, dt.date(2026, 1, 2)],
        ["x" * 40_000, 0, 0.5, None],
    ]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(rows, sheet="Report")))
    sheet = workbook["Report"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["label", "count", "amount", "at"]
    assert values[1][0] == "'=1+1"
    assert sheet.cell(row=2, column=1).data_type == "s"  # text, not a formula
    assert values[1][1:3] == [7, 2.5]
    assert values[1][3] == dt.datetime(2026, 12, 1, 1, 30)  # UTC wall time
    assert values[2][0] == "微博控制字符"  # control characters dropped, not refused
    assert values[2][3] == dt.datetime(2026, 1, 2)
    assert len(values[3][0]) == 32_767


def test_the_xlsx_download_is_named_and_typed():
    response = xlsx_response([["a"], ["b"]], "report.xlsx")
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert response["Content-Disposition"] == 'attachment; filename="report.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).active["A2"].value == "b"
