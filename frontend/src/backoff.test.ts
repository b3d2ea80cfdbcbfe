import { describe, expect, it } from "vitest";
import { BACKOFF_INITIAL_MS, BACKOFF_JITTER, BACKOFF_MAX_MS, backoffDelay } from "./backoff";

describe("backoffDelay", () => {
  it("starts near the initial delay", () => {
    expect(backoffDelay(0, () => 0)).toBe(BACKOFF_INITIAL_MS * (1 - BACKOFF_JITTER));
    expect(backoffDelay(0, () => 0.999999)).toBe(BACKOFF_INITIAL_MS);
  });

  it("doubles with each attempt", () => {
    expect(backoffDelay(1, () => 0.999999)).toBe(BACKOFF_INITIAL_MS * 2);
    expect(backoffDelay(3, () => 0.999999)).toBe(BACKOFF_INITIAL_MS * 8);
  });

  it("never exceeds the cap however many attempts failed", () => {
    expect(backoffDelay(50, () => 0.999999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_MAX_MS * (1 - BACKOFF_JITTER));
  });

  it("spreads clients out with jitter", () => {
    const delays = new Set([0.1, 0.4, 0.7].map((r) => backoffDelay(4, () => r)));
    expect(delays.size).toBe(3);
  });
});
