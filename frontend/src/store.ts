/**
 * The board as this client sees it: the server's state at `seq`, with this user's
 * unacknowledged ops applied on top. Plain TypeScript (no React, no timers, no socket): it is
 * fed server frames and connection events, and hands the frames it wants sent to `send`.
 *
 * Rules it keeps (docs: DESIGN.md, "The live protocol"):
 * - server ops apply strictly in seq order; a gap is buffered and repaired with `sync`;
 * - a local op stays on top until the op frame with its id (the ack) or an error (rollback);
 * - after a reconnect: `sync` from the last seq first, then the unacknowledged ops again with
 *   their original ids, so the server's idempotency turns a blip into no loss and no double.
 */
import { applyChanges, isBatchChanges } from "./changes";
import { inverseOf, isItemKind, predict, splitOpName } from "./objects";
import type { Collections, Item, ItemKind, OpCall } from "./objects";
import type {
  ClientMessage,
  ErrorCode,
  JsonObject,
  OpMessage,
  ParticipantData,
  PresenceEntry,
  RevealData,
  ServerMessage,
  SnapshotMessage,
} from "./protocol";
import { buildView } from "./view";
import type { BoardView } from "./view";

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

export interface Notice {
  key: number;
  /** A server error code, or "undo_skipped" when someone else changed the object since. */
  code: ErrorCode | "undo_skipped";
  message: string;
}

interface PendingOp extends OpCall {
  id: string;
  sentOnThisConnection: boolean;
}

interface HistoryEntry {
  /** The op this entry undoes (or redoes); its ack tells which version it produced. */
  opId: string;
  kind: ItemKind | "board";
  objectId: string;
  inverse: OpCall;
  /** The object's version right after `opId` applied; null until its ack arrives. */
  versionAfter: number | null;
}

export interface StoreSnapshot {
  view: BoardView;
  connection: ConnectionStatus;
  /** Connected and holding the server's board as of this connection: edits go out now. */
  caughtUp: boolean;
  you: ParticipantData | null;
  participants: ReadonlyMap<string, ParticipantData>;
  presence: ReadonlyMap<string, PresenceEntry>;
  notices: readonly Notice[];
  pendingCount: number;
  canUndo: boolean;
  canRedo: boolean;
}

type Send = (message: ClientMessage) => boolean;
type HistoryMode = "do" | "undo" | "redo";

function emptyCollections(): Collections {
  return { board: null, stage: new Map(), lane: new Map(), card: new Map(), persona: new Map() };
}

function cloneCollections(source: Collections): Collections {
  return {
    board: source.board,
    stage: new Map(source.stage),
    lane: new Map(source.lane),
    card: new Map(source.card),
    persona: new Map(source.persona),
  };
}

export class BoardStore {
  private server: Collections = emptyCollections();
  private seq = 0;
  private hasSnapshot = false;
  private pending: PendingOp[] = [];
  /** Op frames that arrived ahead of a missing seq, waiting for the gap to be filled. */
  private ahead = new Map<number, OpMessage>();
  private syncInFlight = false;
  /** False from connect until the catch-up answer: ops wait so they follow the replay. */
  private caughtUp = false;
  private connection: ConnectionStatus = "connecting";
  private you: ParticipantData | null = null;
  private participants = new Map<string, ParticipantData>();
  private presence = new Map<string, PresenceEntry>();
  private notices: Notice[] = [];
  private noticeKey = 0;
  private ownOpIds = new Set<string>();
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  /** Per object, the latest version someone else's op produced: undo must not clobber it. */
  private foreignVersion = new Map<string, number>();
  private listeners = new Set<() => void>();
  private serverOpListeners = new Set<(message: OpMessage | null) => void>();
  private snapshotCache: StoreSnapshot;
  private predicted: Collections = emptyCollections();

  constructor(
    private readonly send: Send,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {
    this.snapshotCache = this.buildSnapshot(null);
  }

  // --- reading --------------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): StoreSnapshot => this.snapshotCache;

  /** Each server op as it applies, and null when a snapshot replaces the board: for features
   * that keep their own state beside the board's (the KPIs). */
  onServerOp = (listener: (message: OpMessage | null) => void): (() => void) => {
    this.serverOpListeners.add(listener);
    return () => this.serverOpListeners.delete(listener);
  };

  get lastSeq(): number {
    return this.seq;
  }

  // --- connection events ----------------------------------------------------------------------

  connectionOpened(): void {
    this.caughtUp = false;
    this.syncInFlight = false;
    for (const op of this.pending) op.sentOnThisConnection = false;
    this.connection = "connected";
    this.requestSync();
    this.changed(false);
  }

  connectionChanged(status: ConnectionStatus): void {
    if (status !== "connected") {
      this.caughtUp = false;
      this.syncInFlight = false;
      // Who is here is only known while connected; a stale list would mislead.
      this.presence = new Map();
    }
    this.connection = status;
    this.changed(false);
  }

  // --- server frames --------------------------------------------------------------------------

  receive(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        this.you = message.you;
        this.participants = new Map(message.participants.map((p) => [p.id, p]));
        this.participants.set(message.you.id, message.you);
        this.changed(false);
        return;
      case "snapshot":
        this.applySnapshot(message);
        return;
      case "op":
        this.receiveOp(message);
        return;
      case "synced":
        this.syncInFlight = false;
        this.drainAhead();
        if (this.seq < message.seq || this.ahead.size > 0) this.requestSync();
        else this.catchUpDone();
        this.changed(true);
        return;
      case "presence":
        // Maps are replaced, never mutated, so React sees a new value when they change.
        this.presence = new Map(this.presence);
        for (const entry of message.participants) {
          if (entry.id !== this.you?.id) this.presence.set(entry.id, entry);
        }
        this.changed(false);
        return;
      case "join":
        this.participants = new Map(this.participants).set(message.participant.id, message.participant);
        this.changed(false);
        return;
      case "leave":
        this.participants = new Map(this.participants);
        this.participants.delete(message.participant_id);
        this.presence = new Map(this.presence);
        this.presence.delete(message.participant_id);
        this.changed(false);
        return;
      case "error":
        this.receiveError(message.id ?? null, message.code ?? "bad_message", message.message ?? "", message.current);
        return;
      case "pong":
        // The pong carries the newest seq the server delivered: being behind it means a frame
        // was lost. It is also the moment to retry ops the rate limit turned away.
        if (this.hasSnapshot && message.seq > this.seq) this.requestSync();
        for (const op of this.pending) this.trySend(op);
        return;
    }
  }

  // --- local changes --------------------------------------------------------------------------

  /** Applies an op locally at once and sends it (now, or once connected); returns its id. */
  submit(op: string, args: JsonObject): string {
    return this.submitWithHistory({ op, args }, "do");
  }

  undo(): boolean {
    return this.replay(this.undoStack, "undo");
  }

  redo(): boolean {
    return this.replay(this.redoStack, "redo");
  }

  dismissNotice(key: number): void {
    this.notices = this.notices.filter((notice) => notice.key !== key);
    this.changed(false);
  }

  /** The item as the user sees it now (pending changes included). */
  item<K extends ItemKind>(kind: K, id: string): Collections[K] extends Map<string, infer T> ? T | undefined : never {
    return this.predicted[kind].get(id) as never;
  }

  // --- internals ------------------------------------------------------------------------------

  private submitWithHistory(call: OpCall, mode: HistoryMode): string {
    const id = this.newId();
    const { kind } = splitOpName(call.op);
    const objectId = kind === "board" ? "board" : typeof call.args.id === "string" ? call.args.id : null;
    if (kind !== null && objectId !== null) {
      const before = kind === "board" ? this.predicted.board : (this.predicted[kind].get(objectId) ?? null);
      const inverse = inverseOf(call, before);
      if (inverse) {
        const entry: HistoryEntry = { opId: id, kind, objectId, inverse, versionAfter: null };
        if (mode === "undo") this.redoStack.push(entry);
        else this.undoStack.push(entry);
      }
    }
    if (mode === "do") this.redoStack = [];
    this.ownOpIds.add(id);
    const pending: PendingOp = { id, ...call, sentOnThisConnection: false };
    this.pending.push(pending);
    this.trySend(pending);
    this.changed(true);
    return id;
  }

  private replay(stack: HistoryEntry[], mode: "undo" | "redo"): boolean {
    const entry = stack.pop();
    if (!entry) return false;
    if (entry.versionAfter !== null && (this.foreignVersion.get(entry.objectId) ?? 0) > entry.versionAfter) {
      this.notify("undo_skipped", "");
      this.changed(false);
      return false;
    }
    const args = { ...entry.inverse.args };
    // Compare-and-set on the server too, for a change that races ours on the way there.
    if (entry.inverse.op.endsWith(".update") && entry.kind !== "board" && entry.versionAfter !== null) {
      args.if_version = entry.versionAfter;
    }
    this.submitWithHistory({ op: entry.inverse.op, args }, mode);
    return true;
  }

  private trySend(op: PendingOp): void {
    if (!this.caughtUp || op.sentOnThisConnection) return;
    op.sentOnThisConnection = this.send({ type: "op", id: op.id, op: op.op, args: op.args });
  }

  private requestSync(): void {
    if (this.syncInFlight) return;
    this.syncInFlight = this.send({ type: "sync", since: this.hasSnapshot ? this.seq : null });
  }

  private catchUpDone(): void {
    if (this.caughtUp || this.connection !== "connected") return;
    this.caughtUp = true;
    for (const op of this.pending) this.trySend(op);
  }

  private applySnapshot(message: SnapshotMessage): void {
    const server = emptyCollections();
    server.board = message.board;
    for (const stage of message.stages) server.stage.set(stage.id, stage);
    for (const lane of message.lanes) server.lane.set(lane.id, lane);
    for (const card of message.cards) server.card.set(card.id, card);
    for (const persona of message.personas) server.persona.set(persona.id, persona);
    this.server = server;
    this.seq = message.seq;
    this.hasSnapshot = true;
    for (const listener of this.serverOpListeners) listener(null);
    this.syncInFlight = false;
    for (const seq of this.ahead.keys()) if (seq <= message.seq) this.ahead.delete(seq);
    this.drainAhead();
    if (this.ahead.size > 0) this.requestSync();
    else this.catchUpDone();
    this.changed(true);
  }

  private receiveOp(message: OpMessage): void {
    if (this.hasSnapshot && message.seq <= this.seq) {
      // Already applied: this is the answer to an op resent after a reconnect.
      this.acknowledge(message);
      this.changed(true);
      return;
    }
    this.ahead.set(message.seq, message);
    if (!this.hasSnapshot) return;
    this.drainAhead();
    if (this.ahead.size > 0) this.requestSync();
    this.changed(true);
  }

  private drainAhead(): void {
    if (!this.hasSnapshot) return;
    for (let next = this.ahead.get(this.seq + 1); next; next = this.ahead.get(this.seq + 1)) {
      this.ahead.delete(next.seq);
      this.applyServerOp(next);
      this.seq = next.seq;
    }
  }

  private applyServerOp(message: OpMessage): void {
    const { kind } = splitOpName(message.op);
    const result = message.result;
    if (kind === "board") {
      this.server.board = { ...(this.server.board ?? {}), ...result } as Collections["board"];
    } else if (isItemKind(kind) && typeof result.id === "string") {
      (this.server[kind] as Map<string, Item>).set(result.id, result as unknown as Item);
      if (!this.ownOpIds.has(message.id) && typeof result.version === "number") {
        this.foreignVersion.set(result.id, result.version);
      }
    } else if (message.op === "private.reveal") {
      // Private writing ends: the cards written meanwhile, now everyone's.
      for (const card of (result as unknown as RevealData).cards) this.server.card.set(card.id, card);
    } else if (isBatchChanges(result.changes)) {
      applyChanges(this.server, result.changes);
    }
    this.acknowledge(message);
    for (const listener of this.serverOpListeners) listener(message);
  }

  private acknowledge(message: OpMessage): void {
    this.pending = this.pending.filter((op) => op.id !== message.id);
    const version = message.result.version;
    if (typeof version !== "number") return;
    for (const entry of [...this.undoStack, ...this.redoStack]) {
      if (entry.opId === message.id) entry.versionAfter = version;
    }
  }

  private receiveError(id: string | null, code: ErrorCode, text: string, current: JsonObject | undefined): void {
    const refused = id === null ? undefined : this.pending.find((op) => op.id === id);
    if (refused && code === "rate_limited") {
      // Not refused, only postponed: the op is sent again at the next pong.
      refused.sentOnThisConnection = false;
      return;
    }
    if (id !== null && this.pending.some((op) => op.id === id)) {
      this.pending = this.pending.filter((op) => op.id !== id);
      this.undoStack = this.undoStack.filter((entry) => entry.opId !== id);
      this.redoStack = this.redoStack.filter((entry) => entry.opId !== id);
    }
    if (current && typeof current.id === "string" && typeof current.version === "number") {
      this.adoptNewer(current);
    }
    this.notify(code, text);
    this.changed(true);
  }

  /** A conflict carries the object as it is now; take it when it is newer than ours. */
  private adoptNewer(current: JsonObject): void {
    for (const kind of ["stage", "lane", "card", "persona"] as const) {
      const items = this.server[kind] as Map<string, Item>;
      const known = items.get(current.id as string);
      if (known && known.version < (current.version as number)) items.set(known.id, current as unknown as Item);
    }
  }

  private notify(code: Notice["code"], message: string): void {
    this.noticeKey += 1;
    this.notices = [...this.notices, { key: this.noticeKey, code, message }].slice(-5);
  }

  private changed(contentChanged: boolean): void {
    if (contentChanged) {
      const predicted = cloneCollections(this.server);
      for (const op of this.pending) predict(predicted, op, this.you);
      this.predicted = predicted;
    }
    this.snapshotCache = this.buildSnapshot(contentChanged ? null : this.snapshotCache.view);
    for (const listener of this.listeners) listener();
  }

  private buildSnapshot(view: BoardView | null): StoreSnapshot {
    return {
      view: view ?? buildView(this.predicted, this.snapshotCache?.view ?? null),
      connection: this.connection,
      caughtUp: this.caughtUp,
      you: this.you,
      participants: this.participants,
      presence: this.presence,
      notices: this.notices,
      pendingCount: this.pending.length,
      canUndo: this.undoStack.length > 0,
      canRedo: this.redoStack.length > 0,
    };
  }
}
