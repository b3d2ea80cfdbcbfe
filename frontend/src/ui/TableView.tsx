import type { BoardView } from "../view";
import { cardsInCell } from "../view";
import { useBoard } from "./context";
import { emotionLabelKey } from "./CardView";

/** The map as a plain table (stage × lane), for screen readers and for printing. */
export function TableView({ view }: { view: BoardView }) {
  const { config, t } = useBoard();
  const channelLabel = (value: string) => config.choices.channels.find(([key]) => key === value)?.[1] ?? value;
  return (
    <div className="table-scroll">
      <table className="map-table">
        <caption>{t("table.caption", { title: view.board?.title ?? "" })}</caption>
        <thead>
          <tr>
            <td />
            {view.stages.map((stage) => (
              <th key={stage.id} scope="col">
                {stage.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {view.lanes.map((lane) => (
            <tr key={lane.id}>
              <th scope="row">{lane.title}</th>
              {view.stages.map((stage) => {
                const cards = cardsInCell(view, stage.id, lane.id);
                return (
                  <td key={stage.id}>
                    {cards.length === 0 ? (
                      <span className="muted">{t("table.no_cards")}</span>
                    ) : (
                      <ul>
                        {cards.map((card) => (
                          <li key={card.id}>
                            {card.text || t("card.empty")}
                            {card.emotion_score !== null && ` (${t(emotionLabelKey(card.emotion_score))})`}
                            {card.channel && ` (${channelLabel(card.channel)})`}
                            {card.moment_of_truth && ` (${t("card.moment_of_truth")})`}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
