/**
 * One open board: the transport feeding the store, the heartbeat, and throttled presence.
 * The only module that owns timers, so store and transport stay testable on their own.
 */
import type { Cursor, PresenceUpdate, Viewport } from "./protocol";
import { BoardStore } from "./store";
import { ACK_EVERY_OPS, CLOSE_RESYNC } from "./protocol";
import { Transport, boardSocketUrl } from "./transport";
import type { TransportEnvironment } from "./transport";
import { browserEnvironment } from "./transport";
import { WorkshopStore, loadWorkshop } from "./workshop";

/** The server answers `ping` and uses its seq to spot sockets that fell behind. */
export const PING_INTERVAL_MS = 5_000;
/** The server flushes presence ~10 times a second; sending faster only costs bandwidth. */
export const PRESENCE_INTERVAL_MS = 100;

export class BoardSession {
  readonly store: BoardStore;
  readonly workshop: WorkshopStore;
  private readonly transport: Transport;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  /** The seq of the last ping: a busy board is acknowledged every ACK_EVERY_OPS ops. */
  private pingedSeq = 0;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private presence: Omit<PresenceUpdate, "type"> = { cursor: null, editing: null };
  private presenceDirty = false;

  constructor(boardId: string, env: TransportEnvironment = browserEnvironment, url = boardSocketUrl(window.location, boardId)) {
    this.store = new BoardStore((message) => this.transport.send(message));
    this.workshop = new WorkshopStore(() => this.store.getSnapshot().you?.id ?? null);
    this.transport = new Transport(
      url,
      {
        open: () => {
          this.store.connectionOpened();
          this.presenceDirty = true;
          this.flushPresence();
        },
        message: (message) => {
          this.store.receive(message);
          // The server counts what a sync sent as acknowledged; counting from there keeps a
          // board's clients, who all joined before its first op, from pinging on the same op.
          if (message.type === "snapshot" || message.type === "synced") this.pingedSeq = message.seq;
          if (message.type === "op" && this.store.lastSeq - this.pingedSeq >= ACK_EVERY_OPS) this.ping();
          if (this.workshop.receive(message)) void loadWorkshop(boardId, this.workshop);
        },
        state: (state, code) => {
          // The server closes a socket that fell too far behind; it is a normal reconnect.
          this.store.connectionChanged(state === "offline" && code === CLOSE_RESYNC ? "reconnecting" : state);
        },
      },
      env,
    );
  }

  start(): void {
    this.transport.start();
    this.pingTimer = setInterval(() => this.ping(), PING_INTERVAL_MS);
  }

  private ping(): void {
    this.pingedSeq = this.store.lastSeq;
    this.transport.send({ type: "ping", seq: this.pingedSeq });
  }

  stop(): void {
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    if (this.presenceTimer !== null) clearTimeout(this.presenceTimer);
    this.transport.stop();
  }

  setCursor(cursor: Cursor | null): void {
    this.updatePresence({ ...this.presence, cursor });
  }

  /** Where this participant looks, for those who follow them. */
  setViewport(viewport: Viewport | null): void {
    this.updatePresence({ ...this.presence, viewport });
  }

  /** Brings everyone's view to `viewport` (facilitators): said once, in the next frame. */
  summon(viewport: Viewport): void {
    this.updatePresence({ ...this.presence, summon: viewport });
  }

  setEditing(cardId: string | null): void {
    if (cardId === this.presence.editing) return;
    this.updatePresence({ ...this.presence, editing: cardId });
  }

  /** Sends at most one presence frame per interval, always the latest state. */
  private updatePresence(next: Omit<PresenceUpdate, "type">): void {
    this.presence = next;
    this.presenceDirty = true;
    if (this.presenceTimer === null) this.flushPresence();
  }

  private flushPresence(): void {
    if (!this.presenceDirty) {
      this.presenceTimer = null;
      return;
    }
    const sent = this.transport.send({ type: "presence", ...this.presence });
    if (sent && this.presence.summon) {
      const { summon: _said, ...rest } = this.presence;
      this.presence = rest;
    }
    this.presenceDirty = !sent;
    // While disconnected the latest state waits for the `open` handler, not for a timer.
    this.presenceTimer = sent ? setTimeout(() => this.flushPresence(), PRESENCE_INTERVAL_MS) : null;
  }
}
