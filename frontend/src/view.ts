/**
 * What the board UI renders, derived from the objects: live items in order, cards grouped by
 * cell, and the emotion curve. Cell lists that did not change keep their identity so React
 * skips re-rendering them on a busy board.
 */
import type { Collections } from "./objects";
import type { BoardData, CardData, LaneData, PersonaData, StageData } from "./protocol";

export interface EmotionPoint {
  stageId: string;
  /** Mean score of the stage's emotion cards, or null when it has none. */
  average: number | null;
  count: number;
}

export interface BoardView {
  board: BoardData | null;
  stages: readonly StageData[];
  lanes: readonly LaneData[];
  personas: readonly PersonaData[];
  /** Every live card by id. */
  cards: ReadonlyMap<string, CardData>;
  /** Live cards of each cell in order, keyed by cellKey(stage id, lane id). */
  cells: ReadonlyMap<string, readonly CardData[]>;
  emotionCurve: readonly EmotionPoint[];
}

export const EMOTION_LANE_KIND = "emotions";
const NO_CARDS: readonly CardData[] = Object.freeze([]);

export function cellKey(stageId: string, laneId: string): string {
  return `${stageId}|${laneId}`;
}

interface Ordered {
  id: string;
  position: string;
  deleted: boolean;
}

/** Byte order of keys, then id for ties: the server's order (boards/ordering.py). */
export function compareOrder(a: Ordered, b: Ordered): number {
  if (a.position !== b.position) return a.position < b.position ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function liveInOrder<T extends Ordered>(items: Iterable<T>): T[] {
  return [...items].filter((item) => !item.deleted).sort(compareOrder);
}

function sameItems<T>(a: readonly T[] | undefined, b: readonly T[]): boolean {
  return a !== undefined && a.length === b.length && a.every((item, index) => item === b[index]);
}

export function cardsInCell(view: BoardView, stageId: string, laneId: string): readonly CardData[] {
  return view.cells.get(cellKey(stageId, laneId)) ?? NO_CARDS;
}

export function buildView(objects: Collections, previous: BoardView | null): BoardView {
  const stages = liveInOrder(objects.stage.values());
  const lanes = liveInOrder(objects.lane.values());
  const liveStages = new Set(stages.map((stage) => stage.id));
  const liveLanes = new Set(lanes.map((lane) => lane.id));
  const cards = new Map<string, CardData>();
  const grouped = new Map<string, CardData[]>();
  for (const card of objects.card.values()) {
    // A card whose stage or lane was deleted goes with it (and comes back on restore).
    if (card.deleted || !liveStages.has(card.stage_id) || !liveLanes.has(card.lane_id)) continue;
    cards.set(card.id, card);
    const key = cellKey(card.stage_id, card.lane_id);
    const list = grouped.get(key);
    if (list) list.push(card);
    else grouped.set(key, [card]);
  }
  const cells = new Map<string, readonly CardData[]>();
  for (const [key, list] of grouped) {
    list.sort(compareOrder);
    const before = previous?.cells.get(key);
    cells.set(key, before && sameItems(before, list) ? before : list);
  }
  return {
    board: objects.board,
    stages: previous && sameItems(previous.stages, stages) ? previous.stages : stages,
    lanes: previous && sameItems(previous.lanes, lanes) ? previous.lanes : lanes,
    personas: liveInOrder(objects.persona.values()),
    cards,
    cells,
    emotionCurve: emotionCurve(stages, lanes, cards),
  };
}

function emotionCurve(stages: StageData[], lanes: LaneData[], cards: Map<string, CardData>): EmotionPoint[] {
  const emotionLanes = new Set(lanes.filter((lane) => lane.kind === EMOTION_LANE_KIND).map((lane) => lane.id));
  const sums = new Map<string, { total: number; count: number }>();
  for (const card of cards.values()) {
    if (card.emotion_score === null || !emotionLanes.has(card.lane_id)) continue;
    const sum = sums.get(card.stage_id) ?? { total: 0, count: 0 };
    sum.total += card.emotion_score;
    sum.count += 1;
    sums.set(card.stage_id, sum);
  }
  return stages.map((stage) => {
    const sum = sums.get(stage.id);
    return { stageId: stage.id, average: sum ? sum.total / sum.count : null, count: sum?.count ?? 0 };
  });
}
