import { useEffect } from "react";
import type { Notice } from "../store";
import { useBoard } from "./context";

const NOTICE_MS = 6_000;

/** Refused changes and skipped undos, said in words; each fades after a few seconds. */
export function Notices({ notices }: { notices: readonly Notice[] }) {
  const { session, t } = useBoard();
  const oldest = notices[0];
  useEffect(() => {
    if (!oldest) return;
    const timer = setTimeout(() => session.store.dismissNotice(oldest.key), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [oldest, session]);
  return (
    <div className="notices" role="alert" aria-live="assertive">
      {notices.map((notice) => (
        <div key={notice.key} className={`notice notice-${notice.code}`}>
          <span>{notice.code === "undo_skipped" ? t("notice.undo_skipped") : notice.message || t("notice.refused")}</span>
          <button type="button" className="icon-button" aria-label={t("common.dismiss")} onClick={() => session.store.dismissNotice(notice.key)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
