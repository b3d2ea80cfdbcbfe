import { describe, expect, it, vi } from "vitest";
import { KpiFeed, formatValue, kpisOfStage, sparkline } from "./kpis";
import type { KpiSummary } from "./kpis";
import type { OpMessage } from "./protocol";

function kpi(overrides: Partial<KpiSummary> = {}): KpiSummary {
  return {
    stage_id: "s1",
    card_id: null,
    kind: "nps",
    name: "",
    unit: "",
    scale: null,
    date: "2026-03-31",
    value: 40,
    responses: 5,
    promoters: 3,
    passives: 1,
    detractors: 1,
    satisfied_pct: null,
    trend: "up",
    tone: "good",
    samples: 2,
    history: [
      { date: "2026-02-28", value: 10 },
      { date: "2026-03-31", value: 40 },
    ],
    ...overrides,
  };
}

function op(name: string): OpMessage {
  return { type: "op", seq: 1, id: "x", actor: { id: null, name: "" }, op: name, args: {}, result: {} };
}

class FakeStore {
  listener: ((message: OpMessage | null) => void) | null = null;
  onServerOp(listener: (message: OpMessage | null) => void) {
    this.listener = listener;
    return () => (this.listener = null);
  }
}

function respond(kpis: KpiSummary[]) {
  return vi.fn(async () => new Response(JSON.stringify({ seq: 1, kpis }), { status: 200 }));
}

describe("KpiFeed", () => {
  it("loads the board's KPIs and tells its listeners", async () => {
    const fetcher = respond([kpi()]);
    const feed = new KpiFeed("b1", fetcher, 0);
    const seen = vi.fn();
    feed.subscribe(seen);
    feed.start(new FakeStore());
    await vi.waitFor(() => expect(seen).toHaveBeenCalled());
    expect(fetcher).toHaveBeenCalledWith("/api/boards/b1/kpis/", expect.anything());
    expect(feed.getSnapshot()[0]?.value).toBe(40);
  });

  it("reloads once after a burst of metric ops, and not for card edits", async () => {
    vi.useFakeTimers();
    try {
      const fetcher = respond([]);
      const store = new FakeStore();
      const feed = new KpiFeed("b1", fetcher, 300);
      feed.start(store);
      await vi.runAllTimersAsync();
      expect(fetcher).toHaveBeenCalledTimes(1);
      store.listener?.(op("card.update"));
      await vi.runAllTimersAsync();
      expect(fetcher).toHaveBeenCalledTimes(1);
      for (let i = 0; i < 50; i++) store.listener?.(op("metric.record"));
      store.listener?.(op("stage.delete"));
      await vi.runAllTimersAsync();
      expect(fetcher).toHaveBeenCalledTimes(2);
      store.listener?.(null);
      await vi.runAllTimersAsync();
      expect(fetcher).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("KPI helpers", () => {
  it("draws a sparkline with the highest value at the top", () => {
    expect(sparkline(kpi().history, 60, 20)).toBe("0,20 60,0");
    expect(sparkline([{ date: "d", value: 3 }], 60, 20)).toBe("30,20");
    expect(sparkline([], 60, 20)).toBe("");
  });

  it("finds the KPIs of a stage, those of its touchpoint cards included", () => {
    const atCard = kpi({ stage_id: null, card_id: "c1", kind: "csat" });
    const elsewhere = kpi({ stage_id: "s2" });
    const found = kpisOfStage([kpi(), atCard, elsewhere], "s1", new Map([["c1", "s1"]]));
    expect(found).toEqual([kpi(), atCard]);
  });

  it("formats each kind with its unit, in the reader's locale", () => {
    expect(formatValue(kpi({ kind: "csat", value: 8.4, scale: 10 }), "fr")).toBe("8,4/10");
    expect(formatValue(kpi({ kind: "conversion_rate", value: 3.5 }), "en")).toBe("3.5 %");
    expect(formatValue(kpi({ kind: "handling_time", value: 95 }), "en")).toBe("95 s");
    expect(formatValue(kpi({ kind: "custom", value: 1250, unit: "paniers" }), "fr")).toBe("1\u202f250 paniers");
  });
});
