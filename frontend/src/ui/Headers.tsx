import type { LaneData, StageData } from "../protocol";
import { positionForStep } from "../positions";
import { useBoard, useSubmit } from "./context";
import { EditableText } from "./EditableText";

export function StageHeader({ stage, stages }: { stage: StageData; stages: readonly StageData[] }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const move = (step: -1 | 1) => {
    const position = positionForStep(stages, stage.id, step);
    if (position) submit("stage.move", { id: stage.id, position });
  };
  const index = stages.indexOf(stage);
  return (
    <div className="stage-header" role="columnheader">
      <EditableText
        className="stage-title"
        value={stage.title}
        label={t("stage.title")}
        readOnly={!config.canEdit}
        onCommit={(title) => title && submit("stage.update", { id: stage.id, title })}
      />
      {config.canEdit && (
        <div className="header-tools">
          <button type="button" className="icon-button" disabled={index === 0} aria-label={t("stage.move_left")} title={t("stage.move_left")} onClick={() => move(-1)}>
            ←
          </button>
          <button
            type="button"
            className="icon-button"
            disabled={index === stages.length - 1}
            aria-label={t("stage.move_right")}
            title={t("stage.move_right")}
            onClick={() => move(1)}
          >
            →
          </button>
          <button
            type="button"
            className="icon-button danger"
            aria-label={t("stage.delete")}
            title={t("stage.delete")}
            onClick={() => window.confirm(t("stage.delete_confirm", { title: stage.title })) && submit("stage.delete", { id: stage.id })}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}

export function LaneHeader({ lane, lanes }: { lane: LaneData; lanes: readonly LaneData[] }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const move = (step: -1 | 1) => {
    const position = positionForStep(lanes, lane.id, step);
    if (position) submit("lane.move", { id: lane.id, position });
  };
  const index = lanes.indexOf(lane);
  const kindLabel = config.choices.laneKinds.find(([value]) => value === lane.kind)?.[1] ?? lane.kind;
  return (
    <div className={`lane-header lane-${lane.kind}`} role="rowheader">
      <EditableText
        className="lane-title"
        value={lane.title}
        label={t("lane.title")}
        readOnly={!config.canEdit}
        onCommit={(title) => title && submit("lane.update", { id: lane.id, title })}
      />
      {config.canEdit ? (
        <select className="lane-kind" aria-label={t("lane.kind")} value={lane.kind} onChange={(event) => submit("lane.update", { id: lane.id, kind: event.target.value })}>
          {config.choices.laneKinds.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      ) : (
        <span className="lane-kind">{kindLabel}</span>
      )}
      {config.canEdit && (
        <div className="header-tools">
          <button type="button" className="icon-button" disabled={index === 0} aria-label={t("lane.move_up")} title={t("lane.move_up")} onClick={() => move(-1)}>
            ↑
          </button>
          <button
            type="button"
            className="icon-button"
            disabled={index === lanes.length - 1}
            aria-label={t("lane.move_down")}
            title={t("lane.move_down")}
            onClick={() => move(1)}
          >
            ↓
          </button>
          <button
            type="button"
            className="icon-button danger"
            aria-label={t("lane.delete")}
            title={t("lane.delete")}
            onClick={() => window.confirm(t("lane.delete_confirm", { title: lane.title })) && submit("lane.delete", { id: lane.id })}
          >
            ×
          </button>
        </div>
      )}
    </div>
  );
}
