"""The flat tables journey data travels in (spreadsheet sheets and CSV files): their columns,
headers in the reader's language, and how cell text maps to op arguments and back.

Exports write these tables; imports read them. A table is recognised by its header row, in
English or French, so a sheet renamed or re-ordered by a practitioner still imports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from boards.models import CardColor, Channel, LaneKind, TouchpointState
from journeydata.models import MetricKind

LANGUAGES = ("en", "fr")


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise


CARD_COLUMNS = (
    Column("stage", _("Stage")),
    Column("lane", _("Lane")),
    Column("lane_kind", _("Lane kind")),
    Column("text", _("Text")),
    Column("color", _("Colour")),
    Column("emotion_score", _("Emotion score")),
    Column("channel", _("Channel")),
    Column("brand_controlled", _("Controlled by the brand")),
    Column("touchpoint_state", _("Observed or desired")),
    Column("moment_of_truth", _("Moment of truth")),
)
SAMPLE_COLUMNS = (
    Column("stage", _("Stage")),
    Column("card", _("Touchpoint card")),
    Column("kind", _("KPI")),
    Column("name", _("Name")),
    Column("unit", _("Unit")),
    Column("scale", _("Scale")),
    Column("value", _("Value")),
    Column("answers", _("Answers")),
    Column("date", _("Date")),
    Column("source", _("Source")),
)
PERSONA_COLUMNS = (
    Column("persona", _("Persona")),
    Column("role", _("Role or segment")),
    Column("demographics", _("Demographics")),
    Column("goals", _("Goals")),
    Column("needs", _("Needs")),
    Column("frustrations", _("Frustrations")),
    Column("behaviours", _("Behaviours")),
    Column("quote", _("Quote")),
)
STAGE_COLUMNS = (Column("stage", _("Stage")), Column("description", _("Description")))
LANE_COLUMNS = (Column("lane", _("Lane")), Column("lane_kind", _("Lane kind")))

# What tells each table apart: the columns it must have, and one of which it needs. (The KPI
# summary sheet of an export has a KPI and a date too, but no value or answers: it is skipped.)
TABLES: dict[str, tuple[tuple[Column, ...], frozenset[str], frozenset[str]]] = {
    "cards": (CARD_COLUMNS, frozenset({"text"}), frozenset({"stage", "lane"})),
    "samples": (SAMPLE_COLUMNS, frozenset({"kind", "date"}), frozenset({"value", "answers"})),
    "personas": (PERSONA_COLUMNS, frozenset({"persona"}), frozenset({"persona"})),
    # Checked after the cards, which have a stage and a lane kind too.
    "stages": (STAGE_COLUMNS, frozenset({"stage", "description"}), frozenset({"stage"})),
    "lanes": (LANE_COLUMNS, frozenset({"lane", "lane_kind"}), frozenset({"lane"})),
}

CHOICES: dict[str, Any] = {
    "lane_kind": LaneKind,
    "color": CardColor,
    "channel": Channel,
    "touchpoint_state": TouchpointState,
    "kind": MetricKind,
}


def normalise(text: object) -> str:
    """Header and choice matching ignores case, accents, spaces and punctuation."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def in_every_language(label: Promise) -> set[str]:
    names = set()
    for language in LANGUAGES:
        with translation.override(language):
            names.add(normalise(str(label)))
    return names


def header_keys(columns: Iterable[Column], header: list[object]) -> dict[int, str]:
    """Which column of the header row holds which key (unknown headers are ignored)."""
    lookup = {}
    for column in columns:
        for name in in_every_language(column.label) | {normalise(column.key)}:
            lookup[name] = column.key
    return {
        index: lookup[normalise(cell)]
        for index, cell in enumerate(header)
        if cell is not None and normalise(cell) in lookup
    }


def table_kind(header: list[object]) -> str | None:
    for kind, (columns, required, one_of) in TABLES.items():
        found = set(header_keys(columns, header).values())
        if required <= found and found & one_of:
            return kind
    return None


def headers(columns: Iterable[Column]) -> list[str]:
    return [str(column.label) for column in columns]


def choice_label(key: str, value: str) -> str:
    if not value:
        return ""
    choices = CHOICES[key]
    return str(choices(value).label) if value in choices.values else value


def choice_value(key: str, text: str) -> str | None:
    """A choice from its value or its label in either language; None when it is none."""
    wanted = normalise(text)
    for value, label in CHOICES[key].choices:
        if wanted == normalise(value) or wanted in in_every_language(label):
            return value
    return None


YES = {"yes", "oui", "true", "vrai", "1", "x"}
NO = {"no", "non", "false", "faux", "0"}


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return str(_("yes") if value else _("no"))


def parse_yes_no(text: str) -> bool | str | None:
    """True, False, None for an empty cell, or the text back when it is not a yes or a no."""
    wanted = normalise(text)
    if not wanted:
        return None
    if wanted in YES | in_every_language(_("yes")):
        return True
    if wanted in NO | in_every_language(_("no")):
        return False
    return text


def format_answers(counts: dict[str, int]) -> str:
    """Answer counts as a cell: "10:120; 9:80; 3:15"."""
    return "; ".join(f"{answer}:{n}" for answer, n in counts.items())


def parse_answers(text: str) -> dict[str, int] | list[int] | None:
    """Counts ("10:120; 9:80") or raw answers ("10 9 9 3"); None when it is neither."""
    text = text.strip()
    if ":" in text:
        counts: dict[str, int] = {}
        for part in re.split(r"[;,]", text):
            if not part.strip():
                continue
            answer, _sep, n = part.partition(":")
            if not answer.strip().lstrip("-").isdigit() or not n.strip().isdigit():
                return None
            counts[str(int(answer))] = counts.get(str(int(answer)), 0) + int(n)
        return counts
    parts = [part for part in re.split(r"[\s;,]+", text) if part]
    if not all(part.lstrip("-").isdigit() for part in parts):
        return None
    return [int(part) for part in parts]


PERCENT_UNITS = frozenset(
    {MetricKind.CONVERSION_RATE, MetricKind.DROP_OFF, MetricKind.SATISFACTION_RATE}
)


# A spreadsheet runs a cell that starts with one of these as a formula: exported text is
# guarded with a leading apostrophe (OWASP's advice for CSV), which imports take off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unguard_formula(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
