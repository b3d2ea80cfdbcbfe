/**
 * The workshop as this client sees it: agenda, timer, locks, the current dot vote and private
 * writing. Plain TypeScript like the board store: it is fed server frames and the REST read
 * (GET /api/boards/<id>/workshop/), and computes the timer from server time.
 *
 * Every workshop op carries the whole workshop (WorkshopData), so applying one is replacing
 * the state. The REST read is at some seq; ops that arrive while it is in flight are replayed
 * on top of it when it lands, those it already includes are skipped.
 */
import { liveInOrder } from "./view";
import type {
  InsightData,
  JsonObject,
  OpMessage,
  RevealData,
  ServerMessage,
  SummarySentData,
  TimerData,
  VoteData,
  WorkshopData,
  WorkshopStateData,
} from "./protocol";

/** Ops whose result is the whole workshop. */
const WORKSHOP_RESULT_OPS = new Set([
  "workshop.lock",
  "agenda.update",
  "agenda.go",
  "timer.start",
  "timer.pause",
  "timer.resume",
  "timer.extend",
  "timer.stop",
  "vote.open",
  "vote.close",
  "private.start",
]);

export function isWorkshopOp(op: string): boolean {
  return WORKSHOP_RESULT_OPS.has(op) || op.startsWith("insight.") || op === "private.reveal" || op === "vote.add" || op === "vote.remove";
}

export interface WorkshopSnapshot {
  workshop: WorkshopData | null;
  /** This participant's dots in the open vote, by card. */
  myVotes: ReadonlyMap<string, number>;
  /** Everyone's dots by card, when the results are visible. */
  totals: ReadonlyMap<string, number>;
  /** Server clock minus this clock, in ms. */
  clockOffsetMs: number;
  /** Key takeaways and action items, in display order. */
  insights: readonly InsightData[];
}

/** Time left on the timer at client time `nowMs`, counted on the server's clock. */
export function timerLeftMs(timer: TimerData, nowMs: number, clockOffsetMs: number): number {
  if (timer.state === "running" && timer.ends_at !== null) {
    return Math.max(0, Date.parse(timer.ends_at) - (nowMs + clockOffsetMs));
  }
  return timer.state === "paused" ? timer.remaining_ms : 0;
}

/** Votes still to place in the open vote. */
export function votesLeft(snapshot: WorkshopSnapshot): number {
  const vote = snapshot.workshop?.vote;
  if (!vote?.open) return 0;
  let used = 0;
  for (const count of snapshot.myVotes.values()) used += count;
  return Math.max(0, vote.votes_per_participant - used);
}

/** The cards of the vote, most votes first. */
export function ranking(snapshot: WorkshopSnapshot): { cardId: string; votes: number }[] {
  return [...snapshot.totals]
    .filter(([, votes]) => votes > 0)
    .map(([cardId, votes]) => ({ cardId, votes }))
    .sort((a, b) => b.votes - a.votes || a.cardId.localeCompare(b.cardId));
}

export class WorkshopStore {
  private seq = 0;
  private loading = false;
  /** Workshop ops received while a REST read is in flight. */
  private inFlight: OpMessage[] = [];
  private snapshot: WorkshopSnapshot = { workshop: null, myVotes: new Map(), totals: new Map(), clockOffsetMs: 0, insights: [] };
  private listeners = new Set<() => void>();

  constructor(private readonly you: () => string | null) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): WorkshopSnapshot => this.snapshot;

  /**
   * A server frame. Returns true when the workshop must be read again over REST: after a
   * snapshot, whose replacement of the board state skipped the workshop ops in between.
   */
  receive(message: ServerMessage): boolean {
    if (message.type === "snapshot") {
      this.loading = true;
      this.inFlight = [];
      return true;
    }
    if (message.type !== "op" || !isWorkshopOp(message.op)) return false;
    if (this.loading) this.inFlight.push(message);
    this.apply(message);
    return false;
  }

  /** The REST read landed; `clientNowMs` is this clock when it arrived. */
  load(state: WorkshopStateData, clientNowMs: number): void {
    this.loading = false;
    const pending = this.inFlight.filter((op) => op.seq > state.seq);
    this.inFlight = [];
    this.seq = state.seq;
    this.snapshot = {
      workshop: state.workshop,
      myVotes: new Map(Object.entries(state.my_votes)),
      totals: totalsOf(state.workshop),
      clockOffsetMs: Date.parse(state.now) - clientNowMs,
      insights: state.insights,
    };
    for (const op of pending) this.apply(op);
    this.changed();
  }

  private apply(message: OpMessage): void {
    if (message.seq <= this.seq) return;
    this.seq = message.seq;
    const result = message.result;
    if (WORKSHOP_RESULT_OPS.has(message.op)) {
      const workshop = result as unknown as WorkshopData;
      const fresh = message.op === "vote.open";
      this.snapshot = {
        ...this.snapshot,
        workshop,
        myVotes: fresh ? new Map() : this.snapshot.myVotes,
        totals: fresh || workshop.vote?.results ? totalsOf(workshop) : this.snapshot.totals,
      };
    } else if (message.op.startsWith("insight.")) {
      const insight = result as unknown as InsightData;
      const others = this.snapshot.insights.filter((item) => item.id !== insight.id);
      this.snapshot = { ...this.snapshot, insights: liveInOrder([...others, insight]) };
    } else if (message.op === "private.reveal") {
      this.snapshot = { ...this.snapshot, workshop: (result as unknown as RevealData).workshop };
    } else {
      this.applyVote(result);
    }
    this.changed();
  }

  private applyVote(result: JsonObject): void {
    const vote = result as unknown as VoteData;
    const myVotes = vote.voter_id === this.you() ? new Map(this.snapshot.myVotes).set(vote.card_id, vote.mine) : this.snapshot.myVotes;
    const totals = vote.total === null ? this.snapshot.totals : new Map(this.snapshot.totals).set(vote.card_id, vote.total);
    this.snapshot = { ...this.snapshot, myVotes, totals };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function totalsOf(workshop: WorkshopData): Map<string, number> {
  return new Map((workshop.vote?.results ?? []).map((tally) => [tally.card_id, tally.votes]));
}

/** How long to wait before reading the workshop again after a failure, by attempt. */
const RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000, 8_000];

/**
 * Reads the workshop over REST and hands it to `store`. The server's clock is taken at the
 * middle of the round trip, so the timer is right to within half of it.
 */
export async function loadWorkshop(boardId: string, store: WorkshopStore, fetchImpl: typeof fetch = fetch): Promise<void> {
  for (const delay of RETRY_DELAYS_MS) {
    const sent = Date.now();
    try {
      const response = await fetchImpl(`/api/boards/${boardId}/workshop/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) {
        store.load((await response.json()) as WorkshopStateData, (sent + Date.now()) / 2);
        return;
      }
      // Refused (no access any more): retrying will not help; the board itself says why.
      if (response.status < 500) return;
    } catch {
      // The network: try again below.
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** The session's CSRF token (Django's `csrftoken` cookie), which unsafe requests must echo. */
export function csrfToken(cookies: string): string {
  const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(cookies);
  return match?.[1] ? decodeURIComponent(match[1]) : "";
}

/** Emails the workshop summary to every member; the number sent, or null when refused. */
export async function sendSummary(boardId: string, fetchImpl: typeof fetch = fetch, cookies = document.cookie): Promise<number | null> {
  const response = await fetchImpl(`/api/boards/${boardId}/workshop/summary/`, {
    method: "POST",
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken(cookies) },
  });
  if (!response.ok) return null;
  return ((await response.json()) as SummarySentData).sent;
}
