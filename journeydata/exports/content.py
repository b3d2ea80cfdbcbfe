"""The board as the exports lay it out: stages and lanes in board order, the cards of each
cell, personas, KPI samples and summaries, all read at one seq."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from boards.selectors import board_snapshot, consistent_read
from boards.wire import CardData, LaneData, PersonaData, SnapshotData, StageData
from journeydata import tables
from journeydata.selectors import KpiSummaryData, live_samples, summarise
from journeydata.wire import MetricSampleData, metric_sample_data


@dataclass
class BoardContent:
    snapshot: SnapshotData
    samples: list[MetricSampleData]
    kpis: list[KpiSummaryData]
    cells: dict[tuple[str, str], list[CardData]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for card in self.snapshot["cards"]:
            self.cells.setdefault((card["stage_id"], card["lane_id"]), []).append(card)

    @property
    def title(self) -> str:
        return self.snapshot["board"]["title"]

    @property
    def stages(self) -> list[StageData]:
        return self.snapshot["stages"]

    @property
    def lanes(self) -> list[LaneData]:
        return self.snapshot["lanes"]

    @property
    def personas(self) -> list[PersonaData]:
        return self.snapshot["personas"]

    def cell(self, stage: StageData, lane: LaneData) -> list[CardData]:
        return self.cells.get((stage["id"], lane["id"]), [])

    def stage_title(self, stage_id: str | None) -> str:
        return next((s["title"] for s in self.stages if s["id"] == stage_id), "")

    def card(self, card_id: str | None) -> CardData | None:
        return next((c for c in self.snapshot["cards"] if c["id"] == card_id), None)

    def kpis_of_stage(self, stage: StageData) -> list[KpiSummaryData]:
        return [kpi for kpi in self.kpis if kpi["stage_id"] == stage["id"]]

    def card_rows(self) -> list[list[object]]:
        """One row per card, in map order (stage, lane, then position in the cell)."""
        rows = []
        for stage in self.stages:
            for lane in self.lanes:
                for card in self.cell(stage, lane):
                    rows.append(
                        [
                            stage["title"],
                            lane["title"],
                            tables.choice_label("lane_kind", lane["kind"]),
                            card["text"],
                            tables.choice_label("color", card["color"]),
                            card["emotion_score"],
                            tables.choice_label("channel", card["channel"]),
                            tables.yes_no(card["brand_controlled"]),
                            tables.choice_label("touchpoint_state", card["touchpoint_state"]),
                            tables.yes_no(card["moment_of_truth"])
                            if card["moment_of_truth"]
                            else "",
                        ]
                    )
        return rows

    def sample_rows(self) -> list[list[object]]:
        rows = []
        for sample in self.samples:
            card = self.card(sample["card_id"])
            stage_id = card["stage_id"] if card else sample["stage_id"]
            rows.append(
                [
                    self.stage_title(stage_id),
                    card["text"] if card else "",
                    tables.choice_label("kind", sample["kind"]),
                    sample["name"],
                    sample["unit"],
                    sample["scale"],
                    sample["value"],
                    tables.format_answers(sample["counts"]),
                    sample["date"],
                    sample["source"],
                ]
            )
        return rows

    def stage_rows(self) -> list[list[object]]:
        return [[stage["title"], stage["description"]] for stage in self.stages]

    def lane_rows(self) -> list[list[object]]:
        return [
            [lane["title"], tables.choice_label("lane_kind", lane["kind"])] for lane in self.lanes
        ]

    def persona_rows(self) -> list[list[object]]:
        return [
            [
                persona["name"],
                persona["role"],
                persona["demographics"],
                persona["goals"],
                persona["needs"],
                persona["frustrations"],
                persona["behaviours"],
                persona["quote"],
            ]
            for persona in self.personas
        ]


def board_content(board_id: uuid.UUID | str) -> BoardContent:
    with consistent_read():
        snapshot = board_snapshot(board_id)
        samples = list(live_samples(board_id).select_related("card"))
    visible_cards = {card["id"] for card in snapshot["cards"]}
    # A sample on a card the reader cannot see (deleted, or private to someone) stays out.
    samples = [s for s in samples if s.card_id is None or str(s.card_id) in visible_cards]
    return BoardContent(
        snapshot=snapshot,
        samples=[metric_sample_data(sample) for sample in samples],
        kpis=summarise(samples),
    )
