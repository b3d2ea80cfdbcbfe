/** Wire objects for the unit tests, with overridable fields. */
import type { BoardData, CardData, JsonObject, LaneData, OpMessage, SnapshotMessage, StageData } from "./protocol";

export function card(overrides: Partial<CardData> = {}): CardData {
  return {
    id: "c1",
    stage_id: "s1",
    lane_id: "l1",
    text: "Finds the app",
    color: "yellow",
    position: "a0",
    version: 1,
    deleted: false,
    author_id: "u:1",
    author_name: "alice",
    emotion_score: null,
    channel: "",
    brand_controlled: null,
    touchpoint_state: "",
    moment_of_truth: false,
    ...overrides,
  };
}


export function stage(overrides: Partial<StageData> = {}): StageData {
  return { id: "s1", title: "Awareness", description: "", position: "a0", version: 1, deleted: false, ...overrides };
}

export function lane(overrides: Partial<LaneData> = {}): LaneData {
  return { id: "l1", kind: "actions", title: "Actions", position: "a0", version: 1, deleted: false, ...overrides };
}

export function board(overrides: Partial<BoardData> = {}): BoardData {
  return {
    id: "b1",
    title: "Mobile banking onboarding",
    goal: "",
    map_type: "current_state",
    language: "en",
    owner_id: "u:1",
    source_board_id: null,
    archived: false,
    seq: 0,
    created_at: "2025-01-01T00:00:00+00:00",
    updated_at: "2025-01-01T00:00:00+00:00",
    ...overrides,
  };
}

export function snapshot(seq: number, cards: CardData[] = [card()]): SnapshotMessage {
  return {
    type: "snapshot",
    seq,
    board: board({ seq }),
    stages: [stage(), stage({ id: "s2", title: "Research", position: "a1" })],
    lanes: [lane(), lane({ id: "l2", kind: "emotions", title: "Emotions", position: "a1" })],
    cards,
    personas: [],
  };
}

/** The server's op frame for `result`, as the live layer sends it. */
export function opFrame(seq: number, id: string, op: string, result: CardData, args: JsonObject = {}): OpMessage {
  return { type: "op", seq, id, actor: { id: "u:2", name: "bob" }, op, args, result: result as unknown as JsonObject };
}

/** Resolves once `condition()` holds (checked every 5 ms), or fails after 2 s. */
export function until(condition: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() - started > 2000) reject(new Error("timed out"));
      else setTimeout(check, 5);
    };
    check();
  });
}
