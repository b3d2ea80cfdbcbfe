import { beforeEach, describe, expect, it } from "vitest";
import type { InsightData, JsonObject, OpMessage, WorkshopData, WorkshopStateData } from "./protocol";
import { snapshot } from "./testFixtures";
import { WorkshopStore, loadWorkshop, ranking, sendSummary, timerLeftMs, votesLeft } from "./workshop";

function workshop(overrides: Partial<WorkshopData> = {}): WorkshopData {
  return {
    agenda: [{ title: "Warm-up", minutes: 10, instructions: "Say hello" }],
    step: 0,
    timer: { state: "idle", duration_ms: 0, ends_at: null, remaining_ms: 0 },
    locks: { structure: false, card_lanes: null, read_only: false },
    vote: null,
    private_writing: false,
    ...overrides,
  };
}

function state(seq: number, overrides: Partial<WorkshopStateData> = {}): WorkshopStateData {
  return { seq, now: "2026-03-02T10:00:00.000Z", workshop: workshop(), my_votes: {}, insights: [], ...overrides };
}

function op(seq: number, name: string, result: object, voter = "u:2"): OpMessage {
  return { type: "op", seq, id: `op-${seq}`, actor: { id: voter, name: "bob" }, op: name, args: {}, result: result as JsonObject };
}

const openVote = (hide: boolean) =>
  workshop({ vote: { id: "v1", lane_ids: null, votes_per_participant: 3, hide_results: hide, open: true, results: hide ? null : [] } });

describe("WorkshopStore", () => {
  let store: WorkshopStore;
  beforeEach(() => {
    store = new WorkshopStore(() => "u:2");
  });

  it("asks for the workshop after every snapshot and replays what arrived meanwhile", () => {
    expect(store.receive(snapshot(10))).toBe(true);
    store.receive(op(11, "agenda.go", workshop({ step: 2 })));
    store.receive(op(13, "agenda.go", workshop({ step: 4 })));

    store.load(state(12, { workshop: workshop({ step: 3 }) }), Date.parse("2026-03-02T10:00:00.000Z"));

    expect(store.getSnapshot().workshop?.step).toBe(4);
    store.receive(op(13, "agenda.go", workshop({ step: 1 })));
    expect(store.getSnapshot().workshop?.step).toBe(4);
  });

  it("counts the timer down on the server's clock, whatever this clock says", () => {
    const running = workshop({
      timer: { state: "running", duration_ms: 300_000, ends_at: "2026-03-02T10:05:00.000Z", remaining_ms: 300_000 },
    });
    // This machine's clock is one hour behind the server's.
    const clientNow = Date.parse("2026-03-02T09:00:00.000Z");
    store.load(state(5, { workshop: running }), clientNow);
    const { clockOffsetMs } = store.getSnapshot();

    expect(timerLeftMs(running.timer, clientNow, clockOffsetMs)).toBe(300_000);
    expect(timerLeftMs(running.timer, clientNow + 299_000, clockOffsetMs)).toBe(1_000);
    expect(timerLeftMs(running.timer, clientNow + 400_000, clockOffsetMs)).toBe(0);
    expect(timerLeftMs({ ...running.timer, state: "paused", ends_at: null, remaining_ms: 42_000 }, clientNow, 0)).toBe(42_000);
  });

  it("tracks my dots and, when results are visible, everyone's", () => {
    store.load(state(5, { workshop: openVote(false) }), 0);
    store.receive(op(6, "vote.add", { session_id: "v1", card_id: "c1", voter_id: "u:2", mine: 1, remaining: 2, total: 1 }));
    store.receive(op(7, "vote.add", { session_id: "v1", card_id: "c2", voter_id: "u:3", mine: 1, remaining: 2, total: 2 }));

    const now = store.getSnapshot();
    expect([...now.myVotes]).toEqual([["c1", 1]]);
    expect(votesLeft(now)).toBe(2);
    expect(ranking(now)).toEqual([
      { cardId: "c2", votes: 2 },
      { cardId: "c1", votes: 1 },
    ]);
  });

  it("shows the ranked result when a hidden vote closes, and starts afresh on the next", () => {
    store.load(state(5, { workshop: openVote(true), my_votes: { c1: 2 } }), 0);
    expect(ranking(store.getSnapshot())).toEqual([]);
    expect(votesLeft(store.getSnapshot())).toBe(1);

    const closed = workshop({
      vote: { id: "v1", lane_ids: null, votes_per_participant: 3, hide_results: true, open: false, results: [{ card_id: "c1", votes: 5 }] },
    });
    store.receive(op(6, "vote.close", closed));
    expect(ranking(store.getSnapshot())).toEqual([{ cardId: "c1", votes: 5 }]);

    store.receive(op(7, "vote.open", openVote(true)));
    expect(store.getSnapshot().myVotes.size).toBe(0);
    expect(votesLeft(store.getSnapshot())).toBe(3);
  });
});

describe("insights", () => {
  const insight = (overrides: Partial<InsightData> = {}): InsightData => ({
    id: "i1",
    kind: "action",
    text: "Show fees first",
    owner: "Dana",
    due_date: null,
    status: "todo",
    card_ids: [],
    position: "a1",
    version: 1,
    deleted: false,
    ...overrides,
  });

  it("keeps takeaways and actions in order as their ops arrive, and drops deleted ones", () => {
    const store = new WorkshopStore(() => "u:2");
    store.load(state(5, { insights: [insight()] }), 0);
    store.receive(op(6, "insight.create", insight({ id: "i0", kind: "takeaway", position: "a0" })));
    store.receive(op(7, "insight.update", insight({ status: "done", version: 2 })));
    expect(store.getSnapshot().insights.map((item) => [item.id, item.status])).toEqual([
      ["i0", "todo"],
      ["i1", "done"],
    ]);

    store.receive(op(8, "insight.delete", insight({ deleted: true, version: 3 })));
    expect(store.getSnapshot().insights.map((item) => item.id)).toEqual(["i0"]);
  });
});

describe("loadWorkshop", () => {
  it("reads the workshop and retries after a server error", async () => {
    const store = new WorkshopStore(() => "u:2");
    store.receive(snapshot(4));
    const answers = [new Response("", { status: 503 }), Response.json(state(4, { workshop: workshop({ step: 6 }) }))];
    const urls: string[] = [];
    const fakeFetch = (async (url: string) => {
      urls.push(url);
      return answers.shift() as Response;
    }) as unknown as typeof fetch;

    await loadWorkshop("b1", store, fakeFetch);

    expect(urls).toEqual(["/api/boards/b1/workshop/", "/api/boards/b1/workshop/"]);
    expect(store.getSnapshot().workshop?.step).toBe(6);
  });
});

describe("sendSummary", () => {
  it("posts with the session's CSRF token and reports how many emails went out", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Response.json({ sent: 4 });
    }) as unknown as typeof fetch;

    expect(await sendSummary("b1", fakeFetch, "sessionid=x; csrftoken=abc%3D")).toBe(4);
    expect(calls[0]?.url).toBe("/api/boards/b1/workshop/summary/");
    expect((calls[0]?.init.headers as Record<string, string>)["X-CSRFToken"]).toBe("abc=");
  });
});
