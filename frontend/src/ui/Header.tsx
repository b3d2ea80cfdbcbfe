import type { ConnectionStatus } from "../store";
import { useBoard, useStoreSnapshot, useSubmit } from "./context";
import { EditableText } from "./EditableText";
import { ShareButton } from "./ShareButton";

const BADGE_KEYS: Record<ConnectionStatus, string> = {
  connecting: "connection.connecting",
  connected: "connection.connected",
  reconnecting: "connection.reconnecting",
  offline: "connection.offline",
};

function initials(name: string): string {
  return name
    .split(/[\s._@-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join("");
}

export function Avatar({ name, color }: { name: string; color: string }) {
  return (
    <span className="avatar" style={{ background: color }} title={name} aria-label={name} role="img">
      {initials(name)}
    </span>
  );
}

export function Header() {
  const { config, t } = useBoard();
  const { view, connection, caughtUp, participants, pendingCount } = useStoreSnapshot();
  const submit = useSubmit();
  const board = view.board;
  return (
    <header className="board-header">
      <div className="board-heading">
        <h1>
          <EditableText
            value={board?.title ?? ""}
            label={t("board.title")}
            readOnly={!config.canEditBoard}
            onCommit={(title) => title && submit("board.update", { title })}
          />
        </h1>
        <EditableText
          className="board-goal"
          value={board?.goal ?? ""}
          label={t("board.goal")}
          placeholder={config.canEditBoard ? t("board.goal_placeholder") : ""}
          readOnly={!config.canEditBoard}
          multiline
          onCommit={(goal) => submit("board.update", { goal })}
        />
      </div>
      <div className="board-status">
        <span className={`connection connection-${connection}`} role="status" aria-live="polite" data-connection={connection} data-caught-up={caughtUp}>
          <span className="connection-dot" aria-hidden="true" />
          {t(BADGE_KEYS[connection])}
          {pendingCount > 0 && connection !== "connected" && <span className="pending"> · {t("connection.pending", { count: pendingCount })}</span>}
        </span>
        <div className="avatars" aria-label={t("people.here", { count: participants.size })} role="group">
          {[...participants.values()].map((p) => (
            <Avatar key={p.id} name={p.name} color={p.color} />
          ))}
        </div>
        <ShareButton />
      </div>
    </header>
  );
}
