"""The typeface of the PDF and PNG exports: Bitstream Vera, shipped inside reportlab, so the
exports render accented text the same on every machine with no system fonts installed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
REGULAR = FONT_DIR / "Vera.ttf"
BOLD = FONT_DIR / "VeraBd.ttf"


@cache
def pdf_fonts() -> tuple[str, str]:
    """Register the fonts with reportlab once; their names for styles."""
    pdfmetrics.registerFont(TTFont("JourneymapVera", str(REGULAR)))
    pdfmetrics.registerFont(TTFont("JourneymapVeraBold", str(BOLD)))
    return "JourneymapVera", "JourneymapVeraBold"
