import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, WebSocket as NodeWebSocket } from "ws";
import type { AddressInfo } from "node:net";
import { CLOSE_FORBIDDEN } from "./protocol";
import type { ServerMessage } from "./protocol";
import { Transport, boardSocketUrl, parseServerMessage } from "./transport";
import { until } from "./testFixtures";
import type { ConnectionState, TransportEnvironment } from "./transport";

/** Runs retry timers at once so the tests need no fake clock, and records their delays. */
function testEnvironment(delays: number[], network?: { notify: (online: boolean) => void }): TransportEnvironment {
  return {
    createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
    setTimeout: (callback, ms) => {
      delays.push(ms);
      return setTimeout(callback, 5);
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    random: () => 0.5,
    watchNetwork: (onChange) => {
      if (network) network.notify = onChange;
      return () => {};
    },
  };
}

describe("Transport against a real WebSocket server", () => {
  let server: WebSocketServer;
  let transport: Transport | null = null;

  afterEach(() => {
    transport?.stop();
    server?.close();
  });

  function startServer(onConnection: (socket: NodeWebSocket, count: number) => void): string {
    let count = 0;
    server = new WebSocketServer({ port: 0 });
    server.on("connection", (socket) => onConnection(socket, ++count));
    return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/boards/b/`;
  }

  it("delivers frames both ways and reports that it is connected", async () => {
    const received: string[] = [];
    const url = startServer((socket) => {
      socket.on("message", (data) => received.push(String(data)));
      socket.send(JSON.stringify({ type: "pong", seq: 3 }));
    });
    const messages: ServerMessage[] = [];
    const states: ConnectionState[] = [];
    transport = new Transport(url, {
      open: () => transport?.send({ type: "sync", since: null }),
      message: (message) => messages.push(message),
      state: (state) => states.push(state),
    }, testEnvironment([]));
    transport.start();
    await until(() => messages.length === 1 && received.length === 1);
    expect(messages[0]).toEqual({ type: "pong", seq: 3 });
    expect(JSON.parse(received[0] ?? "")).toEqual({ type: "sync", since: null });
    expect(states).toEqual(["connected"]);
  });

  it("reconnects with growing delays while the server keeps dropping it", async () => {
    const url = startServer((socket, count) => {
      if (count < 3) socket.terminate();
    });
    const delays: number[] = [];
    const states: ConnectionState[] = [];
    let opens = 0;
    transport = new Transport(url, {
      open: () => (opens += 1),
      message: () => {},
      state: (state) => states.push(state),
    }, testEnvironment(delays));
    transport.start();
    await until(() => opens === 3);
    expect(delays.length).toBe(2);
    expect(delays[1]).toBeGreaterThan(delays[0] ?? Infinity);
    expect(states).toEqual(["connected", "reconnecting", "connected", "reconnecting", "connected"]);
  });

  it("stops retrying when the server says the user may not see the board", async () => {
    const url = startServer((socket) => socket.close(CLOSE_FORBIDDEN));
    const states: ConnectionState[] = [];
    transport = new Transport(url, { open: () => {}, message: () => {}, state: (s) => states.push(s) }, testEnvironment([]));
    transport.start();
    await until(() => states.includes("offline"));
    expect(states).toEqual(["connected", "offline"]);
  });

  it("waits for the network to come back instead of retrying while offline", async () => {
    const url = startServer(() => {});
    const network = { notify: (_online: boolean) => {} };
    const delays: number[] = [];
    const states: ConnectionState[] = [];
    transport = new Transport(url, { open: () => {}, message: () => {}, state: (s) => states.push(s) }, testEnvironment(delays, network));
    transport.start();
    await until(() => states.includes("connected"));
    network.notify(false);
    await until(() => states.includes("offline"));
    expect(delays).toEqual([]);
    expect(transport.send({ type: "ping", seq: 1 })).toBe(false);
    network.notify(true);
    await until(() => states.filter((s) => s === "connected").length === 2);
  });
});

describe("boardSocketUrl", () => {
  it("uses the page's origin with the matching scheme", () => {
    expect(boardSocketUrl({ protocol: "https:", host: "jm.example:8443" }, "abc")).toBe("wss://jm.example:8443/ws/boards/abc/");
    expect(boardSocketUrl({ protocol: "http:", host: "localhost" }, "abc")).toBe("ws://localhost/ws/boards/abc/");
  });
});

describe("parseServerMessage", () => {
  it("ignores frames that are not typed JSON objects", () => {
    expect(parseServerMessage("{not json")).toBeNull();
    expect(parseServerMessage('{"seq": 1}')).toBeNull();
    expect(parseServerMessage('"op"')).toBeNull();
    expect(parseServerMessage('{"type": "pong", "seq": 1}')).toEqual({ type: "pong", seq: 1 });
  });
});
