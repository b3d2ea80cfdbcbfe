/**
 * Ops that change several objects at once (`version.restore`) carry them in the result under
 * `changes`, by list: the server's objects after the op, as a snapshot would hold them.
 * docs/protocol.md, "version.restore"; history/ops.py.
 */
import type { Collections, Item, ItemKind } from "./objects";
import type { BatchChanges, BoardData, JsonValue } from "./protocol";

const LISTS: ReadonlyArray<readonly [keyof Omit<BatchChanges, "board">, ItemKind]> = [
  ["stages", "stage"],
  ["lanes", "lane"],
  ["cards", "card"],
  ["personas", "persona"],
];

export function isBatchChanges(value: JsonValue | undefined): value is BatchChanges & JsonValue {
  return typeof value === "object" && value !== null && !Array.isArray(value) && Array.isArray(value.cards);
}

/** Upserts every object of `changes` into `collections` (mutates it, like the store does). */
export function applyChanges(collections: Collections, changes: BatchChanges): void {
  if (changes.board) collections.board = { ...(collections.board ?? {}), ...changes.board } as BoardData;
  for (const [list, kind] of LISTS) {
    const items = collections[kind] as Map<string, Item>;
    for (const item of changes[list]) items.set(item.id, item);
  }
}
