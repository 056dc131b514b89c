"""How dates read on the page: each branch of date_span."""

from __future__ import annotations

import datetime as dt

import pytest

from briefpack.render.wording import date_span


def dates(*days: str) -> list[dt.date]:
    return [dt.date.fromisoformat(day) for day in days]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (dates("2025-10-23"), "23 October 2025"),
        (dates("2025-10-23", "2025-10-24"), "23–24 October 2025"),
        (dates("2025-10-23", "2025-10-24", "2025-10-25"), "23–25 October 2025"),
        (dates("2025-10-23", "2025-10-25"), "23 and 25 October 2025"),
        (dates("2026-03-09", "2026-03-02", "2026-03-04"), "2, 4 and 9 March 2026"),
        (dates("2025-09-30", "2025-10-02"), "30 September – 2 October 2025"),
        (dates("2025-12-30", "2026-01-02"), "30 December 2025 – 2 January 2026"),
    ],
    ids=[
        "one day",
        "two days in a row",
        "three days in a row",
        "two separate days of a month",
        "three separate days, given out of order",
        "across months",
        "across years",
    ],
)
def test_date_span_reads_as_people_write_dates(days: list[dt.date], expected: str) -> None:
    assert date_span(days) == expected
