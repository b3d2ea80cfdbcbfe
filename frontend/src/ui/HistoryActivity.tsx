import { useEffect, useState } from "react";
import type { ActivityEntry, ActivityFilters } from "../historyApi";
import type { ActorData } from "../protocol";
import { useBoard, useStoreSnapshot } from "./context";
import type { PanelProps } from "./historyCommon";
import { useDate } from "./historyCommon";

const KINDS = ["board", "stage", "lane", "card", "persona", "version"] as const;

export function Activity({ api, seq, fail }: PanelProps) {
  const { t } = useBoard();
  const { view } = useStoreSnapshot();
  const date = useDate();
  const [filters, setFilters] = useState<ActivityFilters>({});
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [more, setMore] = useState<number | null>(null);
  const [people, setPeople] = useState<ActorData[]>([]);
  useEffect(() => {
    api.activity(filters).then((page) => {
      setEntries(page.entries);
      setMore(page.next_before);
      setPeople(page.people);
    }, fail);
  }, [api, fail, filters, seq]);
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
          {people.map((person) =>
            person.id ? (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ) : null,
          )}
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
