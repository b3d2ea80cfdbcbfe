import type { EmotionPoint } from "../view";
import { useBoard } from "./context";
import { emotionLabelKey } from "./CardView";

/** Score −2…+2 as a share of the row's height, top = +2. */
function heightShare(score: number): number {
  return 0.12 + ((2 - score) / 4) * 0.76;
}

/**
 * The emotion curve: the mean score of each stage's emotion cards, one point per stage
 * column. The SVG stretches with the columns; dots are HTML so they stay round at any zoom.
 */
export function EmotionCurve({ points }: { points: readonly EmotionPoint[] }) {
  const { t } = useBoard();
  const scored = points.map((point, index) => ({ ...point, index })).filter((p) => p.average !== null);
  const x = (index: number) => ((index + 0.5) / points.length) * 100;
  const line = scored.map((p) => `${x(p.index)},${heightShare(p.average ?? 0) * 100}`).join(" ");
  return (
    <div className="emotion-curve" role="img" aria-label={t("curve.label")}>
      <svg viewBox="0 0 100 100" preserveAspectRatio="none" aria-hidden="true">
        <line className="curve-zero" x1="0" x2="100" y1={heightShare(0) * 100} y2={heightShare(0) * 100} vectorEffect="non-scaling-stroke" />
        <polyline className="curve-line" points={line} vectorEffect="non-scaling-stroke" />
      </svg>
      {scored.map((p) => (
        <span
          key={p.stageId}
          className={`curve-dot ${(p.average ?? 0) < 0 ? "neg" : (p.average ?? 0) > 0 ? "pos" : ""}`}
          style={{ left: `${x(p.index)}%`, top: `${heightShare(p.average ?? 0) * 100}%` }}
          title={`${t(emotionLabelKey(Math.round(p.average ?? 0)))} (${(p.average ?? 0).toFixed(1)})`}
        />
      ))}
      {scored.length === 0 && <p className="curve-empty">{t("curve.empty")}</p>}
    </div>
  );
}
