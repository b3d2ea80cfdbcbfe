import { useState } from "react";
import { ranking, sendSummary, votesLeft } from "../workshop";
import type { WorkshopSnapshot } from "../workshop";
import { useBoard, useStoreSnapshot, useSubmit } from "./context";
import { AgendaEditor } from "./AgendaEditor";
import { FollowControls } from "./FollowControls";
import { InsightsPanel } from "./InsightsPanel";
import { useWorkshop } from "./useWorkshop";
import { WorkshopTimer } from "./WorkshopTimer";
import "../workshop.css";

/**
 * The workshop above the board: the agenda as a step bar, the timer, the dot vote, private
 * writing and the facilitator's locks. Participants see where the workshop is; the
 * facilitator (config.canEditBoard) drives it. Every change is an op, so it is live for all.
 */
export function WorkshopBar() {
  const snapshot = useWorkshop();
  const { config, t } = useBoard();
  const submit = useSubmit();
  const [insightsOpen, setInsightsOpen] = useState(false);
  const [editingAgenda, setEditingAgenda] = useState(false);
  const workshop = snapshot.workshop;
  if (!workshop) return null;
  const facilitator = config.canEditBoard;
  const current = workshop.agenda[workshop.step];

  return (
    <section className="workshop-bar" aria-label={t("workshop.label")}>
      <ol className="agenda" aria-label={t("workshop.agenda")}>
        {workshop.agenda.map((step, index) => (
          <li key={index} className={index === workshop.step ? "is-current" : index < workshop.step ? "is-done" : ""} aria-current={index === workshop.step ? "step" : undefined}>
            <button
              type="button"
              className="agenda-step"
              disabled={!facilitator}
              title={facilitator ? t("workshop.go_to_step") : undefined}
              onClick={() => submit("agenda.go", { step: index, start_timer: false })}
            >
              <span className="agenda-number">{index + 1}</span> {step.title}
              {step.minutes !== null && <span className="agenda-minutes"> · {t("workshop.minutes", { count: step.minutes })}</span>}
            </button>
          </li>
        ))}
      </ol>
      <div className="workshop-row">
        {current?.instructions && <p className="agenda-instructions">{current.instructions}</p>}
        {facilitator && (
          <button type="button" className="button" aria-pressed={editingAgenda} onClick={() => setEditingAgenda(!editingAgenda)}>
            {t("agenda.edit")}
          </button>
        )}
        {facilitator && current?.minutes != null && (
          <button type="button" className="button" onClick={() => submit("agenda.go", { step: workshop.step, start_timer: true })}>
            {t("workshop.start_time_box", { count: current.minutes })}
          </button>
        )}
        <span className="toolbar-spacer" />
        <WorkshopTimer snapshot={snapshot} />
      </div>
      {editingAgenda && <AgendaEditor agenda={workshop.agenda} onClose={() => setEditingAgenda(false)} />}
      <div className="workshop-row">
        <VoteControls snapshot={snapshot} />
        <PrivateWriting snapshot={snapshot} />
        <Locks snapshot={snapshot} />
        <span className="toolbar-spacer" />
        <FollowControls />
        <button type="button" className="button" aria-pressed={insightsOpen} onClick={() => setInsightsOpen(!insightsOpen)}>
          {t("insights.title")} ({snapshot.insights.length})
        </button>
        {facilitator && <SummaryButton />}
      </div>
      <VoteResults snapshot={snapshot} />
      {insightsOpen && <InsightsPanel onClose={() => setInsightsOpen(false)} />}
    </section>
  );
}

function VoteControls({ snapshot }: { snapshot: WorkshopSnapshot }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const { view } = useStoreSnapshot();
  const [votes, setVotes] = useState(3);
  const [hide, setHide] = useState(true);
  const [laneIds, setLaneIds] = useState<string[]>([]);
  const vote = snapshot.workshop?.vote;
  const open = vote?.open === true;

  if (!config.canEditBoard) {
    return open ? (
      <span className="vote-status" role="status" data-votes-left={votesLeft(snapshot)}>
        {t("workshop.votes_left", { count: votesLeft(snapshot) })}
      </span>
    ) : null;
  }
  if (open) {
    return (
      <span className="vote-status">
        <span role="status" data-votes-left={votesLeft(snapshot)}>
          {t("workshop.votes_left", { count: votesLeft(snapshot) })}
        </span>
        <button type="button" className="button" onClick={() => submit("vote.close", {})}>
          {t("workshop.vote_close")}
        </button>
      </span>
    );
  }
  return (
    <details className="workshop-menu">
      <summary className="button">{t("workshop.vote")}</summary>
      <div className="workshop-menu-body">
        <label>
          {t("workshop.votes_per_participant")}{" "}
          <input type="number" min={1} max={50} value={votes} onChange={(event) => setVotes(Number(event.target.value) || 1)} />
        </label>
        <label>
          <input type="checkbox" checked={hide} onChange={(event) => setHide(event.target.checked)} /> {t("workshop.hide_results")}
        </label>
        <fieldset>
          <legend>{t("workshop.vote_lanes")}</legend>
          {view.lanes.map((lane) => (
            <label key={lane.id}>
              <input
                type="checkbox"
                checked={laneIds.includes(lane.id)}
                onChange={(event) => setLaneIds(event.target.checked ? [...laneIds, lane.id] : laneIds.filter((id) => id !== lane.id))}
              />{" "}
              {lane.title}
            </label>
          ))}
        </fieldset>
        <button
          type="button"
          className="button button-primary"
          onClick={() => submit("vote.open", { votes_per_participant: votes, hide_results: hide, lane_ids: laneIds.length ? laneIds : null })}
        >
          {t("workshop.vote_open")}
        </button>
      </div>
    </details>
  );
}

function VoteResults({ snapshot }: { snapshot: WorkshopSnapshot }) {
  const { t } = useBoard();
  const { view } = useStoreSnapshot();
  const vote = snapshot.workshop?.vote;
  // Cards deleted since the vote drop out of its result.
  const ranked = ranking(snapshot).filter(({ cardId }) => view.cards.has(cardId));
  if (!vote || vote.open || vote.results === null) return null;
  return (
    <section className="vote-results" aria-label={t("workshop.vote_results")}>
      <h2>{t("workshop.vote_results")}</h2>
      {ranked.length === 0 ? (
        <p>{t("workshop.no_votes")}</p>
      ) : (
        <ol>
          {ranked.map(({ cardId, votes }) => (
            <li key={cardId} data-card-id={cardId}>
              <span className="vote-count">{t("workshop.dots", { count: votes })}</span> {view.cards.get(cardId)?.text || t("card.empty")}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function PrivateWriting({ snapshot }: { snapshot: WorkshopSnapshot }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const on = snapshot.workshop?.private_writing === true;
  return (
    <span className="private-writing">
      {on && (
        <span className="workshop-notice" role="status">
          {t("workshop.private_on")}
        </span>
      )}
      {config.canEditBoard &&
        (on ? (
          <button type="button" className="button button-primary" onClick={() => submit("private.reveal", {})}>
            {t("workshop.private_reveal")}
          </button>
        ) : (
          <button type="button" className="button" onClick={() => submit("private.start", {})}>
            {t("workshop.private_start")}
          </button>
        ))}
    </span>
  );
}

function Locks({ snapshot }: { snapshot: WorkshopSnapshot }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const { view } = useStoreSnapshot();
  const locks = snapshot.workshop?.locks;
  if (!locks) return null;
  const notices = [
    locks.read_only && t("workshop.read_only_on"),
    locks.structure && t("workshop.structure_on"),
    locks.card_lanes !== null &&
      t("workshop.card_lanes_on", {
        lanes: view.lanes
          .filter((lane) => locks.card_lanes?.includes(lane.id))
          .map((lane) => lane.title)
          .join(", "),
      }),
  ].filter((notice): notice is string => Boolean(notice));
  const cardLanes = locks.card_lanes ?? [];
  return (
    <span className="locks">
      {notices.map((notice) => (
        <span key={notice} className="workshop-notice lock-notice" role="status">
          {notice}
        </span>
      ))}
      {config.canEditBoard && (
        <details className="workshop-menu">
          <summary className="button">{t("workshop.locks")}</summary>
          <div className="workshop-menu-body">
            <label>
              <input type="checkbox" checked={locks.structure} onChange={(event) => submit("workshop.lock", { structure: event.target.checked })} />{" "}
              {t("workshop.lock_structure")}
            </label>
            <label>
              <input type="checkbox" checked={locks.read_only} onChange={(event) => submit("workshop.lock", { read_only: event.target.checked })} />{" "}
              {t("workshop.lock_read_only")}
            </label>
            <fieldset>
              <legend>{t("workshop.lock_card_lanes")}</legend>
              {view.lanes.map((lane) => (
                <label key={lane.id}>
                  <input
                    type="checkbox"
                    checked={cardLanes.includes(lane.id)}
                    onChange={(event) => {
                      const next = event.target.checked ? [...cardLanes, lane.id] : cardLanes.filter((id) => id !== lane.id);
                      submit("workshop.lock", { card_lanes: next.length ? next : null });
                    }}
                  />{" "}
                  {lane.title}
                </label>
              ))}
            </fieldset>
          </div>
        </details>
      )}
    </span>
  );
}

function SummaryButton() {
  const { config, t } = useBoard();
  const [result, setResult] = useState<string | null>(null);
  const send = async () => {
    if (!window.confirm(t("summary.confirm"))) return;
    const sent = await sendSummary(config.boardId).catch(() => null);
    setResult(sent === null ? t("summary.failed") : t("summary.sent", { count: sent }));
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void send()}>
        {t("summary.send")}
      </button>
      {result && (
        <span className="workshop-notice" role="status">
          {result}
        </span>
      )}
    </>
  );
}
