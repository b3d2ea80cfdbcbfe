"""The map as a PDF for sharing: title and goal, then the grid (stages across, lanes down,
cards in the cells, KPIs under the stages), then the personas."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A3, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from journeydata.exports.content import BoardContent
from journeydata.exports.fonts import pdf_fonts
from journeydata.exports.kpi_text import kpi_line

CARD_COLOURS = {
    "yellow": "#FFF3A3",
    "orange": "#FFD6A5",
    "red": "#FFADAD",
    "pink": "#FFC6E0",
    "purple": "#E0C3FC",
    "blue": "#BDE0FE",
    "teal": "#B8F2E6",
    "green": "#CAFFBF",
    "grey": "#E5E5E5",
    "white": "#FFFFFF",
}


def _paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def export_pdf(content: BoardContent) -> bytes:
    regular, bold = pdf_fonts()
    title = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22)
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    head = ParagraphStyle("head", fontName=bold, fontSize=10, leading=12)
    buffer = io.BytesIO()
    page = landscape(A3)
    document = SimpleDocTemplate(
        buffer, pagesize=page, title=content.title, leftMargin=12 * mm, rightMargin=12 * mm
    )
    story: list = [_paragraph(content.title, title), Spacer(1, 4 * mm)]
    goal = content.snapshot["board"]["goal"]
    if goal:
        story += [_paragraph(goal, body), Spacer(1, 4 * mm)]

    rows: list[list[object]] = [
        [_paragraph(_("Lane"), head), *(_paragraph(s["title"], head) for s in content.stages)]
    ]
    for lane in content.lanes:
        row: list[object] = [_paragraph(lane["title"], head)]
        for stage in content.stages:
            cards = content.cell(stage, lane)
            cell = [_paragraph(card["text"], body) for card in cards]
            row.append(
                Table([[p] for p in cell], colWidths=None, style=_cards_style(cards))
                if cell
                else ""
            )
        rows.append(row)
    rows.append(
        [
            _paragraph(_("KPIs"), head),
            *(
                _paragraph("\n".join(kpi_line(k) for k in content.kpis_of_stage(s)), body)
                for s in content.stages
            ),
        ]
    )
    width = page[0] - 24 * mm
    first = 35 * mm
    others = (width - first) / max(len(content.stages), 1)
    grid = Table(rows, colWidths=[first] + [others] * len(content.stages), repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#9AA5B1")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE7F0")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#DDE7F0")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(grid)
    if content.personas:
        story += [Spacer(1, 8 * mm), _paragraph(_("Personas"), title)]
        for persona in content.personas:
            lines = [persona["role"], persona["goals"], persona["frustrations"], persona["quote"]]
            story += [
                Spacer(1, 3 * mm),
                _paragraph(persona["name"], head),
                _paragraph("\n".join(line for line in lines if line), body),
            ]
    document.build(story)
    return buffer.getvalue()


def _cards_style(cards: list) -> TableStyle:
    return TableStyle(
        [
            *(
                (
                    "BACKGROUND",
                    (0, i),
                    (0, i),
                    colors.HexColor(CARD_COLOURS.get(c["color"], "#FFF")),
                )
                for i, c in enumerate(cards)
            ),
            ("BOX", (0, 0), (-1, -1), 0, colors.white),
            ("LINEBELOW", (0, 0), (-1, -1), 2, colors.white),
        ]
    )
