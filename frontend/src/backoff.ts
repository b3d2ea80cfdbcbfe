/**
 * Reconnect delays: exponential back-off with "full jitter" (AWS architecture blog, 2015), so
 * a server restart does not get every client of a workshop reconnecting in the same instant.
 */
export const BACKOFF_INITIAL_MS = 500;
export const BACKOFF_MAX_MS = 15_000;
export const BACKOFF_FACTOR = 2;
/** The share of each delay that is randomised; the rest is the deterministic floor. */
export const BACKOFF_JITTER = 0.5;

/** Delay before reconnect attempt `attempt` (0 for the first retry). `random` is in [0, 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * BACKOFF_FACTOR ** attempt);
  const floor = ceiling * (1 - BACKOFF_JITTER);
  return Math.round(floor + (ceiling - floor) * random());
}
