"""The map as a PNG image for sharing: the same grid as the PDF, drawn with Pillow."""

from __future__ import annotations

import io
import textwrap

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from journeydata.exports import fonts
from journeydata.exports.content import BoardContent
from journeydata.exports.kpi_text import kpi_line
from journeydata.exports.pdf import CARD_COLOURS

LANE_WIDTH = 180
STAGE_WIDTH = 240
PADDING = 8
LINE_HEIGHT = 18
TITLE_HEIGHT = 48
HEADER_FILL = "#DDE7F0"
GRID = "#9AA5B1"
# Past this many pixels a side the picture stops being useful and starts costing memory.
MAX_SIDE = 16_000


def _wrap(text: str, width: int = 28) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, width) or [""]
    return lines


def export_png(content: BoardContent) -> bytes:
    regular = ImageFont.truetype(str(fonts.REGULAR), 13)
    bold = ImageFont.truetype(str(fonts.BOLD), 14)
    title_font = ImageFont.truetype(str(fonts.BOLD), 22)
    # Each cell: the wrapped lines of its cards, to size the rows before drawing.
    cells = [
        [[_wrap(card["text"]) for card in content.cell(stage, lane)] for stage in content.stages]
        for lane in content.lanes
    ]
    kpi_cells = [
        [line for kpi in content.kpis_of_stage(stage) for line in _wrap(kpi_line(kpi))]
        for stage in content.stages
    ]

    def cell_height(cards: list[list[str]]) -> int:
        return sum(len(lines) * LINE_HEIGHT + 2 * PADDING for lines in cards) + PADDING

    header_height = 2 * PADDING + 2 * LINE_HEIGHT
    row_heights = [
        max([LINE_HEIGHT * 2 + 2 * PADDING, *(cell_height(cards) for cards in row)])
        for row in cells
    ]
    kpi_height = max(
        [LINE_HEIGHT + 2 * PADDING, *(len(k) * LINE_HEIGHT + 2 * PADDING for k in kpi_cells)]
    )
    width = min(LANE_WIDTH + STAGE_WIDTH * len(content.stages) + 1, MAX_SIDE)
    height = min(TITLE_HEIGHT + header_height + sum(row_heights) + kpi_height + 1, MAX_SIDE)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((PADDING, PADDING), content.title, font=title_font, fill="black")

    def box(x: int, y: int, w: int, h: int, fill: str) -> None:
        draw.rectangle([x, y, x + w, y + h], fill=fill, outline=GRID)

    def lines_at(x: int, y: int, lines: list[str], font: ImageFont.FreeTypeFont) -> None:
        for index, line in enumerate(lines):
            draw.text((x, y + index * LINE_HEIGHT), line, font=font, fill="black")

    top = TITLE_HEIGHT
    box(0, top, LANE_WIDTH, header_height, HEADER_FILL)
    lines_at(PADDING, top + PADDING, [_("Lane")], bold)
    for index, stage in enumerate(content.stages):
        x = LANE_WIDTH + index * STAGE_WIDTH
        box(x, top, STAGE_WIDTH, header_height, HEADER_FILL)
        lines_at(x + PADDING, top + PADDING, _wrap(stage["title"], 24)[:2], bold)
    y = top + header_height
    for lane, row, row_height in zip(content.lanes, cells, row_heights, strict=True):
        box(0, y, LANE_WIDTH, row_height, HEADER_FILL)
        lines_at(PADDING, y + PADDING, _wrap(lane["title"], 18), bold)
        for index, (stage, cards) in enumerate(zip(content.stages, row, strict=True)):
            x = LANE_WIDTH + index * STAGE_WIDTH
            box(x, y, STAGE_WIDTH, row_height, "white")
            card_y = y + PADDING
            for card, lines in zip(content.cell(stage, lane), cards, strict=True):
                card_height = len(lines) * LINE_HEIGHT + PADDING
                fill = CARD_COLOURS.get(card["color"], "#FFFFFF")
                draw.rectangle(
                    [x + PADDING, card_y, x + STAGE_WIDTH - PADDING, card_y + card_height],
                    fill=fill,
                )
                lines_at(x + 2 * PADDING, card_y + PADDING // 2, lines, regular)
                card_y += card_height + PADDING
        y += row_height
    box(0, y, LANE_WIDTH, kpi_height, HEADER_FILL)
    lines_at(PADDING, y + PADDING, [_("KPIs")], bold)
    for index, lines in enumerate(kpi_cells):
        x = LANE_WIDTH + index * STAGE_WIDTH
        box(x, y, STAGE_WIDTH, kpi_height, "white")
        lines_at(x + PADDING, y + PADDING, lines, regular)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
