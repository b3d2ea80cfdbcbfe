/**
 * The board WebSocket, kept apart from sync logic: it connects, reconnects with back-off and
 * reports its state. It knows nothing of seqs or ops; the store decides what to (re)send.
 */
import { backoffDelay } from "./backoff";
import { CLOSE_FORBIDDEN, CLOSE_REMOVED, CLOSE_UNAUTHENTICATED } from "./protocol";
import type { ClientMessage, ServerMessage } from "./protocol";

export type ConnectionState = "connecting" | "connected" | "reconnecting" | "offline";

/** WebSocket.OPEN, spelled out because Node (where the tests run) may lack the global. */
const SOCKET_OPEN = 1;

/** Close codes after which retrying cannot help: the user must reload or sign in again. */
const FINAL_CLOSE_CODES = new Set([CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_REMOVED]);

/** What the transport needs from its surroundings, so tests can hand in fakes. */
export interface TransportEnvironment {
  createSocket(url: string): WebSocket;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
  /** Subscribes to the browser's online/offline events; returns the unsubscribe function. */
  watchNetwork(onChange: (online: boolean) => void): () => void;
}

export interface TransportHandlers {
  open(): void;
  message(message: ServerMessage): void;
  state(state: ConnectionState, closeCode: number | null): void;
}

export function boardSocketUrl(location: Pick<Location, "protocol" | "host">, boardId: string): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/boards/${boardId}/`;
}

export const browserEnvironment: TransportEnvironment = {
  createSocket: (url) => new WebSocket(url),
  setTimeout: (callback, ms) => window.setTimeout(callback, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
  random: Math.random,
  watchNetwork(onChange) {
    const online = () => onChange(true);
    const offline = () => onChange(false);
    window.addEventListener("online", online);
    window.addEventListener("offline", offline);
    return () => {
      window.removeEventListener("online", online);
      window.removeEventListener("offline", offline);
    };
  },
};

export class Transport {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: unknown = null;
  private stopped = false;
  private networkDown = false;
  private unwatch: () => void = () => {};
  private currentState: ConnectionState = "connecting";

  constructor(
    private readonly url: string,
    private readonly handlers: TransportHandlers,
    private readonly env: TransportEnvironment = browserEnvironment,
  ) {}

  get state(): ConnectionState {
    return this.currentState;
  }

  start(): void {
    this.unwatch = this.env.watchNetwork((online) => this.networkChanged(online));
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.unwatch();
    this.cancelRetry();
    this.socket?.close(1000);
    this.socket = null;
  }

  /** Sends when the socket is open; returns false otherwise so the caller keeps the message. */
  send(message: ClientMessage): boolean {
    if (this.socket === null || this.socket.readyState !== SOCKET_OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Drops the current socket (the server asked us to resync, or a frame made no sense). */
  reconnectNow(): void {
    this.socket?.close(1000);
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = this.env.createSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.setState("connected", null);
      this.handlers.open();
    };
    socket.onmessage = (event: MessageEvent) => {
      // The back-off restarts only once the server has talked to us: a server that accepts
      // and drops at once (overloaded, restarting) must not be hammered.
      this.attempt = 0;
      const message = parseServerMessage(event.data);
      if (message) this.handlers.message(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.stopped) return;
      if (FINAL_CLOSE_CODES.has(event.code)) {
        this.stopped = true;
        this.setState("offline", event.code);
        return;
      }
      this.scheduleRetry(event.code);
    };
  }

  private scheduleRetry(closeCode: number | null): void {
    this.cancelRetry();
    // While the browser says the network is down, retrying only burns battery: wait for the
    // `online` event instead.
    if (this.networkDown) {
      this.setState("offline", closeCode);
      return;
    }
    this.setState("reconnecting", closeCode);
    const delay = backoffDelay(this.attempt, () => this.env.random());
    this.attempt += 1;
    this.retryTimer = this.env.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private cancelRetry(): void {
    if (this.retryTimer !== null) this.env.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private networkChanged(online: boolean): void {
    this.networkDown = !online;
    if (this.stopped) return;
    if (!online) {
      // The socket may take a long time to notice; close it so the UI tells the truth now.
      if (this.socket) this.socket.close(1000);
      else this.scheduleRetry(null);
      return;
    }
    if (this.socket === null) {
      this.cancelRetry();
      this.attempt = 0;
      this.setState("reconnecting", null);
      this.connect();
    }
  }

  private setState(state: ConnectionState, closeCode: number | null): void {
    this.currentState = state;
    this.handlers.state(state, closeCode);
  }
}

/** A frame from the server, or null when it is not JSON with a string `type`. */
export function parseServerMessage(data: unknown): ServerMessage | null {
  if (typeof data !== "string") return null;
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string") {
      return value as ServerMessage;
    }
  } catch {
    // A garbled frame is ignored; the seq check will ask for whatever it carried.
  }
  return null;
}
