/**
 * The board's history over REST (history/api.py): versions, the board at a past seq,
 * deleted items, compare and the activity log. Reads need any role; the server checks writes.
 * Types mirror the TypedDicts of history/api.py and history/compare.py.
 */
import type { ActorData, CardData, ErrorCode, SnapshotData, StageData } from "./protocol";

export interface VersionData {
  id: string;
  name: string;
  kind: "manual" | "workshop" | "daily" | "before_restore";
  seq: number;
  created_at: string;
  created_by: string;
}

export interface TimeTravelData {
  seq: number;
  at: string | null;
  snapshot: SnapshotData;
}

export interface DeletedData {
  kind: "card" | "stage";
  item: CardData | StageData;
  seq: number | null;
  deleted_at: string | null;
  deleted_by: string;
  cards: number;
}

export interface CardChange {
  before: CardData;
  after: CardData;
  fields: string[];
}

export interface CellDiff {
  stage: string;
  lane: string;
  added: CardData[];
  removed: CardData[];
  changed: CardChange[];
  unchanged: number;
}

export interface SideData {
  board_id: string;
  title: string;
  label: string;
  seq: number;
  snapshot: SnapshotData;
}

export interface KpiDelta {
  stage: string;
  kind: string;
  name: string;
  unit: string;
  left: number | null;
  right: number | null;
  delta: number | null;
  /** Whether the change is an improvement (for CES or drop-off, lower is better). */
  better: boolean | null;
}

export interface CompareData {
  left: SideData;
  right: SideData;
  diff: {
    cells: CellDiff[];
    totals: { added: number; removed: number; changed: number; unchanged: number };
    kpis: KpiDelta[];
  };
}

export interface ActivityEntry {
  seq: number;
  at: string;
  actor: ActorData;
  op: string;
  kind: string;
  object_id: string | null;
  stage_id: string | null;
  summary: string;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  next_before: number | null;
  /** Everyone who ever changed the board, to filter by. */
  people: ActorData[];
}

export interface ActivityFilters {
  actor?: string;
  stage?: string;
  kind?: string;
}

/** A refusal from the API, with its message in the user's language. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | "unauthenticated" | "network",
    message: string,
  ) {
    super(message);
  }
}

/** Query parameters without the empty filters. */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function csrfToken(cookies: string): string {
  const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(cookies);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

type Fetch = typeof fetch;

export class HistoryApi {
  private readonly base: string;

  constructor(
    boardId: string,
    private readonly fetcher: Fetch = (...args) => fetch(...args),
    private readonly cookies: () => string = () => document.cookie,
  ) {
    this.base = `/api/boards/${boardId}/`;
  }

  versions(): Promise<VersionData[]> {
    return this.request("versions/");
  }

  version(id: string): Promise<{ version: VersionData; snapshot: SnapshotData }> {
    return this.request(`versions/${id}/`);
  }

  createVersion(name: string): Promise<VersionData> {
    return this.request("versions/", "POST", { name });
  }

  /** The op's answer: restoring `before_version_id` undoes this restore. */
  restoreVersion(id: string): Promise<{ seq: number; result: { before_version_id: string } }> {
    return this.request(`versions/${id}/restore/`, "POST");
  }

  copyVersion(id: string): Promise<SnapshotData> {
    return this.request(`versions/${id}/copy/`, "POST", {});
  }

  at(seq: number): Promise<TimeTravelData> {
    return this.request(`history/${query({ seq })}`);
  }

  /** The board at a date: the answer's `seq` is the last change made by then. */
  atDate(when: Date): Promise<TimeTravelData> {
    return this.request(`history/${query({ at: when.toISOString() })}`);
  }

  deleted(): Promise<DeletedData[]> {
    return this.request("deleted/");
  }

  compare(left: string, right: string): Promise<CompareData> {
    return this.request(`compare/${query({ left, right })}`);
  }

  activity(filters: ActivityFilters, before?: number): Promise<ActivityPage> {
    return this.request(`activity/${query({ ...filters, before })}`);
  }

  activityCsvUrl(filters: ActivityFilters): string {
    return `${this.base}activity.csv${query({ ...filters })}`;
  }

  private async request<T>(path: string, method: "GET" | "POST" = "GET", body?: object): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (method === "POST") {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = csrfToken(this.cookies());
    }
    let response: Response;
    try {
      response = await this.fetcher(`${this.base}${path}`, {
        method,
        headers,
        credentials: "same-origin",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError("network", "");
    }
    const data: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = (data ?? {}) as { code?: ApiError["code"]; message?: string };
      throw new ApiError(error.code ?? "bad_message", error.message ?? "");
    }
    return data as T;
  }
}
