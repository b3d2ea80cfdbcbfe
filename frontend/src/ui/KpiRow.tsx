import { useMemo, useSyncExternalStore } from "react";
import { KpiFeed, formatValue, kpisOfStage, sparkline } from "../kpis";
import type { KpiSummary } from "../kpis";
import type { BoardSession } from "../session";
import type { BoardView } from "../view";
import { useBoard } from "./context";
import "./kpis.css";

const feeds = new WeakMap<BoardSession, KpiFeed>();

/** One KPI feed per open board, started with the first row that shows it. */
function useKpis(): readonly KpiSummary[] {
  const { session, config } = useBoard();
  let feed = feeds.get(session);
  if (!feed) {
    feed = new KpiFeed(config.boardId);
    feeds.set(session, feed);
    feed.start(session.store);
  }
  return useSyncExternalStore(feed.subscribe, feed.getSnapshot);
}

const SPARK_WIDTH = 56;
const SPARK_HEIGHT = 16;

function KpiChip({ kpi }: { kpi: KpiSummary }) {
  const { config, t } = useBoard();
  const label = kpi.name || t(`kpi.kind.${kpi.kind}`);
  const details = [t("kpi.as_of", { date: kpi.date })];
  if (kpi.kind === "nps") details.push(t("kpi.nps_detail", { promoters: kpi.promoters, passives: kpi.passives, detractors: kpi.detractors }));
  if (kpi.satisfied_pct !== null) details.push(t("kpi.satisfied", { share: `${kpi.satisfied_pct} %` }));
  if (kpi.responses) details.push(t("kpi.answers", { count: kpi.responses }));
  if (kpi.trend !== "none") details.push(t(`kpi.trend.${kpi.trend}`));
  return (
    <li className={`kpi kpi-${kpi.tone}`} title={details.join(" · ")} data-kpi-kind={kpi.kind}>
      <span className="kpi-label">{label}</span>
      <span className="kpi-value">{formatValue(kpi, config.language)}</span>
      {kpi.history.length > 1 && (
        <svg className="kpi-spark" width={SPARK_WIDTH} height={SPARK_HEIGHT} viewBox={`-1 -1 ${SPARK_WIDTH + 2} ${SPARK_HEIGHT + 2}`} aria-hidden="true">
          <polyline points={sparkline(kpi.history, SPARK_WIDTH, SPARK_HEIGHT)} />
        </svg>
      )}
      {kpi.kind === "nps" && (
        <span className="kpi-counts">
          {kpi.promoters} / {kpi.passives} / {kpi.detractors}
        </span>
      )}
    </li>
  );
}

/** The KPI row under the stage headers: each stage's KPIs with trend and colour cue. */
export function KpiRow({ view }: { view: BoardView }) {
  const { t } = useBoard();
  const kpis = useKpis();
  const cardStage = useMemo(() => new Map([...view.cards.values()].map((card) => [card.id, card.stage_id])), [view.cards]);
  if (kpis.length === 0) return null;
  return (
    <div className="grid-row kpi-row" role="row">
      <div className="lane-header kpi-header" role="rowheader">
        {t("kpi.row")}
      </div>
      {view.stages.map((stage) => (
        <div className="kpi-cell" role="gridcell" key={stage.id} aria-label={t("kpi.of_stage", { stage: stage.title })}>
          <ul className="kpi-list">
            {kpisOfStage(kpis, stage.id, cardStage).map((kpi) => (
              <KpiChip key={`${kpi.stage_id ?? kpi.card_id}|${kpi.kind}|${kpi.name}|${kpi.scale ?? ""}`} kpi={kpi} />
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
