import { useDroppable } from "@dnd-kit/core";
import { SortableContext, verticalListSortingStrategy } from "@dnd-kit/sortable";
import { memo } from "react";
import type { CardData, LaneData, ParticipantData, StageData } from "../protocol";
import { CardView } from "./CardView";
import { useBoard } from "./context";

interface Props {
  stage: StageData;
  lane: LaneData;
  cards: readonly CardData[];
  stageIndex: number;
  laneIndex: number;
  focused: boolean;
  editorsByCard: ReadonlyMap<string, readonly ParticipantData[]>;
  autoEditCardId: string | null;
  onFocusCell(stageIndex: number, laneIndex: number): void;
  onAddCard(stage: StageData, lane: LaneData): void;
  onEditingChange(cardId: string, editing: boolean): void;
}

const NOBODY: readonly ParticipantData[] = [];

export const cellDropId = (stageId: string, laneId: string) => `cell:${stageId}|${laneId}`;

export const Cell = memo(function Cell(props: Props) {
  const { stage, lane, cards, stageIndex, laneIndex, focused, editorsByCard, autoEditCardId } = props;
  const { config, t } = useBoard();
  const droppable = useDroppable({ id: cellDropId(stage.id, lane.id), data: { kind: "cell", stageId: stage.id, laneId: lane.id } });
  return (
    <div
      ref={droppable.setNodeRef}
      className={`cell lane-${lane.kind} ${droppable.isOver ? "is-over" : ""}`}
      role="gridcell"
      tabIndex={focused ? 0 : -1}
      data-stage-index={stageIndex}
      data-lane-index={laneIndex}
      aria-label={t("cell.label", { stage: stage.title, lane: lane.title, count: cards.length })}
      onFocus={(event) => {
        if (event.currentTarget.contains(event.target)) props.onFocusCell(stageIndex, laneIndex);
      }}
    >
      <SortableContext id={cellDropId(stage.id, lane.id)} items={cards.map((card) => card.id)} strategy={verticalListSortingStrategy}>
        <div className="cell-cards" role="list">
          {cards.map((card) => (
            <CardView
              key={card.id}
              card={card}
              laneKind={lane.kind}
              editors={editorsByCard.get(card.id) ?? NOBODY}
              autoEdit={card.id === autoEditCardId}
              onEditingChange={props.onEditingChange}
            />
          ))}
        </div>
      </SortableContext>
      {config.canEdit && (
        <button type="button" className="add-card" tabIndex={-1} onClick={() => props.onAddCard(stage, lane)}>
          + {t("card.add")}
        </button>
      )}
    </div>
  );
});
