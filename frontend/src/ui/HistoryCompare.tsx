import { useEffect, useState } from "react";
import type { CompareData, VersionData } from "../historyApi";
import type { CardData } from "../protocol";
import { useBoard, useStoreSnapshot } from "./context";
import type { Mark, PanelProps } from "./historyCommon";

/** Every card the comparison names, by id: each side's own ids point at its own cards. */
function marksOf(answer: CompareData): Map<string, Mark> {
  const marks = new Map<string, Mark>();
  for (const cell of answer.diff.cells) {
    for (const card of cell.added) marks.set(card.id, "added");
    for (const card of cell.removed) marks.set(card.id, "removed");
    for (const change of cell.changed) {
      marks.set(change.before.id, "changed");
      marks.set(change.after.id, "changed");
    }
  }
  return marks;
}

export function Compare({ api, show, fail }: PanelProps) {
  const { t } = useBoard();
  const { view } = useStoreSnapshot();
  const [versions, setVersions] = useState<VersionData[]>([]);
  const [left, setLeft] = useState("");
  const [right, setRight] = useState("current");
  const [answer, setAnswer] = useState<CompareData | null>(null);
  const showBoth = (found: CompareData) => {
    setAnswer(found);
    const marks = marksOf(found);
    show({ caption: found.left.label, snapshot: found.left.snapshot, marks, beside: { caption: found.right.label, snapshot: found.right.snapshot, marks } });
  };
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
        <button type="button" className="button" disabled={!left} onClick={() => api.compare(left, right).then(showBoth, fail)}>
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

