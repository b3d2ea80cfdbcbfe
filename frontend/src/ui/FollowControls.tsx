import { useEffect, useRef, useState } from "react";
import type { PresenceEntry, Viewport } from "../protocol";
import { useBoard, useStoreSnapshot } from "./context";

const FACILITATOR_ROLES = new Set(["facilitator", "owner"]);

/** The board's scroll container and its zoom (Grid.tsx sets `--zoom` on `.grid`). */
function scroller(): { element: HTMLElement; zoom: number } | null {
  const element = document.querySelector<HTMLElement>(".grid-scroll");
  const grid = document.querySelector<HTMLElement>(".grid");
  if (!element || !grid) return null;
  return { element, zoom: Number.parseFloat(getComputedStyle(grid).getPropertyValue("--zoom")) || 1 };
}

/** What this participant sees, in board units, so others see the same place at any zoom. */
export function currentViewport(): Viewport | null {
  const found = scroller();
  if (!found) return null;
  return { x: Math.round(found.element.scrollLeft / found.zoom), y: Math.round(found.element.scrollTop / found.zoom) };
}

export function goTo(viewport: Viewport): void {
  const found = scroller();
  found?.element.scrollTo({ left: viewport.x * found.zoom, top: viewport.y * found.zoom });
}

/**
 * Follow and summon, through presence: a facilitator's presence carries their viewport (and,
 * once, a summon); a participant who follows them scrolls along, and everyone goes where a
 * summon says.
 */
export function FollowControls() {
  const { config, session, t } = useBoard();
  const { participants, presence, you } = useStoreSnapshot();
  const [following, setFollowing] = useState<string | null>(null);
  const facilitator = config.canEditBoard;

  // A facilitator tells the board where they look, as they scroll.
  useEffect(() => {
    if (!facilitator) return;
    const found = scroller();
    if (!found) return;
    const report = () => session.setViewport(currentViewport());
    report();
    found.element.addEventListener("scroll", report, { passive: true });
    return () => found.element.removeEventListener("scroll", report);
  }, [facilitator, session]);

  // Entries are replaced, never mutated: a new object is a new presence frame.
  const seen = useRef(new Map<string, PresenceEntry>());
  useEffect(() => {
    for (const [id, entry] of presence) {
      if (seen.current.get(id) === entry) continue;
      seen.current.set(id, entry);
      if (entry.summon && FACILITATOR_ROLES.has(participants.get(id)?.role ?? "")) goTo(entry.summon);
      else if (id === following && entry.viewport) goTo(entry.viewport);
    }
  }, [presence, participants, following]);

  const leaders = [...participants.values()].filter((p) => p.id !== you?.id && FACILITATOR_ROLES.has(p.role));
  return (
    <span className="follow-controls">
      {facilitator && (
        <button
          type="button"
          className="button"
          onClick={() => {
            const viewport = currentViewport();
            if (viewport) session.summon(viewport);
          }}
        >
          {t("workshop.summon")}
        </button>
      )}
      {leaders.map((leader) => (
        <button
          key={leader.id}
          type="button"
          className="button"
          aria-pressed={following === leader.id}
          onClick={() => {
            const next = following === leader.id ? null : leader.id;
            setFollowing(next);
            const viewport = next ? presence.get(next)?.viewport : null;
            if (viewport) goTo(viewport);
          }}
        >
          {following === leader.id ? t("workshop.following", { name: leader.name }) : t("workshop.follow", { name: leader.name })}
        </button>
      ))}
    </span>
  );
}
