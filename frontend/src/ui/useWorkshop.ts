/** The workshop state for components, and a clock that ticks while a timer runs. */
import { useEffect, useState, useSyncExternalStore } from "react";
import type { WorkshopSnapshot } from "../workshop";
import { useBoard } from "./context";

export function useWorkshop(): WorkshopSnapshot {
  const { session } = useBoard();
  return useSyncExternalStore(session.workshop.subscribe, session.workshop.getSnapshot);
}

/** Date.now(), refreshed every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
