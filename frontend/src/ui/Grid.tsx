import { DndContext, DragOverlay, PointerSensor, closestCorners, pointerWithin, useSensor, useSensors } from "@dnd-kit/core";
import type { CollisionDetection, DragEndEvent, DragStartEvent } from "@dnd-kit/core";
import { useCallback, useMemo, useRef, useState } from "react";
import type { CSSProperties, PointerEvent } from "react";
import { positionAt } from "../positions";
import type { CardData, LaneData, ParticipantData, StageData } from "../protocol";
import type { BoardView } from "../view";
import { cardsInCell } from "../view";
import { Cell } from "./Cell";
import { useBoard, useStoreSnapshot, useSubmit } from "./context";
import { Cursors } from "./Cursors";
import { EmotionCurve } from "./EmotionCurve";
import { LaneHeader, StageHeader } from "./Headers";
import { KpiRow } from "./KpiRow";

export interface CellFocus {
  stageIndex: number;
  laneIndex: number;
}

interface Props {
  view: BoardView;
  zoom: number;
  focus: CellFocus;
  autoEditCardId: string | null;
  onFocusCell(stageIndex: number, laneIndex: number): void;
  onAddCard(stage: StageData, lane: LaneData): void;
}

/** Cards under the pointer win over the cell around them; elsewhere, the nearest. */
const collisions: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const cardHits = hits.filter((hit) => hit.data?.droppableContainer.data.current?.kind !== "cell");
  if (cardHits.length) return cardHits;
  return hits.length ? hits : closestCorners(args);
};

export function Grid({ view, zoom, focus, autoEditCardId, onFocusCell, onAddCard }: Props) {
  const { config, session, t } = useBoard();
  const { presence, participants } = useStoreSnapshot();
  const submit = useSubmit();
  const content = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState<CardData | null>(null);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 6 } }));

  // Recomputed only when who-edits-what changes, not at every cursor tick, so cells stay put.
  const editingKey = [...presence.values()].map((entry) => `${entry.id}=${entry.editing ?? ""}`).join(",");
  const editorsByCard = useMemo(() => {
    const result = new Map<string, ParticipantData[]>();
    for (const entry of presence.values()) {
      const who = participants.get(entry.id);
      if (!entry.editing || !who) continue;
      result.set(entry.editing, [...(result.get(entry.editing) ?? []), who]);
    }
    return result;
  }, [editingKey, participants]);

  const onEditingChange = useCallback((cardId: string, editing: boolean) => session.setEditing(editing ? cardId : null), [session]);

  const onDragStart = (event: DragStartEvent) => setDragging(view.cards.get(String(event.active.id)) ?? null);

  const onDragEnd = (event: DragEndEvent) => {
    setDragging(null);
    const card = view.cards.get(String(event.active.id));
    const over = event.over;
    if (!card || !over) return;
    let stageId: string;
    let laneId: string;
    let index: number;
    const overData = over.data.current;
    if (overData?.kind === "cell") {
      stageId = String(overData.stageId);
      laneId = String(overData.laneId);
      index = Number.MAX_SAFE_INTEGER;
    } else {
      const target = view.cards.get(String(over.id));
      if (!target) return;
      stageId = target.stage_id;
      laneId = target.lane_id;
      const siblings = cardsInCell(view, stageId, laneId).filter((c) => c.id !== card.id);
      const activeRect = event.active.rect.current.translated;
      const below = activeRect ? activeRect.top + activeRect.height / 2 > over.rect.top + over.rect.height / 2 : false;
      index = siblings.findIndex((c) => c.id === target.id) + (below ? 1 : 0);
    }
    const siblings = cardsInCell(view, stageId, laneId).filter((c) => c.id !== card.id);
    const position = positionAt(siblings, index);
    const sameCell = stageId === card.stage_id && laneId === card.lane_id;
    const currentIndex = cardsInCell(view, stageId, laneId).findIndex((c) => c.id === card.id);
    if (sameCell && (index === currentIndex || (index >= siblings.length && currentIndex === siblings.length))) return;
    submit("card.move", sameCell ? { id: card.id, position } : { id: card.id, stage_id: stageId, lane_id: laneId, position });
  };

  const onPointerMove = (event: PointerEvent) => {
    const rect = content.current?.getBoundingClientRect();
    if (rect) session.setCursor({ x: Math.round((event.clientX - rect.left) / zoom), y: Math.round((event.clientY - rect.top) / zoom) });
  };

  const style = { "--zoom": zoom, "--stage-count": view.stages.length } as CSSProperties;

  return (
    <DndContext sensors={sensors} collisionDetection={collisions} onDragStart={onDragStart} onDragEnd={onDragEnd} onDragCancel={() => setDragging(null)}>
      <div className="grid-scroll" onPointerMove={onPointerMove} onPointerLeave={() => session.setCursor(null)}>
        <div className="grid" ref={content} style={style} role="grid" aria-label={t("grid.label")} aria-rowcount={view.lanes.length + 1} aria-colcount={view.stages.length + 1}>
          <div className="grid-row grid-head" role="row">
            <div className="corner">{t("grid.corner")}</div>
            {view.stages.map((stage) => (
              <StageHeader key={stage.id} stage={stage} stages={view.stages} />
            ))}
            {config.canEdit && (
              <button
                type="button"
                className="add-stage"
                onClick={() => submit("stage.create", { id: crypto.randomUUID(), title: t("stage.new_title"), position: positionAt(view.stages, view.stages.length) })}
              >
                + {t("stage.add")}
              </button>
            )}
          </div>
          {view.stages.length > 0 && (
            <div className="grid-row curve-row" role="row">
              <div className="lane-header curve-header" role="rowheader">
                {t("curve.title")}
              </div>
              <div className="curve-cell" role="gridcell" style={{ gridColumn: `2 / span ${view.stages.length}` }}>
                <EmotionCurve points={view.emotionCurve} />
              </div>
            </div>
          )}
          <KpiRow view={view} />
          {view.lanes.map((lane, laneIndex) => (
            <div className="grid-row" role="row" key={lane.id}>
              <LaneHeader lane={lane} lanes={view.lanes} />
              {view.stages.map((stage, stageIndex) => (
                <Cell
                  key={stage.id}
                  stage={stage}
                  lane={lane}
                  cards={cardsInCell(view, stage.id, lane.id)}
                  stageIndex={stageIndex}
                  laneIndex={laneIndex}
                  focused={focus.stageIndex === stageIndex && focus.laneIndex === laneIndex}
                  editorsByCard={editorsByCard}
                  autoEditCardId={autoEditCardId}
                  onFocusCell={onFocusCell}
                  onAddCard={onAddCard}
                  onEditingChange={onEditingChange}
                />
              ))}
            </div>
          ))}
          {config.canEdit && (
            <div className="grid-row" role="row">
              <button
                type="button"
                className="add-lane"
                onClick={() =>
                  submit("lane.create", { id: crypto.randomUUID(), kind: "custom", title: t("lane.new_title"), position: positionAt(view.lanes, view.lanes.length) })
                }
              >
                + {t("lane.add")}
              </button>
            </div>
          )}
          {view.stages.length === 0 && <p className="grid-empty">{t("grid.empty")}</p>}
          <Cursors zoom={zoom} />
        </div>
      </div>
      <DragOverlay>{dragging ? <div className={`card card-overlay color-${dragging.color}`}>{dragging.text}</div> : null}</DragOverlay>
    </DndContext>
  );
}
