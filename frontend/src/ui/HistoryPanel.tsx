import { useCallback, useEffect, useMemo, useState } from "react";
import { ApiError, HistoryApi } from "../historyApi";
import { useBoard, useStoreSnapshot } from "./context";
import { Activity } from "./HistoryActivity";
import { Compare } from "./HistoryCompare";
import type { PanelProps, Preview } from "./historyCommon";
import { useDate } from "./historyCommon";
import { Deleted, Versions } from "./HistoryVersions";
import { PastBoard } from "./PastBoard";
import "../history.css";

type Tab = "travel" | "versions" | "deleted" | "compare" | "activity";
const TABS: readonly Tab[] = ["travel", "versions", "deleted", "compare", "activity"];
/** Scrubbing fires many changes; the board is fetched once the thumb rests this long. */
const SCRUB_DELAY_MS = 200;
const RELOAD_DELAY_MS = 1000;

function useSettled<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

export function HistoryPanel({ onClose }: { onClose(): void }) {
  const { config, session, t } = useBoard();
  useStoreSnapshot(); // re-render as ops arrive, so the scrubber's end follows the board
  // Lists reload when the board changes, once it has been quiet for a moment: a busy workshop
  // must not turn every op into a request from every open panel.
  const seq = useSettled(session.store.lastSeq, RELOAD_DELAY_MS);
  const api = useMemo(() => new HistoryApi(config.boardId), [config.boardId]);
  const [tab, setTab] = useState<Tab>("travel");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState("");
  const fail = useCallback(
    (caught: unknown) => setError(caught instanceof ApiError && caught.message ? caught.message : t("history.failed")),
    [t],
  );
  const props: PanelProps = { api, seq, show: setPreview, fail };
  return (
    <div className="history" role="dialog" aria-label={t("history.title")}>
      <div className="history-preview">
        {preview ? (
          [preview, preview.beside].map(
            (shown, index) => shown && <PastBoard key={index} snapshot={shown.snapshot} caption={shown.caption} marks={shown.marks} />,
          )
        ) : (
          <p className="muted history-hint">{t("history.hint")}</p>
        )}
      </div>
      <aside className="history-side">
        <div className="panel-head">
          <h2>{t("history.title")}</h2>
          <button type="button" className="icon-button" aria-label={t("common.close")} onClick={onClose}>
            ×
          </button>
        </div>
        <div className="history-tabs" role="tablist">
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              aria-selected={tab === name}
              className="button"
              onClick={() => {
                setTab(name);
                setError("");
              }}
            >
              {t(`history.tab_${name}`)}
            </button>
          ))}
        </div>
        {error && (
          <p className="history-error" role="alert">
            {error}
          </p>
        )}
        {tab === "travel" && <TimeTravel {...props} />}
        {tab === "versions" && <Versions {...props} />}
        {tab === "deleted" && <Deleted {...props} />}
        {tab === "compare" && <Compare {...props} />}
        {tab === "activity" && <Activity {...props} />}
      </aside>
    </div>
  );
}

function TimeTravel({ api, seq, show, fail }: PanelProps) {
  const { t } = useBoard();
  const date = useDate();
  const [target, setTarget] = useState(seq);
  const [at, setAt] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.at(target).then((answer) => {
        if (!live) return;
        setAt(answer.at);
        show({ caption: t("history.at_seq", { seq: answer.seq, date: date(answer.at) }), snapshot: answer.snapshot });
      }, fail);
    }, SCRUB_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, target, date, fail, show, t]);
  return (
    <section className="history-section">
      <label className="history-scrubber">
        <span>{t("history.scrubber")}</span>
        <input type="range" min={0} max={seq} value={Math.min(target, seq)} onChange={(event) => setTarget(Number(event.target.value))} />
      </label>
      <p className="muted">
        {t("history.change_of", { seq: target, total: seq })} {at && `· ${date(at)}`}
      </p>
      <label className="history-form">
        <span>{t("history.go_to_date")}</span>
        <input
          type="datetime-local"
          onChange={(event) => {
            const when = new Date(event.target.value);
            if (!Number.isNaN(when.getTime())) api.atDate(when).then((answer) => setTarget(answer.seq), fail);
          }}
        />
      </label>
    </section>
  );
}

