"""CSV exports: the cards, or the KPI samples, as one flat table (the import's format).
UTF-8 with a byte-order mark, so Excel opens accented text correctly."""

from __future__ import annotations

import csv
import io

from journeydata import tables
from journeydata.exports.content import BoardContent


def export_csv(content: BoardContent, *, what: str) -> bytes:
    columns, rows = (
        (tables.SAMPLE_COLUMNS, content.sample_rows())
        if what == "samples"
        else (tables.CARD_COLUMNS, content.card_rows())
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(tables.headers(columns))
    writer.writerows(
        ["" if value is None else tables.guard_formula(value) for value in row] for row in rows
    )
    return buffer.getvalue().encode("utf-8-sig")
