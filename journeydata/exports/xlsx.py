"""The board as an Excel workbook laid out like the practitioners' own template: a map sheet
with stages as columns, lanes as rows and the cards in the cells, the KPIs under the stages;
then flat sheets (cards, personas, KPIs, KPI samples) that import back into a board."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from journeydata import tables
from journeydata.exports.content import BoardContent
from journeydata.exports.kpi_text import kpi_label, kpi_line

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Excel refuses these in sheet names, and names past 31 characters.
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def _sheet_title(text: str) -> str:
    return text.translate(SHEET_NAME_FORBIDDEN)[:31]


def _as_text(sheet: Worksheet) -> None:
    """Text stays text: openpyxl would store "=..." as a formula that Excel runs on opening."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"


def _table(sheet: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    for row in rows:
        sheet.append(row)
    _as_text(sheet)
    for index, _name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 22
    sheet.freeze_panes = "A2"


def _map_sheet(sheet: Worksheet, content: BoardContent) -> None:
    sheet["A1"] = content.title
    sheet["A1"].font = Font(bold=True, size=14)
    header_row = 3
    sheet.cell(header_row, 1, _("Lane")).font = BOLD
    for column, stage in enumerate(content.stages, start=2):
        cell = sheet.cell(header_row, column, stage["title"])
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
        sheet.column_dimensions[get_column_letter(column)].width = 32
    sheet.column_dimensions["A"].width = 22
    row = header_row
    for row, lane in enumerate(content.lanes, start=header_row + 1):
        lane_cell = sheet.cell(row, 1, lane["title"])
        lane_cell.font, lane_cell.fill, lane_cell.alignment = BOLD, HEADER_FILL, WRAP
        for column, stage in enumerate(content.stages, start=2):
            texts = [card["text"] for card in content.cell(stage, lane)]
            if texts:
                sheet.cell(row, column, "\n\n".join(texts)).alignment = WRAP
    kpi_row = row + 1
    sheet.cell(kpi_row, 1, _("KPIs")).font = BOLD
    for column, stage in enumerate(content.stages, start=2):
        lines = [kpi_line(kpi) for kpi in content.kpis_of_stage(stage)]
        if lines:
            sheet.cell(kpi_row, column, "\n".join(lines)).alignment = WRAP
    sheet.freeze_panes = sheet.cell(header_row + 1, 2)
    _as_text(sheet)


def _kpi_rows(content: BoardContent) -> list[list[object]]:
    rows = []
    for kpi in content.kpis:
        card = content.card(kpi["card_id"])
        rows.append(
            [
                content.stage_title(card["stage_id"] if card else kpi["stage_id"]),
                card["text"] if card else "",
                kpi_label(kpi),
                kpi["value"],
                kpi["unit"],
                kpi["date"],
                kpi["responses"] or None,
                kpi["promoters"] or None,
                kpi["passives"] or None,
                kpi["detractors"] or None,
                kpi["satisfied_pct"],
                kpi["trend"],
                kpi["samples"],
            ]
        )
    return rows


def kpi_headers() -> list[str]:
    return [
        _("Stage"),
        _("Touchpoint card"),
        _("KPI"),
        _("Latest value"),
        _("Unit"),
        _("Date"),
        _("Number of answers"),
        _("Promoters"),
        _("Passives"),
        _("Detractors"),
        _("Satisfied share"),
        _("Trend"),
        _("Samples"),
    ]


def export_xlsx(content: BoardContent) -> bytes:
    workbook = Workbook()
    map_sheet = workbook.active
    map_sheet.title = _sheet_title(_("Journey map"))
    _map_sheet(map_sheet, content)
    sheets = [
        (_("Stages"), tables.headers(tables.STAGE_COLUMNS), content.stage_rows()),
        (_("Lanes"), tables.headers(tables.LANE_COLUMNS), content.lane_rows()),
        (_("Cards"), tables.headers(tables.CARD_COLUMNS), content.card_rows()),
        (_("Personas"), tables.headers(tables.PERSONA_COLUMNS), content.persona_rows()),
        (_("KPIs"), kpi_headers(), _kpi_rows(content)),
        (_("KPI samples"), tables.headers(tables.SAMPLE_COLUMNS), content.sample_rows()),
    ]
    for title, header, rows in sheets:
        _table(workbook.create_sheet(_sheet_title(title)), header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
