import { describe, expect, it } from "vitest";
import { ApiError, HistoryApi, query } from "./historyApi";

function recordingFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  }) as unknown as typeof fetch;
  return { calls, fetcher };
}

describe("query", () => {
  it("leaves out empty filters", () => {
    expect(query({ actor: "u:2", stage: "", kind: undefined, before: 40 })).toBe("?actor=u%3A2&before=40");
    expect(query({})).toBe("");
  });
});

describe("HistoryApi", () => {
  it("sends writes with the CSRF token of the session cookie", async () => {
    const { calls, fetcher } = recordingFetch(201, { id: "v1" });
    const api = new HistoryApi("b1", fetcher, () => "sessionid=x; csrftoken=abc%3D");

    await api.createVersion("Q1 review");

    expect(calls[0]?.url).toBe("/api/boards/b1/versions/");
    expect(calls[0]?.init.method).toBe("POST");
    expect((calls[0]?.init.headers as Record<string, string>)["X-CSRFToken"]).toBe("abc=");
    expect(calls[0]?.init.body).toBe('{"name":"Q1 review"}');
  });

  it("turns a refusal into an ApiError with the server's words", async () => {
    const { fetcher } = recordingFetch(403, { code: "forbidden", message: "Pas autorisé." });
    const api = new HistoryApi("b1", fetcher, () => "");

    await expect(api.restoreVersion("v1")).rejects.toEqual(new ApiError("forbidden", "Pas autorisé."));
  });

  it("asks for the board at a date in UTC", async () => {
    const { calls, fetcher } = recordingFetch(200, { seq: 3, at: null, snapshot: {} });
    const api = new HistoryApi("b1", fetcher, () => "");

    const answer = await api.atDate(new Date(Date.UTC(2026, 2, 31, 9, 30)));

    expect(calls[0]?.url).toBe("/api/boards/b1/history/?at=2026-03-31T09%3A30%3A00.000Z");
    expect(answer.seq).toBe(3);
  });

  it("builds the CSV link with the same filters as the log", () => {
    const api = new HistoryApi("b1", recordingFetch(200, {}).fetcher, () => "");
    expect(api.activityCsvUrl({ kind: "card", actor: "" })).toBe("/api/boards/b1/activity.csv?kind=card");
  });
});
