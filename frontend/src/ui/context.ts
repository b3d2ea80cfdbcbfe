/** The board session, config and translator, shared by every component of the board. */
import { createContext, useContext, useSyncExternalStore } from "react";
import type { PageConfig } from "../config";
import type { Translate } from "../i18n";
import type { BoardSession } from "../session";
import type { StoreSnapshot } from "../store";

export interface BoardContextValue {
  session: BoardSession;
  config: PageConfig;
  t: Translate;
}

export const BoardContext = createContext<BoardContextValue | null>(null);

export function useBoard(): BoardContextValue {
  const value = useContext(BoardContext);
  if (!value) throw new Error("useBoard outside BoardContext");
  return value;
}

export function useStoreSnapshot(): StoreSnapshot {
  const { session } = useBoard();
  return useSyncExternalStore(session.store.subscribe, session.store.getSnapshot);
}

/** Submits an op; components never talk to the socket. */
export function useSubmit(): (op: string, args: Parameters<BoardSession["store"]["submit"]>[1]) => void {
  const { session } = useBoard();
  return (op, args) => {
    session.store.submit(op, args);
  };
}
