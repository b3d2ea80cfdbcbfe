import { useCallback, useEffect, useMemo, useState } from "react";
import type { FormEvent } from "react";
import { ApiError, HistoryApi } from "../historyApi";
import type { ActivityEntry, ActivityFilters, CompareData, DeletedData, VersionData } from "../historyApi";
import type { CardData, SnapshotData } from "../protocol";
import { useBoard, useStoreSnapshot } from "./context";
import { PastBoard } from "./PastBoard";
import "../history.css";

type Tab = "travel" | "versions" | "deleted" | "compare" | "activity";
const TABS: readonly Tab[] = ["travel", "versions", "deleted", "compare", "activity"];
const KINDS = ["board", "stage", "lane", "card", "persona", "version"] as const;
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

interface Preview {
  caption: string;
  snapshot: SnapshotData;
}

interface PanelProps {
  api: HistoryApi;
  seq: number;
  show(preview: Preview | null): void;
  fail(error: unknown): void;
}

function useDate(): (iso: string | null) => string {
  const { config } = useBoard();
  const format = useMemo(() => new Intl.DateTimeFormat(config.language, { dateStyle: "medium", timeStyle: "short" }), [config.language]);
  return useCallback((iso) => (iso ? format.format(new Date(iso)) : ""), [format]);
}

/** The board's past: time travel, versions, deleted items, compare and the activity log. */
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
        {preview ? <PastBoard snapshot={preview.snapshot} caption={preview.caption} /> : <p className="muted history-hint">{t("history.hint")}</p>}
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
    </section>
  );
}

const KIND_LABELS: Record<VersionData["kind"], string> = {
  manual: "history.kind_manual",
  workshop: "history.kind_workshop",
  daily: "history.kind_daily",
  before_restore: "history.kind_before_restore",
};

function Versions({ api, seq, show, fail }: PanelProps) {
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

function Deleted({ api, seq, fail }: PanelProps) {
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

function Compare({ api, fail }: PanelProps) {
  const { t } = useBoard();
  const { view } = useStoreSnapshot();
  const [versions, setVersions] = useState<VersionData[]>([]);
  const [left, setLeft] = useState("");
  const [right, setRight] = useState("current");
  const [answer, setAnswer] = useState<CompareData | null>(null);
  useEffect(() => {
    api.versions().then((found) => {
      setVersions(found);
      if (found[0]) setLeft((current) => current || `version:${found[0]?.id}`);
    }, fail);
  }, [api, fail]);
  const source = view.board?.source_board_id;
  const options = [
    ["current", t("history.now")],
    ...versions.map((version) => [`version:${version.id}`, version.name]),
    ...(source ? [[`board:${source}`, t("history.source_board")]] : []),
  ];
  const select = (value: string, set: (value: string) => void, label: string) => (
    <select value={value} aria-label={label} onChange={(event) => set(event.target.value)}>
      <option value="" disabled>
        …
      </option>
      {options.map(([ref, text]) => (
        <option key={ref} value={ref}>
          {text}
        </option>
      ))}
    </select>
  );
  return (
    <section className="history-section">
      <div className="history-form">
        {select(left, setLeft, t("history.compare_left"))}
        {select(right, setRight, t("history.compare_right"))}
        <button type="button" className="button" disabled={!left} onClick={() => api.compare(left, right).then(setAnswer, fail)}>
          {t("history.compare")}
        </button>
      </div>
      {answer && <Differences answer={answer} />}
    </section>
  );
}

function CardList({ cards, mark }: { cards: readonly CardData[]; mark: string }) {
  return (
    <>
      {cards.map((card) => (
        <p key={card.id} className={`past-card note-${card.color} diff-${mark}`}>
          {card.text || "…"}
        </p>
      ))}
    </>
  );
}

function Differences({ answer }: { answer: CompareData }) {
  const { t } = useBoard();
  const { totals, cells } = answer.diff;
  return (
    <div className="history-diff">
      <p>{t("history.totals", { added: totals.added, removed: totals.removed, changed: totals.changed })}</p>
      {cells.length === 0 && <p className="muted">{t("history.no_difference")}</p>}
      {answer.diff.kpis.length > 0 && <KpiDeltas answer={answer} />}
      {cells.map((cell) => (
        <div key={`${cell.stage}|${cell.lane}`} className="diff-cell">
          <h3>
            {cell.stage} · {cell.lane}
          </h3>
          <div className="diff-sides">
            <div>
              <span className="muted">{answer.left.label}</span>
              <CardList cards={cell.removed} mark="removed" />
              <CardList cards={cell.changed.map((change) => change.before)} mark="changed" />
            </div>
            <div>
              <span className="muted">{answer.right.label}</span>
              <CardList cards={cell.added} mark="added" />
              <CardList cards={cell.changed.map((change) => change.after)} mark="changed" />
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

function formatNumber(value: number | null): string {
  return value === null ? "–" : String(Math.round(value * 10) / 10);
}

function KpiDeltas({ answer }: { answer: CompareData }) {
  const { t } = useBoard();
  return (
    <table className="map-table kpi-deltas">
      <caption>{t("history.kpis")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("history.filter_stage")}</th>
          <th scope="col">KPI</th>
          <th scope="col">{answer.left.label}</th>
          <th scope="col">{answer.right.label}</th>
          <th scope="col">Δ</th>
        </tr>
      </thead>
      <tbody>
        {answer.diff.kpis.map((kpi) => (
          <tr key={`${kpi.stage}|${kpi.kind}|${kpi.name}`}>
            <td>{kpi.stage}</td>
            <td>{kpi.name || kpi.kind.toUpperCase().replace("_", " ")}</td>
            <td>{formatNumber(kpi.left)}</td>
            <td>{formatNumber(kpi.right)}</td>
            <td className={kpi.better === null ? "" : kpi.better ? "delta-better" : "delta-worse"}>
              {kpi.delta === null ? "–" : `${kpi.delta > 0 ? "+" : ""}${formatNumber(kpi.delta)}`} {kpi.unit}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Activity({ api, seq, fail }: PanelProps) {
  const { t } = useBoard();
  const { view, participants } = useStoreSnapshot();
  const date = useDate();
  const [filters, setFilters] = useState<ActivityFilters>({});
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [more, setMore] = useState<number | null>(null);
  const [people, setPeople] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    api.activity(filters).then((page) => {
      setEntries(page.entries);
      setMore(page.next_before);
      setPeople((known) => {
        const next = new Map(known);
        for (const [id, person] of participants) next.set(id, person.name);
        for (const entry of page.entries) if (entry.actor.id) next.set(entry.actor.id, entry.actor.name);
        return next;
      });
    }, fail);
  }, [api, fail, filters, participants, seq]);
  const loadMore = () =>
    more !== null &&
    api.activity(filters, more).then((page) => {
      setEntries((shown) => [...shown, ...page.entries]);
      setMore(page.next_before);
    }, fail);
  const set = (key: keyof ActivityFilters) => (event: { target: { value: string } }) => setFilters({ ...filters, [key]: event.target.value || undefined });
  return (
    <section className="history-section">
      <div className="history-form">
        <select aria-label={t("history.filter_person")} value={filters.actor ?? ""} onChange={set("actor")}>
          <option value="">{t("history.everyone")}</option>
          {[...people].map(([id, name]) => (
            <option key={id} value={id}>
              {name}
            </option>
          ))}
        </select>
        <select aria-label={t("history.filter_stage")} value={filters.stage ?? ""} onChange={set("stage")}>
          <option value="">{t("history.all_stages")}</option>
          {view.stages.map((stage) => (
            <option key={stage.id} value={stage.id}>
              {stage.title}
            </option>
          ))}
        </select>
        <select aria-label={t("history.filter_kind")} value={filters.kind ?? ""} onChange={set("kind")}>
          <option value="">{t("history.all_kinds")}</option>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`history.object_${kind}`)}
            </option>
          ))}
        </select>
        <a className="button" href={api.activityCsvUrl(filters)} download>
          {t("history.export_csv")}
        </a>
      </div>
      <ol className="history-list activity">
        {entries.map((entry) => (
          <li key={entry.seq} className="history-item">
            <span>
              <strong>{entry.actor.name}</strong> <code>{entry.op}</code> {entry.summary}
            </span>
            <span className="muted">
              #{entry.seq} · {date(entry.at)}
            </span>
          </li>
        ))}
      </ol>
      {entries.length === 0 && <p className="muted">{t("history.no_activity")}</p>}
      {more !== null && (
        <button type="button" className="button" onClick={loadMore}>
          {t("history.more")}
        </button>
      )}
    </section>
  );
}
