import type { CardData } from "../protocol";
import { votesLeft } from "../workshop";
import { useBoard, useSubmit } from "./context";
import { useWorkshop } from "./useWorkshop";

/** The dots on a card during a vote: mine (to place and take back) and, when shown, everyone's. */
export function CardVotes({ card }: { card: CardData }) {
  const snapshot = useWorkshop();
  const { t } = useBoard();
  const submit = useSubmit();
  const vote = snapshot.workshop?.vote;
  if (!vote) return null;
  const total = snapshot.totals.get(card.id) ?? 0;
  if (!vote.open) {
    return total > 0 ? <span className="card-votes">{t("workshop.dots", { count: total })}</span> : null;
  }
  if (vote.lane_ids !== null && !vote.lane_ids.includes(card.lane_id)) return null;
  const mine = snapshot.myVotes.get(card.id) ?? 0;
  return (
    <span
      className="card-votes"
      data-my-votes={mine}
      // Not a drag; and focus stays where it was, since moving it shows or hides the author
      // line of the card that had it, which would move this button under the pointer.
      onPointerDown={(event) => event.stopPropagation()}
      onMouseDown={(event) => event.preventDefault()}
    >
      <button
        type="button"
        className="vote-button"
        aria-label={t("workshop.vote_add")}
        disabled={votesLeft(snapshot) === 0}
        onClick={(event) => {
          event.stopPropagation();
          submit("vote.add", { card_id: card.id });
        }}
      >
        +
      </button>
      <span className="my-dots" aria-label={t("workshop.my_dots", { count: mine })}>
        {"●".repeat(mine)}
      </span>
      {/* Always there, so the card keeps its size while votes come and go. */}
      <button
        type="button"
        className="vote-button"
        aria-label={t("workshop.vote_remove")}
        disabled={mine === 0}
        onClick={(event) => {
          event.stopPropagation();
          submit("vote.remove", { card_id: card.id });
        }}
      >
        −
      </button>
      {!vote.hide_results && total > 0 && <span className="vote-total">{t("workshop.dots", { count: total })}</span>}
    </span>
  );
}
