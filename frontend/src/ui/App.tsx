import { useCallback, useEffect, useState } from "react";
import type { KeyboardEvent } from "react";
import { positionAt } from "../positions";
import type { LaneData, StageData } from "../protocol";
import { cardsInCell } from "../view";
import { useBoard, useStoreSnapshot, useSubmit } from "./context";
import { Grid } from "./Grid";
import type { CellFocus } from "./Grid";
import { Header } from "./Header";
import { HelpOverlay } from "./HelpOverlay";
import { HistoryPanel } from "./HistoryPanel";
import { Notices } from "./Notices";
import { PersonasPanel } from "./PersonasPanel";
import { TableView } from "./TableView";
import { WorkshopBar } from "./WorkshopBar";

const ZOOM_STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5] as const;
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function focusCell(focus: CellFocus): void {
  document.querySelector<HTMLElement>(`.cell[data-stage-index="${focus.stageIndex}"][data-lane-index="${focus.laneIndex}"]`)?.focus();
}

export function App() {
  const { config, session, t } = useBoard();
  const snapshot = useStoreSnapshot();
  const { view } = snapshot;
  const submit = useSubmit();
  const [focus, setFocus] = useState<CellFocus>({ stageIndex: 0, laneIndex: 0 });
  const [autoEditCardId, setAutoEditCardId] = useState<string | null>(null);
  const [zoomIndex, setZoomIndex] = useState(ZOOM_STEPS.indexOf(1));
  const [tableView, setTableView] = useState(false);
  const [personasOpen, setPersonasOpen] = useState(true);
  const [helpOpen, setHelpOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const zoom = ZOOM_STEPS[zoomIndex] ?? 1;

  const onFocusCell = useCallback((stageIndex: number, laneIndex: number) => setFocus({ stageIndex, laneIndex }), []);

  const addCard = useCallback(
    (stage: StageData, lane: LaneData) => {
      const id = crypto.randomUUID();
      const siblings = cardsInCell(view, stage.id, lane.id);
      submit("card.create", { id, stage_id: stage.id, lane_id: lane.id, position: positionAt(siblings, siblings.length) });
      setAutoEditCardId(id);
    },
    [view, submit],
  );

  useEffect(() => {
    document.documentElement.lang = config.language;
  }, [config.language]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (isTyping(event.target)) return;
    const key = event.key;
    const mod = event.ctrlKey || event.metaKey;
    if (mod && key.toLowerCase() === "z") {
      event.preventDefault();
      if (event.shiftKey) session.store.redo();
      else session.store.undo();
      return;
    }
    if (mod && key.toLowerCase() === "y") {
      event.preventDefault();
      session.store.redo();
      return;
    }
    if (mod || event.altKey) return;
    if (key === "?") {
      setHelpOpen(true);
      return;
    }
    if (key === "Escape") {
      setHelpOpen(false);
      return;
    }
    if (tableView) return;
    const cardElement = (event.target as HTMLElement).closest<HTMLElement>("[data-card-id]");
    if ((key === "Delete" || key === "Backspace") && cardElement && config.canEdit) {
      event.preventDefault();
      submit("card.delete", { id: cardElement.dataset.cardId ?? "" });
      focusCell(focus);
      return;
    }
    if (key === "Enter" && cardElement && event.target === cardElement) {
      event.preventDefault();
      cardElement.querySelector<HTMLElement>(".editable")?.click();
      return;
    }
    if ((key === "n" || key === "N") && config.canEdit) {
      const stage = view.stages[focus.stageIndex];
      const lane = view.lanes[focus.laneIndex];
      if (stage && lane) {
        event.preventDefault();
        addCard(stage, lane);
      }
      return;
    }
    const arrow = ARROWS[key];
    if (arrow && (event.target as HTMLElement).closest(".grid")) {
      event.preventDefault();
      const next = {
        stageIndex: Math.max(0, Math.min(view.stages.length - 1, focus.stageIndex + arrow[0])),
        laneIndex: Math.max(0, Math.min(view.lanes.length - 1, focus.laneIndex + arrow[1])),
      };
      setFocus(next);
      focusCell(next);
    }
  };

  return (
    <div className="board-app" onKeyDown={onKeyDown}>
      <Header />
      <WorkshopBar />
      <div className="toolbar" role="toolbar" aria-label={t("toolbar.label")}>
        {config.canEdit ? (
          <>
            <button type="button" className="button" disabled={!snapshot.canUndo} onClick={() => session.store.undo()} title="Ctrl+Z">
              {t("toolbar.undo")}
            </button>
            <button type="button" className="button" disabled={!snapshot.canRedo} onClick={() => session.store.redo()} title="Ctrl+Shift+Z">
              {t("toolbar.redo")}
            </button>
          </>
        ) : (
          <span className="read-only-note">{t("toolbar.read_only")}</span>
        )}
        <span className="toolbar-spacer" />
        <div className="zoom" role="group" aria-label={t("toolbar.zoom")}>
          <button type="button" className="button" aria-label={t("toolbar.zoom_out")} disabled={zoomIndex === 0} onClick={() => setZoomIndex(zoomIndex - 1)}>
            −
          </button>
          <button type="button" className="button zoom-value" aria-label={t("toolbar.zoom_reset")} onClick={() => setZoomIndex(ZOOM_STEPS.indexOf(1))}>
            {Math.round(zoom * 100)}%
          </button>
          <button
            type="button"
            className="button"
            aria-label={t("toolbar.zoom_in")}
            disabled={zoomIndex === ZOOM_STEPS.length - 1}
            onClick={() => setZoomIndex(zoomIndex + 1)}
          >
            +
          </button>
        </div>
        <button type="button" className="button" aria-pressed={tableView} onClick={() => setTableView(!tableView)}>
          {t("toolbar.table_view")}
        </button>
        <button type="button" className="button" aria-pressed={personasOpen} onClick={() => setPersonasOpen(!personasOpen)}>
          {t("persona.panel")} ({view.personas.length})
        </button>
        <a className="button" href={`/boards/${config.boardId}/data/`}>
          {t("toolbar.data")}
        </a>
        <button type="button" className="button" onClick={() => setHistoryOpen(true)}>
          {t("toolbar.history")}
        </button>
        <button type="button" className="button" aria-label={t("help.title")} title={t("help.title")} onClick={() => setHelpOpen(true)}>
          ?
        </button>
      </div>
      <div className="board-body">
        <main className="board-main">
          {tableView ? (
            <TableView view={view} />
          ) : (
            <Grid view={view} zoom={zoom} focus={focus} autoEditCardId={autoEditCardId} onFocusCell={onFocusCell} onAddCard={addCard} />
          )}
        </main>
        {personasOpen && <PersonasPanel personas={view.personas} onClose={() => setPersonasOpen(false)} />}
      </div>
      <Notices notices={snapshot.notices} />
      {helpOpen && <HelpOverlay onClose={() => setHelpOpen(false)} />}
      {historyOpen && <HistoryPanel onClose={() => setHistoryOpen(false)} />}
    </div>
  );
}
