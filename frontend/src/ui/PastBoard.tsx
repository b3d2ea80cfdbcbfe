import type { CardData, SnapshotData } from "../protocol";
import { cellKey } from "../view";
import { useBoard } from "./context";
import type { Mark } from "./historyCommon";

/** A past state of the board, read only: stages across, lanes down, the cards in each cell. */
export function PastBoard({ snapshot, caption, marks }: { snapshot: SnapshotData; caption: string; marks?: ReadonlyMap<string, Mark> }) {
  const { t } = useBoard();
  const cells = new Map<string, CardData[]>();
  for (const card of snapshot.cards) {
    const key = cellKey(card.stage_id, card.lane_id);
    cells.set(key, [...(cells.get(key) ?? []), card]);
  }
  return (
    <div className="table-scroll past-board">
      <table className="map-table">
        <caption>
          {snapshot.board.title} <span className="muted">· {caption}</span>
        </caption>
        <thead>
          <tr>
            <td />
            {snapshot.stages.map((stage) => (
              <th key={stage.id} scope="col">
                {stage.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {snapshot.lanes.map((lane) => (
            <tr key={lane.id}>
              <th scope="row">{lane.title}</th>
              {snapshot.stages.map((stage) => (
                <td key={stage.id}>
                  {(cells.get(cellKey(stage.id, lane.id)) ?? []).map((card) => (
                    <p key={card.id} className={`past-card note-${card.color} ${marks?.has(card.id) ? `diff-${marks.get(card.id)}` : ""}`}>
                      {card.text}
                    </p>
                  ))}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {snapshot.stages.length === 0 && <p className="muted">{t("history.empty_board")}</p>}
    </div>
  );
}
