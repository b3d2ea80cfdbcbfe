import { useState } from "react";
import { positionAt } from "../positions";
import type { InsightData, JsonObject } from "../protocol";
import { useBoard, useStoreSnapshot, useSubmit } from "./context";
import { useWorkshop } from "./useWorkshop";

const LINKABLE_LANES = new Set(["pain_points", "opportunities"]);
const STATUSES = ["todo", "in_progress", "done"] as const;

/** Key takeaways and action items, each linked to the pain points and opportunities it answers. */
export function InsightsPanel({ onClose }: { onClose(): void }) {
  const { config, t } = useBoard();
  const { insights } = useWorkshop();
  const { view } = useStoreSnapshot();
  const submit = useSubmit();
  const [kind, setKind] = useState<InsightData["kind"]>("takeaway");
  const [text, setText] = useState("");
  const [owner, setOwner] = useState("");
  const [due, setDue] = useState("");
  const [cardIds, setCardIds] = useState<string[]>([]);
  const lanes = new Map(view.lanes.map((lane) => [lane.id, lane]));
  const linkable = [...view.cards.values()].filter((card) => LINKABLE_LANES.has(lanes.get(card.lane_id)?.kind ?? ""));
  const edit = config.canEdit;

  const add = () => {
    if (!text.trim()) return;
    const args: JsonObject = { id: crypto.randomUUID(), kind, text: text.trim(), card_ids: cardIds, position: positionAt(insights, insights.length) };
    if (kind === "action") Object.assign(args, { owner, due_date: due || null });
    submit("insight.create", args);
    setText("");
    setOwner("");
    setDue("");
    setCardIds([]);
  };

  const list = (which: InsightData["kind"]) => insights.filter((insight) => insight.kind === which);
  return (
    <aside className="insights-panel" aria-label={t("insights.title")}>
      <header className="insights-header">
        <h2>{t("insights.title")}</h2>
        <button type="button" className="icon-button" aria-label={t("common.close")} onClick={onClose}>
          ×
        </button>
      </header>
      {(["takeaway", "action"] as const).map((which) => (
        <section key={which}>
          <h3>{which === "takeaway" ? t("insights.takeaways") : t("insights.actions")}</h3>
          {list(which).length === 0 && <p className="insights-empty">{t("insights.none")}</p>}
          <ul className="insights-list">
            {list(which).map((insight) => (
              <li key={insight.id} className="insight" data-insight-id={insight.id}>
                <p className="insight-text">{insight.text}</p>
                {which === "action" && (
                  <p className="insight-meta">
                    {insight.owner && <span>{t("insights.owner_is", { name: insight.owner })}</span>}
                    {insight.due_date && <span> · {t("insights.due_on", { date: insight.due_date })}</span>}{" "}
                    <select
                      aria-label={t("insights.status")}
                      value={insight.status}
                      disabled={!edit}
                      onChange={(event) => submit("insight.update", { id: insight.id, status: event.target.value })}
                    >
                      {STATUSES.map((status) => (
                        <option key={status} value={status}>
                          {t(`insights.status_${status}`)}
                        </option>
                      ))}
                    </select>
                  </p>
                )}
                {insight.card_ids.length > 0 && (
                  <p className="insight-cards">
                    {t("insights.answers")}{" "}
                    {insight.card_ids
                      .map((id) => view.cards.get(id)?.text)
                      .filter(Boolean)
                      .join(" · ")}
                  </p>
                )}
                {edit && (
                  <button type="button" className="icon-button" aria-label={t("insights.delete")} onClick={() => submit("insight.delete", { id: insight.id })}>
                    ×
                  </button>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
      {edit && (
        <form
          className="insight-form"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <select aria-label={t("insights.kind")} value={kind} onChange={(event) => setKind(event.target.value as InsightData["kind"])}>
            <option value="takeaway">{t("insights.takeaway")}</option>
            <option value="action">{t("insights.action")}</option>
          </select>
          <textarea aria-label={t("insights.text")} placeholder={t("insights.text")} value={text} onChange={(event) => setText(event.target.value)} />
          {kind === "action" && (
            <>
              <input aria-label={t("insights.owner")} placeholder={t("insights.owner")} value={owner} maxLength={120} onChange={(event) => setOwner(event.target.value)} />
              <input type="date" aria-label={t("insights.due_date")} value={due} onChange={(event) => setDue(event.target.value)} />
            </>
          )}
          {linkable.length > 0 && (
            <select
              multiple
              aria-label={t("insights.link_cards")}
              value={cardIds}
              onChange={(event) => setCardIds([...event.target.selectedOptions].map((option) => option.value))}
            >
              {linkable.map((card) => (
                <option key={card.id} value={card.id}>
                  {card.text || t("card.empty")}
                </option>
              ))}
            </select>
          )}
          <button type="submit" className="button button-primary">
            {t("insights.add")}
          </button>
        </form>
      )}
    </aside>
  );
}
