import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import type { DeletedData, VersionData } from "../historyApi";
import { useBoard } from "./context";
import type { PanelProps } from "./historyCommon";
import { useDate } from "./historyCommon";

const KIND_LABELS: Record<VersionData["kind"], string> = {
  manual: "history.kind_manual",
  workshop: "history.kind_workshop",
  daily: "history.kind_daily",
  before_restore: "history.kind_before_restore",
};

export function Versions({ api, seq, show, fail }: PanelProps) {
  const { config, t } = useBoard();
  // Versions are written over REST, which needs an account: a share-link guest only reads them.
  const signedIn = config.you.id.startsWith("u:");
  const canEdit = config.canEdit && signedIn;
  const date = useDate();
  const [versions, setVersions] = useState<VersionData[]>([]);
  const [name, setName] = useState("");
  const [undoId, setUndoId] = useState<string | null>(null);
  const reload = useCallback(() => api.versions().then(setVersions, fail), [api, fail]);
  const restore = (id: string, undoable: boolean) =>
    api.restoreVersion(id).then((answer) => {
      setUndoId(undoable ? answer.result.before_version_id : null);
      return reload();
    }, fail);
  useEffect(() => {
    void reload();
  }, [reload, seq]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    api.createVersion(name.trim()).then(() => {
      setName("");
      return reload();
    }, fail);
  };
  return (
    <section className="history-section">
      {canEdit && (
        <form className="history-form" onSubmit={save}>
          <input value={name} maxLength={200} placeholder={t("history.version_name")} aria-label={t("history.version_name")} onChange={(event) => setName(event.target.value)} />
          <button type="submit" className="button">
            {t("history.save_version")}
          </button>
        </form>
      )}
      {undoId && (
        <p className="history-undo" role="status">
          {t("history.restored")}{" "}
          <button type="button" className="button small" onClick={() => restore(undoId, false)}>
            {t("history.undo_restore")}
          </button>
        </p>
      )}
      {versions.length === 0 && <p className="muted">{t("history.no_versions")}</p>}
      <ul className="history-list">
        {versions.map((version) => (
          <li key={version.id} className="history-item">
            <strong>{version.name}</strong>
            <span className="muted">
              {t(KIND_LABELS[version.kind])} · #{version.seq} · {date(version.created_at)} {version.created_by && `· ${version.created_by}`}
            </span>
            <span className="history-actions">
              <button type="button" className="button small" onClick={() => api.version(version.id).then((found) => show({ caption: found.version.name, snapshot: found.snapshot }), fail)}>
                {t("history.view")}
              </button>
              {config.canEditBoard && signedIn && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => window.confirm(t("history.restore_confirm", { name: version.name })) && restore(version.id, true)}
                >
                  {t("history.restore_here")}
                </button>
              )}
              {canEdit && (
                <button
                  type="button"
                  className="button small"
                  onClick={() => api.copyVersion(version.id).then((copy) => window.location.assign(`/boards/${copy.board.id}/`), fail)}
                >
                  {t("history.copy_as_board")}
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}


export function Deleted({ api, seq, fail }: PanelProps) {
  const { config, session, t } = useBoard();
  const date = useDate();
  const [items, setItems] = useState<DeletedData[]>([]);
  useEffect(() => {
    api.deleted().then(setItems, fail);
  }, [api, fail, seq]);
  return (
    <section className="history-section">
      {items.length === 0 && <p className="muted">{t("history.nothing_deleted")}</p>}
      <ul className="history-list">
        {items.map((entry) => (
          <li key={entry.item.id} className="history-item">
            <strong>{"text" in entry.item ? entry.item.text || "…" : entry.item.title}</strong>
            <span className="muted">
              {entry.kind === "stage" ? t("history.deleted_stage", { count: entry.cards }) : t("history.deleted_card")} · {entry.deleted_by} · {date(entry.deleted_at)}
            </span>
            {config.canEdit && (
              <span className="history-actions">
                <button type="button" className="button small" onClick={() => session.store.submit(`${entry.kind}.restore`, { id: entry.item.id })}>
                  {t("history.bring_back")}
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

