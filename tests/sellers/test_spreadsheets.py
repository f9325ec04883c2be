"""The one CSV writer: Excel reads it as UTF-8 and runs no formula from it."""

import datetime
from decimal import Decimal

from sellers.spreadsheets import csv_response


def test_a_csv_for_excel_has_a_byte_order_mark_and_escapes_formulas():
    # given
    rows = [
        ["名称", "金额"],
        ["=1+1", Decimal("-3.50")],
        ["+86 138", None],
        ["@SUM(A1)", datetime.date(2026, 11, 20)],
        ["-2", 7],
    ]

    # when
    response = csv_response(rows, filename="x.csv")

    # then
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content == (
        b"\xef\xbb\xbf"
        + "名称,金额\r\n"
        "'=1+1,-3.50\r\n"
        "'+86 138,\r\n"
        "'@SUM(A1),2026-11-20\r\n"
        "'-2,7\r\n".encode()
    )


def test_a_streamed_csv_has_the_same_bytes():
    rows = [["名称"], ["=1+1"]]

    streamed = csv_response(iter(rows), filename="x.csv", stream=True)

    assert (
        b"".join(streamed.streaming_content)
        == csv_response(rows, filename="x.csv").content
    )
