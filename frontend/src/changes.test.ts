import { describe, expect, it } from "vitest";
import { BoardStore } from "./store";
import type { JsonObject } from "./protocol";
import { board, card, snapshot, stage } from "./testFixtures";
import { cardsInCell } from "./view";

describe("an op that changes several objects (version.restore)", () => {
  it("upserts every object of its result's changes", () => {
    const store = new BoardStore(() => true);
    store.connectionOpened();
    store.receive(snapshot(10, [card(), card({ id: "c2", text: "Added since", position: "a1" })]));

    const changes = {
      board: board({ title: "As in Q1", seq: 11 }),
      stages: [stage({ title: "Discover", version: 2 })],
      lanes: [],
      cards: [card({ text: "As it was", version: 2 }), card({ id: "c2", text: "Added since", deleted: true, version: 2 })],
      personas: [],
    };
    store.receive({
      type: "op",
      seq: 11,
      id: "x1",
      actor: { id: "u:1", name: "alice" },
      op: "version.restore",
      args: { version_id: "v1" },
      result: { version_id: "v1", name: "Q1", before_version_id: "v0", changes } as unknown as JsonObject,
    });

    const view = store.getSnapshot().view;
    expect(cardsInCell(view, "s1", "l1").map((c) => c.text)).toEqual(["As it was"]);
    expect(view.stages[0]?.title).toBe("Discover");
    expect(view.board?.title).toBe("As in Q1");
    expect(store.lastSeq).toBe(11);
  });
});
