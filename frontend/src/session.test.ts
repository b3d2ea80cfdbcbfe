import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer, WebSocket as NodeWebSocket } from "ws";
import type { AddressInfo } from "node:net";
import { ACK_EVERY_OPS } from "./protocol";
import { BoardSession } from "./session";
import type { TransportEnvironment } from "./transport";
import { card, opFrame, snapshot, until } from "./testFixtures";

const environment: TransportEnvironment = {
  createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => 0.5,
  watchNetwork: () => () => {},
};

describe("BoardSession acknowledgements", () => {
  let server: WebSocketServer;
  let session: BoardSession | null = null;

  afterEach(() => {
    session?.stop();
    server?.close();
  });

  /** A board at seq `joinedAt` that sends ops up to `total` after the sync; returns the seqs
   * of the pings it receives. */
  function serveBoardAndRecordPings(joinedAt: number, total: number): number[] {
    const pings: number[] = [];
    server = new WebSocketServer({ port: 0 });
    server.on("connection", (socket) => {
      socket.on("message", (data) => {
        const message = JSON.parse(String(data)) as { type: string; seq?: number };
        if (message.type === "ping") pings.push(message.seq ?? -1);
        if (message.type !== "sync") return;
        socket.send(JSON.stringify(snapshot(joinedAt, [])));
        for (let seq = joinedAt + 1; seq <= total; seq++) {
          socket.send(JSON.stringify(opFrame(seq, `op-${seq}`, "card.create", card({ id: `c${seq}` }))));
        }
      });
      const you = { id: "u:1", name: "alice", color: "teal", role: "editor" };
      socket.send(JSON.stringify({ type: "welcome", protocol: 1, board_id: "b1", seq: joinedAt, you, participants: [] }));
    });
    const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws/boards/b1/`;
    session = new BoardSession("b1", environment, url);
    session.start();
    return pings;
  }

  it("pings after every ACK_EVERY_OPS ops, long before its timed ping, so a busy board is not taken for a stalled reader", async () => {
    const total = ACK_EVERY_OPS * 2 + 50;
    const pings = serveBoardAndRecordPings(0, total);
    await until(() => session?.store.lastSeq === total && pings.length >= 2);
    expect(pings.slice(0, 2)).toEqual([ACK_EVERY_OPS, ACK_EVERY_OPS * 2]);
  });

  it("counts from the seq its sync brought, not from zero: joining a long-lived board does not ping on the first op", async () => {
    const joinedAt = 5_000;
    const total = joinedAt + ACK_EVERY_OPS + 10;
    const pings = serveBoardAndRecordPings(joinedAt, total);
    await until(() => session?.store.lastSeq === total && pings.length >= 1);
    expect(pings).toEqual([joinedAt + ACK_EVERY_OPS]);
  });
});
