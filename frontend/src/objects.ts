/**
 * Board objects by kind, and the pure rules for changing them: what an op is expected to
 * produce (so the author sees it before the server answers) and which op undoes it.
 */
import type { BoardData, CardData, JsonObject, JsonValue, LaneData, PersonaData, StageData } from "./protocol";

export type ItemKind = "stage" | "lane" | "card" | "persona";
export type ObjectKind = "board" | ItemKind;

export interface ItemTypes {
  stage: StageData;
  lane: LaneData;
  card: CardData;
  persona: PersonaData;
}
export type Item = ItemTypes[ItemKind];

export interface Collections {
  board: BoardData | null;
  stage: Map<string, StageData>;
  lane: Map<string, LaneData>;
  card: Map<string, CardData>;
  persona: Map<string, PersonaData>;
}

export interface OpCall {
  op: string;
  args: JsonObject;
}

const ITEM_KINDS: readonly string[] = ["stage", "lane", "card", "persona"];

export function splitOpName(op: string): { kind: ObjectKind | null; verb: string } {
  const [kind = "", verb = ""] = op.split(".", 2);
  if (kind === "board" || ITEM_KINDS.includes(kind)) return { kind: kind as ObjectKind, verb };
  return { kind: null, verb };
}

export function isItemKind(kind: ObjectKind | null): kind is ItemKind {
  return kind !== null && kind !== "board";
}

/** The fields a creation leaves at their model defaults (boards/models.py). */
function defaultsFor(kind: ItemKind, id: string): Item {
  const common = { id, position: "a0", version: 1, deleted: false };
  switch (kind) {
    case "stage":
      return { ...common, title: "", description: "" };
    case "lane":
      return { ...common, kind: "custom", title: "" };
    case "card":
      return {
        ...common,
        stage_id: "",
        lane_id: "",
        text: "",
        color: "yellow",
        author_id: null,
        author_name: "",
        emotion_score: null,
        channel: "",
        brand_controlled: null,
        touchpoint_state: "",
        moment_of_truth: false,
      };
    case "persona":
      return {
        ...common,
        name: "",
        role: "",
        demographics: "",
        goals: "",
        needs: "",
        frustrations: "",
        behaviours: "",
        quote: "",
        avatar_url: "",
      };
  }
}

/** Args that steer an op rather than set a field. */
const CONTROL_KEYS = new Set(["id", "if_version", "after"]);

function fieldsOf(args: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(args).filter(([key]) => !CONTROL_KEYS.has(key)));
}

export interface Author {
  id: string;
  name: string;
}

/**
 * Applies `call` to `collections` in place, as the server is expected to. Ops it cannot
 * predict (an unknown kind, or a target it does not have) change nothing: the server's
 * answer will bring the truth.
 */
export function predict(collections: Collections, call: OpCall, author: Author | null): void {
  const { kind, verb } = splitOpName(call.op);
  const id = typeof call.args.id === "string" ? call.args.id : null;
  if (kind === "board") {
    if (collections.board) collections.board = { ...collections.board, ...(fieldsOf(call.args) as Partial<BoardData>) };
    return;
  }
  if (!isItemKind(kind) || id === null) return;
  const items = collections[kind] as Map<string, Item>;
  if (verb === "create") {
    const created = { ...defaultsFor(kind, id), ...fieldsOf(call.args) } as Item;
    if (kind === "card" && author) Object.assign(created, { author_id: author.id, author_name: author.name });
    items.set(id, created);
    return;
  }
  const current = items.get(id);
  if (!current) return;
  const changes: Partial<Record<string, JsonValue>> =
    verb === "delete" ? { deleted: true } : verb === "restore" ? { deleted: false } : fieldsOf(call.args);
  items.set(id, { ...current, ...changes } as Item);
}

/** Which fields a move rewrites: a card can change cell, the others only their place. */
function movedFields(kind: ItemKind): string[] {
  return kind === "card" ? ["stage_id", "lane_id", "position"] : ["position"];
}

function pick(source: object, keys: Iterable<string>): JsonObject {
  const values = source as Record<string, JsonValue>;
  const picked: JsonObject = {};
  for (const key of keys) if (key in values) picked[key] = values[key] ?? null;
  return picked;
}

/**
 * The op that takes the object back to `before` (its state just before `call`), or null when
 * there is nothing to undo. `before` is null for a creation.
 */
export function inverseOf(call: OpCall, before: Item | BoardData | null): OpCall | null {
  const { kind, verb } = splitOpName(call.op);
  if (kind === null) return null;
  const id = call.args.id;
  if (kind === "board") {
    if (!before) return null;
    if (verb === "archive") return { op: "board.archive", args: { archived: !call.args.archived } };
    return { op: "board.update", args: pick(before, Object.keys(fieldsOf(call.args))) };
  }
  if (typeof id !== "string") return null;
  switch (verb) {
    case "create":
      return { op: `${kind}.delete`, args: { id } };
    case "delete":
      return { op: `${kind}.restore`, args: { id } };
    case "restore":
      return { op: `${kind}.delete`, args: { id } };
    case "move":
      return before ? { op: `${kind}.move`, args: { id, ...pick(before, movedFields(kind)) } } : null;
    case "update":
      return before ? { op: `${kind}.update`, args: { id, ...pick(before, Object.keys(fieldsOf(call.args))) } } : null;
    default:
      return null;
  }
}
