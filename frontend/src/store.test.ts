import { beforeEach, describe, expect, it } from "vitest";
import { BoardStore } from "./store";
import type { ClientMessage, OpRequest } from "./protocol";
import { card, opFrame, snapshot } from "./testFixtures";
import { cardsInCell } from "./view";

/** A store wired to a fake socket that records what it sends and can be cut. */
function harness() {
  const sent: ClientMessage[] = [];
  let online = true;
  let ids = 0;
  const store = new BoardStore(
    (message) => {
      if (!online) return false;
      sent.push(message);
      return true;
    },
    () => `op-${++ids}`,
  );
  const ops = () => sent.filter((m): m is OpRequest => m.type === "op");
  const connect = (seq: number | null, cards = [card()]) => {
    online = true;
    store.connectionOpened();
    if (seq !== null) store.receive(snapshot(seq, cards));
  };
  const disconnect = () => {
    online = false;
    store.connectionChanged("reconnecting");
  };
  const texts = () => cardsInCell(store.getSnapshot().view, "s1", "l1").map((c) => c.text);
  return { store, sent, ops, connect, disconnect, texts };
}

describe("BoardStore", () => {
  let h: ReturnType<typeof harness>;
  beforeEach(() => {
    h = harness();
    h.connect(10);
  });

  it("asks for a full snapshot on first connect", () => {
    expect(h.sent[0]).toEqual({ type: "sync", since: null });
    expect(h.texts()).toEqual(["Finds the app"]);
    expect(h.store.lastSeq).toBe(10);
  });

  it("applies others' ops in seq order by upserting the result", () => {
    h.store.receive(opFrame(11, "x1", "card.create", card({ id: "c2", text: "Reads reviews", position: "a1" })));
    h.store.receive(opFrame(12, "x2", "card.update", card({ text: "Hears of the app", version: 2 })));
    expect(h.texts()).toEqual(["Hears of the app", "Reads reviews"]);
    h.store.receive(opFrame(13, "x3", "card.delete", card({ deleted: true, version: 3 })));
    expect(h.texts()).toEqual(["Reads reviews"]);
    expect(h.store.lastSeq).toBe(13);
  });

  it("ignores an op frame it has already applied", () => {
    h.store.receive(opFrame(11, "x1", "card.update", card({ text: "Once", version: 2 })));
    h.store.receive(opFrame(11, "x1", "card.update", card({ text: "Once", version: 2 })));
    expect(h.store.lastSeq).toBe(11);
  });

  it("shows a local change at once and keeps it until the server acknowledges it", () => {
    const id = h.store.submit("card.update", { id: "c1", text: "Typed" });
    expect(h.texts()).toEqual(["Typed"]);
    expect(h.ops()).toEqual([{ type: "op", id, op: "card.update", args: { id: "c1", text: "Typed" } }]);
    // Someone else's earlier change lands first: ours stays on top of it.
    h.store.receive(opFrame(11, "x1", "card.update", card({ text: "Theirs", color: "blue", version: 2 })));
    expect(h.texts()).toEqual(["Typed"]);
    h.store.receive(opFrame(12, id, "card.update", card({ text: "Typed", color: "blue", version: 3 })));
    expect(h.store.getSnapshot().pendingCount).toBe(0);
    expect(h.store.getSnapshot().view.cards.get("c1")).toMatchObject({ text: "Typed", color: "blue", version: 3 });
  });

  it("rolls a refused change back and tells the user why", () => {
    const id = h.store.submit("card.update", { id: "c1", text: "x".repeat(5000) });
    h.store.receive({ type: "error", id, code: "invalid", message: "Text is too long." });
    expect(h.texts()).toEqual(["Finds the app"]);
    expect(h.store.getSnapshot().notices).toMatchObject([{ code: "invalid", message: "Text is too long." }]);
    expect(h.store.getSnapshot().canUndo).toBe(false);
  });

  it("asks for the missing ops when it sees a seq gap, and applies the early op after them", () => {
    h.store.receive(opFrame(13, "x3", "card.update", card({ text: "Third", version: 4 })));
    expect(h.sent.at(-1)).toEqual({ type: "sync", since: 10 });
    expect(h.texts()).toEqual(["Finds the app"]);
    h.store.receive(opFrame(11, "x1", "card.update", card({ text: "First", version: 2 })));
    h.store.receive(opFrame(12, "x2", "card.update", card({ text: "Second", version: 3 })));
    h.store.receive({ type: "synced", seq: 12 });
    expect(h.texts()).toEqual(["Third"]);
    expect(h.store.lastSeq).toBe(13);
    expect(h.sent.filter((m) => m.type === "sync")).toHaveLength(2);
  });

  it("after a reconnect, catches up first and then resends unacknowledged ops with their original ids", () => {
    const acked = h.store.submit("card.update", { id: "c1", text: "Acked while away" });
    const lost = h.store.submit("card.create", { id: "c2", stage_id: "s1", lane_id: "l1", position: "a1", text: "Typed offline" });
    h.disconnect();
    const offline = h.store.submit("card.update", { id: "c2", color: "pink" });
    expect(h.texts()).toEqual(["Acked while away", "Typed offline"]);
    const sentBefore = h.sent.length;

    h.connect(null);
    expect(h.sent.slice(sentBefore)).toEqual([{ type: "sync", since: 10 }]);
    // The replay contains the op whose ack was lost with the connection.
    h.store.receive(opFrame(11, acked, "card.update", card({ text: "Acked while away", version: 2 })));
    h.store.receive({ type: "synced", seq: 11 });
    expect(h.ops().slice(-2).map((m) => m.id)).toEqual([lost, offline]);
    expect(h.ops().filter((m) => m.id === acked)).toHaveLength(1);

    h.store.receive(opFrame(12, lost, "card.create", card({ id: "c2", text: "Typed offline", position: "a1" })));
    h.store.receive(opFrame(13, offline, "card.update", card({ id: "c2", text: "Typed offline", position: "a1", color: "pink", version: 2 })));
    // The server answers a resend it had already applied with its original frame: no double.
    h.store.receive(opFrame(12, lost, "card.create", card({ id: "c2", text: "Typed offline", position: "a1" })));
    expect(h.texts()).toEqual(["Acked while away", "Typed offline"]);
    expect(h.store.getSnapshot().pendingCount).toBe(0);
  });

  it("says when it holds the server's board: after the snapshot or the replay, not at connecting", () => {
    expect(h.store.getSnapshot().caughtUp).toBe(true);
    h.disconnect();
    expect(h.store.getSnapshot().caughtUp).toBe(false);
    h.connect(null);
    expect(h.store.getSnapshot()).toMatchObject({ connection: "connected", caughtUp: false });
    h.store.receive({ type: "synced", seq: 10 });
    expect(h.store.getSnapshot().caughtUp).toBe(true);
  });

  it("holds new ops while catching up so they follow the replay", () => {
    h.disconnect();
    h.connect(null);
    h.store.submit("card.update", { id: "c1", text: "Early" });
    expect(h.ops()).toEqual([]);
    h.store.receive({ type: "synced", seq: 10 });
    expect(h.ops()).toHaveLength(1);
  });

  it("falls back to a snapshot when the server has no replay to offer", () => {
    const id = h.store.submit("card.update", { id: "c1", text: "Mine" });
    h.disconnect();
    h.connect(40, [card({ id: "c9", text: "Rebuilt" })]);
    expect(h.store.lastSeq).toBe(40);
    expect(h.ops().filter((m) => m.id === id)).toHaveLength(2);
  });

  describe("undo and redo", () => {
    it("undoes and redoes the user's own change as new ops", () => {
      const id = h.store.submit("card.update", { id: "c1", text: "Edited" });
      h.store.receive(opFrame(11, id, "card.update", card({ text: "Edited", version: 2 })));
      expect(h.store.undo()).toBe(true);
      expect(h.texts()).toEqual(["Finds the app"]);
      const undoOp = h.ops().at(-1);
      expect(undoOp).toMatchObject({ op: "card.update", args: { id: "c1", text: "Finds the app", if_version: 2 } });
      h.store.receive(opFrame(12, undoOp?.id ?? "", "card.update", card({ version: 3 })));
      expect(h.store.redo()).toBe(true);
      expect(h.texts()).toEqual(["Edited"]);
      expect(h.ops().at(-1)).toMatchObject({ args: { id: "c1", text: "Edited", if_version: 3 } });
    });

    it("undoes a creation by deleting and redoes it by restoring", () => {
      const id = h.store.submit("card.create", { id: "c2", stage_id: "s1", lane_id: "l1", position: "a1" });
      h.store.receive(opFrame(11, id, "card.create", card({ id: "c2", text: "", position: "a1" })));
      h.store.undo();
      expect(h.ops().at(-1)).toMatchObject({ op: "card.delete", args: { id: "c2" } });
      expect(h.texts()).toEqual(["Finds the app"]);
      h.store.redo();
      expect(h.ops().at(-1)).toMatchObject({ op: "card.restore", args: { id: "c2" } });
    });

    it("skips the undo when someone else changed the object since", () => {
      const id = h.store.submit("card.update", { id: "c1", text: "Mine" });
      h.store.receive(opFrame(11, id, "card.update", card({ text: "Mine", version: 2 })));
      h.store.receive(opFrame(12, "theirs", "card.update", card({ text: "Theirs", version: 3 })));
      const sent = h.ops().length;
      expect(h.store.undo()).toBe(false);
      expect(h.ops()).toHaveLength(sent);
      expect(h.texts()).toEqual(["Theirs"]);
      expect(h.store.getSnapshot().notices.at(-1)?.code).toBe("undo_skipped");
    });

    it("forgets the redo history when the user makes a new change", () => {
      h.store.submit("card.update", { id: "c1", text: "One" });
      h.store.undo();
      expect(h.store.getSnapshot().canRedo).toBe(true);
      h.store.submit("card.update", { id: "c1", text: "Two" });
      expect(h.store.getSnapshot().canRedo).toBe(false);
    });
  });

  it("asks for the missing ops when a pong shows it is behind", () => {
    h.store.receive({ type: "pong", seq: 10 });
    expect(h.sent.filter((m) => m.type === "sync")).toHaveLength(1);
    h.store.receive({ type: "pong", seq: 12 });
    expect(h.sent.at(-1)).toEqual({ type: "sync", since: 10 });
  });

  it("keeps an op the rate limit turned away and sends it again at the next pong", () => {
    const id = h.store.submit("card.update", { id: "c1", text: "Fast" });
    h.store.receive({ type: "error", id, code: "rate_limited", message: "Slow down." });
    expect(h.texts()).toEqual(["Fast"]);
    h.store.receive({ type: "pong", seq: 10 });
    expect(h.ops().filter((m) => m.id === id)).toHaveLength(2);
  });

  it("tracks who is here and where their cursor is", () => {
    const alice = { id: "u:1", name: "alice", color: "#d00", role: "owner" };
    const bob = { id: "u:2", name: "bob", color: "#00d", role: "editor" };
    h.store.receive({ type: "welcome", protocol: 1, board_id: "b1", seq: 10, you: alice, participants: [] });
    h.store.receive({ type: "join", participant: bob });
    h.store.receive({ type: "presence", participants: [{ id: "u:2", cursor: { x: 5, y: 6 }, editing: "c1" }, { id: "u:1", cursor: null, editing: null }] });
    const snap = h.store.getSnapshot();
    expect([...snap.participants.keys()]).toEqual(["u:1", "u:2"]);
    expect([...snap.presence.keys()]).toEqual(["u:2"]);
    h.store.receive({ type: "leave", participant_id: "u:2" });
    expect(h.store.getSnapshot().presence.size).toBe(0);
  });
});
