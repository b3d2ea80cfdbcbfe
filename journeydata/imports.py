"""Importing cards, personas and KPI samples from CSV or .xlsx files.

A file is read into tables (a CSV is one; each sheet of a workbook is one), each recognised by
its header row (journeydata.tables). Every row becomes ops — creating the stages and lanes it
names when the board lacks them — checked with the ops' own argument validation, so the
preview reports each problem by row and column before anything is written. Applying runs the
ops through the write path in one transaction: all rows, or none.
"""

from __future__ import annotations

import csv
import datetime
import io
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from boards.models import Board, Card, Lane, LaneKind, Stage
from boards.ops import REGISTRY, OpError, apply_op
from boards.permissions import Actor
from journeydata import tables

# A workbook past this many rows in all is split by the user (the apply is one transaction).
MAX_ROWS = 5_000
DAY_FIRST_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y")


@dataclass(frozen=True)
class CellError:
    table: str
    row: int  # as the spreadsheet numbers it: the header is row 1 of a CSV
    column: str
    message: str


@dataclass
class PlannedOp:
    name: str
    args: dict[str, Any]
    table: str
    row: int


@dataclass
class ImportPlan:
    ops: list[PlannedOp] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    new_stages: list[str] = field(default_factory=list)
    new_lanes: list[str] = field(default_factory=list)

    def count(self, name: str) -> int:
        return sum(1 for op in self.ops if op.name == name)

    def preview(self) -> dict[str, Any]:
        return {
            "tables": self.tables,
            "new_stages": self.new_stages,
            "new_lanes": self.new_lanes,
            "cards": self.count("card.create"),
            "personas": self.count("persona.create"),
            "samples": self.count("metric.record"),
            "errors": [error.__dict__ for error in self.errors],
        }


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is in the user's language."""


# --- reading files ----------------------------------------------------------------------------


def read_tables(name: str, data: bytes) -> list[tuple[str, list[list[Any]]]]:
    if name.lower().endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
            raise ImportFileError(_("This file is not an Excel .xlsx workbook.")) from error
        return [
            (sheet.title, [list(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
    if name.lower().endswith(".csv"):
        return [(name, _read_csv(data))]
    raise ImportFileError(_("Import a .csv or an .xlsx file."))


def _read_csv(data: bytes) -> list[list[Any]]:
    """The rows of a CSV, with the formula guard of our own exports taken off."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # What Excel saves as "CSV" on a French Windows machine.
        text = data.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [
        [tables.unguard_formula(cell) for cell in row]
        for row in csv.reader(io.StringIO(text), dialect)
    ]


# --- cell values ------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class CellValueError(ValueError):
    pass


def cell_number(value: Any) -> float | None:
    if value is None or cell_text(value) == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(cell_text(value).replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ValueError:
        raise CellValueError(_("Must be a number.")) from None


def _whole(value: Any) -> int | None:
    number = cell_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise CellValueError(_("Must be a whole number."))
    return int(number)


def _date(value: Any) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = cell_text(value)
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for pattern in DAY_FIRST_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    raise CellValueError(_("Must be a date (2026-03-31 or 31/03/2026)."))


def _choice(key: str, value: Any) -> str:
    text = cell_text(value)
    if not text:
        return ""
    found = tables.choice_value(key, text)
    if found is None:
        raise CellValueError(_("“%(value)s” is not one of the choices.") % {"value": text})
    return found


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    parsed = tables.parse_yes_no(cell_text(value))
    if isinstance(parsed, str):
        raise CellValueError(_("Must be yes or no."))
    return parsed


# --- planning ---------------------------------------------------------------------------------


class _Planner:
    def __init__(self, board: Board) -> None:
        self.plan = ImportPlan()
        self.stages = {
            tables.normalise(s.title): str(s.pk)
            for s in Stage.objects.filter(board=board, deleted=False)
        }
        self.lanes = {
            tables.normalise(la.title): str(la.pk)
            for la in Lane.objects.filter(board=board, deleted=False)
        }
        # (stage id, normalised text) -> card id, for samples measured at a touchpoint card.
        self.cards = {
            (str(card.stage_id), tables.normalise(card.text)): str(card.pk)
            for card in Card.objects.filter(board=board, deleted=False)
        }

    def error(self, table: str, row: int, column: str, message: str) -> None:
        self.plan.errors.append(CellError(table, row, column, message))

    def stage_id(self, title: str, table: str, row: int, description: str = "") -> str:
        key = tables.normalise(title)
        if key not in self.stages:
            self.stages[key] = str(uuid.uuid4())
            self.plan.new_stages.append(title)
            args = {"id": self.stages[key], "title": title}
            if description:
                args["description"] = description
            self.plan.ops.append(PlannedOp("stage.create", args, table, row))
        return self.stages[key]

    def lane_id(self, title: str, kind: str, table: str, row: int) -> str:
        key = tables.normalise(title)
        if key not in self.lanes:
            self.lanes[key] = str(uuid.uuid4())
            self.plan.new_lanes.append(title)
            args = {"id": self.lanes[key], "title": title, "kind": kind or LaneKind.CUSTOM}
            self.plan.ops.append(PlannedOp("lane.create", args, table, row))
        return self.lanes[key]

    def add(
        self, name: str, args: dict[str, Any], table: str, row: int, labels: dict[str, str]
    ) -> bool:
        """Check the args with the op's own validation; errors go to the row's columns."""
        validator = REGISTRY[name].args(data=args)
        if validator.is_valid():
            self.plan.ops.append(PlannedOp(name, args, table, row))
            return True
        for field_name, messages in validator.errors.items():
            column = labels.get(field_name, labels.get("*", field_name))
            for message in messages if isinstance(messages, list) else [messages]:
                self.error(table, row, column, str(message))
        return False


def _cells(header: dict[int, str], values: list[Any]) -> dict[str, Any]:
    return {key: values[index] for index, key in header.items() if index < len(values)}


def _labels(columns: tuple[tables.Column, ...]) -> dict[str, str]:
    return {column.key: str(column.label) for column in columns}


def _card_row(planner: _Planner, table: str, row: int, cells: dict[str, Any]) -> None:
    labels = _labels(tables.CARD_COLUMNS)
    stage, lane, text = (cell_text(cells.get(k)) for k in ("stage", "lane", "text"))
    missing = [key for key, value in (("stage", stage), ("lane", lane)) if not value]
    for key in missing:
        planner.error(table, row, labels[key], _("This cell must not be empty."))
    args: dict[str, Any] = {"id": str(uuid.uuid4()), "text": text}
    converters = {
        "lane_kind": lambda v: _choice("lane_kind", v),
        "color": lambda v: _choice("color", v),
        "emotion_score": _whole,
        "channel": lambda v: _choice("channel", v),
        "brand_controlled": _yes_no,
        "touchpoint_state": lambda v: _choice("touchpoint_state", v),
        "moment_of_truth": _yes_no,
    }
    converted: dict[str, Any] = {}
    for key, convert in converters.items():
        try:
            converted[key] = convert(cells.get(key))
        except CellValueError as error:
            planner.error(table, row, labels[key], str(error))
            return
    if missing:
        return
    lane_kind = converted.pop("lane_kind")
    for key, value in converted.items():
        if value not in (None, ""):
            args[key] = value
    if args.get("moment_of_truth") is None:
        args.pop("moment_of_truth", None)
    args["stage_id"] = planner.stage_id(stage, table, row)
    args["lane_id"] = planner.lane_id(lane, lane_kind, table, row)
    if planner.add("card.create", args, table, row, labels):
        planner.cards[(args["stage_id"], tables.normalise(text))] = args["id"]


def _sample_row(planner: _Planner, table: str, row: int, cells: dict[str, Any]) -> None:
    labels = {**_labels(tables.SAMPLE_COLUMNS), "responses": "", "counts": "", "stage_id": ""}
    labels["responses"] = labels["counts"] = labels["answers"]
    labels["stage_id"] = labels["card_id"] = labels["stage"]
    args: dict[str, Any] = {}
    converters = {
        "kind": lambda v: _choice("kind", v) or cell_text(v),
        "name": cell_text,
        "unit": cell_text,
        "source": cell_text,
        "scale": _whole,
        "value": cell_number,
        "date": _date,
    }
    for key, convert in converters.items():
        try:
            value = convert(cells.get(key))
        except CellValueError as error:
            planner.error(table, row, labels[key], str(error))
            return
        if value not in (None, ""):
            args[key] = value
    answers_text = cell_text(cells.get("answers"))
    if answers_text:
        answers = tables.parse_answers(answers_text)
        if answers is None:
            planner.error(
                table, row, labels["answers"], _("Write answers as 10:12; 9:30 or 10 9 7.")
            )
            return
        args["counts" if isinstance(answers, dict) else "responses"] = answers
    stage = cell_text(cells.get("stage"))
    if not stage:
        planner.error(table, row, labels["stage"], _("This cell must not be empty."))
        return
    stage_id = planner.stage_id(stage, table, row)
    card_text = cell_text(cells.get("card"))
    if card_text:
        card_id = planner.cards.get((stage_id, tables.normalise(card_text)))
        if card_id is None:
            planner.error(table, row, labels["card"], _("No card with this text at this stage."))
            return
        args["card_id"] = card_id
    else:
        args["stage_id"] = stage_id
    planner.add("metric.record", args, table, row, labels)


def _persona_row(planner: _Planner, table: str, row: int, cells: dict[str, Any]) -> None:
    labels = _labels(tables.PERSONA_COLUMNS)
    labels["name"] = labels["persona"]
    args = {"name": cell_text(cells.get("persona"))}
    for column in tables.PERSONA_COLUMNS[1:]:
        if cell_text(cells.get(column.key)):
            args[column.key] = cell_text(cells.get(column.key))
    planner.add("persona.create", args, table, row, labels)


def _stage_row(planner: _Planner, table: str, row: int, cells: dict[str, Any]) -> None:
    title = cell_text(cells.get("stage"))
    if not title:
        planner.error(
            table, row, str(tables.STAGE_COLUMNS[0].label), _("This cell must not be empty.")
        )
        return
    planner.stage_id(title, table, row, description=cell_text(cells.get("description")))


def _lane_row(planner: _Planner, table: str, row: int, cells: dict[str, Any]) -> None:
    title = cell_text(cells.get("lane"))
    labels = _labels(tables.LANE_COLUMNS)
    if not title:
        planner.error(table, row, labels["lane"], _("This cell must not be empty."))
        return
    try:
        kind = _choice("lane_kind", cells.get("lane_kind"))
    except CellValueError as error:
        planner.error(table, row, labels["lane_kind"], str(error))
        return
    planner.lane_id(title, kind, table, row)


ROW_PLANNERS = {
    "stages": _stage_row,
    "lanes": _lane_row,
    "cards": _card_row,
    "samples": _sample_row,
    "personas": _persona_row,
}
# The structure first, in its own order; cards before samples that refer to them.
TABLE_ORDER = ("stages", "lanes", "cards", "personas", "samples")


def import_plan(board: Board, files: list[tuple[str, list[list[Any]]]]) -> ImportPlan:
    """What importing these tables into the board would do, and every problem found."""
    planner = _Planner(board)
    recognised = []
    for name, rows in files:
        start = next((i for i, row in enumerate(rows) if any(cell_text(v) for v in row)), None)
        if start is None:
            continue
        kind = tables.table_kind(rows[start])
        if kind is None:
            continue
        recognised.append((kind, name, start, rows))
    if not recognised:
        raise ImportFileError(
            _("No table of cards, personas or KPI samples was found: check the header row.")
        )
    if sum(len(rows) for *_, rows in recognised) > MAX_ROWS:
        raise ImportFileError(
            _("At most %(count)s rows can be imported at once.") % {"count": MAX_ROWS}
        )
    recognised.sort(key=lambda item: TABLE_ORDER.index(item[0]))
    for kind, name, start, rows in recognised:
        columns = tables.TABLES[kind][0]
        header = tables.header_keys(columns, rows[start])
        count = 0
        for index in range(start + 1, len(rows)):
            values = rows[index]
            if not any(cell_text(v) for v in values):
                continue
            count += 1
            ROW_PLANNERS[kind](planner, name, index + 1, _cells(header, values))
        planner.plan.tables.append({"name": name, "kind": kind, "rows": count})
    return planner.plan


def import_apply(board: Board, actor: Actor, plan: ImportPlan) -> int:
    """Run the planned ops in one transaction; the first refusal undoes them all. Returns the
    board's seq after the import."""
    if plan.errors:
        raise OpError("invalid", _("Fix the errors shown in the preview first."))
    seq = board.seq
    with transaction.atomic():
        for op in plan.ops:
            try:
                seq = apply_op(board_id=board.pk, actor=actor, name=op.name, args=op.args).seq
            except OpError as error:
                raise OpError(
                    error.code,
                    _("%(table)s, row %(row)s: %(message)s")
                    % {"table": op.table, "row": op.row, "message": error.message},
                    details=error.details,
                ) from error
    return seq


__all__ = ["ImportFileError", "ImportPlan", "import_apply", "import_plan", "read_tables"]
