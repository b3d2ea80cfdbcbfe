import { useStoreSnapshot } from "./context";

/** Other participants' pointers, in board coordinates (so zoom levels may differ). */
export function Cursors({ zoom }: { zoom: number }) {
  const { presence, participants } = useStoreSnapshot();
  return (
    <div className="cursors" aria-hidden="true">
      {[...presence.values()].map((entry) => {
        const who = participants.get(entry.id);
        if (!entry.cursor || !who) return null;
        return (
          <div key={entry.id} className="cursor" style={{ transform: `translate(${entry.cursor.x * zoom}px, ${entry.cursor.y * zoom}px)`, color: who.color }}>
            <svg viewBox="0 0 16 16" width="16" height="16">
              <path d="M1 1l5 14 2-6 6-2z" fill="currentColor" stroke="white" strokeWidth="1" />
            </svg>
            <span className="cursor-name" style={{ background: who.color }}>
              {who.name}
            </span>
          </div>
        );
      })}
    </div>
  );
}
