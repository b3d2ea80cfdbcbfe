import { describe, expect, it } from "vitest";
import { inverseOf, predict } from "./objects";
import type { Collections } from "./objects";
import type { CardData, StageData } from "./protocol";
import { card } from "./testFixtures";

function collections(...cards: CardData[]): Collections {
  const stage: StageData = { id: "s1", title: "Awareness", description: "", position: "a0", version: 1, deleted: false };
  return { board: null, stage: new Map([["s1", stage]]), lane: new Map(), card: new Map(cards.map((c) => [c.id, c])), persona: new Map() };
}

describe("predict", () => {
  it("creates a card with the model's defaults and the author", () => {
    const state = collections();
    predict(state, { op: "card.create", args: { id: "c9", stage_id: "s1", lane_id: "l1", position: "a1", text: "Hi" } }, { id: "u:2", name: "bob" });
    expect(state.card.get("c9")).toMatchObject({ text: "Hi", color: "yellow", position: "a1", author_name: "bob", deleted: false });
  });

  it.each([
    ["card.update", { id: "c1", text: "New", if_version: 1 }, { text: "New" }],
    ["card.move", { id: "c1", stage_id: "s2", lane_id: "l2", position: "a5" }, { stage_id: "s2", lane_id: "l2", position: "a5" }],
    ["card.delete", { id: "c1" }, { deleted: true }],
  ])("%s changes the fields it names and nothing else", (op, args, expected) => {
    const state = collections(card());
    predict(state, { op, args }, null);
    expect(state.card.get("c1")).toEqual({ ...card(), ...expected });
  });

  it("leaves unknown targets and unknown ops alone", () => {
    const state = collections(card());
    predict(state, { op: "card.update", args: { id: "nope", text: "x" } }, null);
    predict(state, { op: "vote.add", args: { card_id: "c1" } }, null);
    expect([...state.card.values()]).toEqual([card()]);
  });
});

describe("inverseOf", () => {
  const before = card({ text: "Old", color: "blue" });
  it.each([
    [{ op: "card.create", args: { id: "c1" } }, null, { op: "card.delete", args: { id: "c1" } }],
    [{ op: "card.delete", args: { id: "c1" } }, before, { op: "card.restore", args: { id: "c1" } }],
    [{ op: "card.restore", args: { id: "c1" } }, before, { op: "card.delete", args: { id: "c1" } }],
    [{ op: "card.update", args: { id: "c1", text: "New" } }, before, { op: "card.update", args: { id: "c1", text: "Old" } }],
    [
      { op: "card.move", args: { id: "c1", stage_id: "s2", position: "a9" } },
      before,
      { op: "card.move", args: { id: "c1", stage_id: "s1", lane_id: "l1", position: "a0" } },
    ],
    [{ op: "stage.move", args: { id: "c1", position: "a9" } }, before, { op: "stage.move", args: { id: "c1", position: "a0" } }],
    [{ op: "vote.add", args: { card_id: "c1" } }, before, null],
  ])("undoes %j", (call, state, expected) => {
    expect(inverseOf(call, state)).toEqual(expected);
  });
});
