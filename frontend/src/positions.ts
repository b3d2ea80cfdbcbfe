/**
 * Ordering keys for drops and "move left/right": the npm twin of the server's
 * `fractional_indexing`, so the client picks the key and the server accepts it as is.
 */
import { generateKeyBetween } from "fractional-indexing";

interface Positioned {
  id: string;
  position: string;
}

/** The key that puts an item at `index` of `siblings` (which must not contain the item). */
export function positionAt(siblings: readonly Positioned[], index: number): string {
  const clamped = Math.max(0, Math.min(index, siblings.length));
  const before = siblings[clamped - 1]?.position ?? null;
  let after = siblings[clamped]?.position ?? null;
  // Two clients may have picked the same key; between equal keys there is no room, so go to
  // the next distinct one (the server orders ties by id).
  if (before !== null && after !== null && after <= before) {
    after = siblings.slice(clamped).find((item) => item.position > before)?.position ?? null;
  }
  return generateKeyBetween(before, after);
}

/** The key for moving `item` one step (-1 or +1) in `ordered`, or null at the edge. */
export function positionForStep(ordered: readonly Positioned[], itemId: string, step: -1 | 1): string | null {
  const index = ordered.findIndex((item) => item.id === itemId);
  const target = index + step;
  if (index < 0 || target < 0 || target >= ordered.length) return null;
  const others = ordered.filter((item) => item.id !== itemId);
  return positionAt(others, target);
}
