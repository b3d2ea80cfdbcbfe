/** What the history panel's tabs share: the API, the board's settled seq, the preview. */
import { useCallback, useMemo } from "react";
import type { HistoryApi } from "../historyApi";
import type { SnapshotData } from "../protocol";
import { useBoard } from "./context";

export type Mark = "added" | "removed" | "changed";

export interface Preview {
  caption: string;
  snapshot: SnapshotData;
  /** Cards to point out, by id (compare). */
  marks?: ReadonlyMap<string, Mark>;
  /** A second state shown beside the first (compare). */
  beside?: Preview;
}

export interface PanelProps {
  api: HistoryApi;
  seq: number;
  show(preview: Preview | null): void;
  fail(error: unknown): void;
}

export function useDate(): (iso: string | null) => string {
  const { config } = useBoard();
  const format = useMemo(() => new Intl.DateTimeFormat(config.language, { dateStyle: "medium", timeStyle: "short" }), [config.language]);
  return useCallback((iso) => (iso ? format.format(new Date(iso)) : ""), [format]);
}
