import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { useState } from "react";
import type { CardData, ParticipantData } from "../protocol";
import { CardVotes } from "./CardVotes";
import { useBoard, useSubmit } from "./context";
import { EditableText } from "./EditableText";
import { ChannelIcon, EmotionFace, StarIcon } from "./icons";

export const EMOTION_SCORES = [-2, -1, 0, 1, 2] as const;

interface Props {
  card: CardData;
  laneKind: string;
  editors: readonly ParticipantData[];
  autoEdit: boolean;
  onEditingChange(cardId: string, editing: boolean): void;
}

export function emotionLabelKey(score: number): string {
  return `emotion.${score + 2}`;
}

export function CardView({ card, laneKind, editors, autoEdit, onEditingChange }: Props) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const [toolsOpen, setToolsOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const readOnly = !config.canEdit;
  const sortable = useSortable({ id: card.id, disabled: readOnly || editing, data: { kind: "card" } });
  // dnd-kit marks a disabled sortable aria-disabled, which would also disable the text box
  // inside it for assistive technology while the card is being edited.
  const { "aria-disabled": _disabled, tabIndex: _tabIndex, ...dragAttributes } = sortable.attributes;
  const update = (fields: Record<string, string | number | boolean | null>) => submit("card.update", { id: card.id, ...fields });
  const channelLabel = config.choices.channels.find(([value]) => value === card.channel)?.[1] ?? "";
  const editor = editors[0];

  return (
    <article
      ref={sortable.setNodeRef}
      style={{
        transform: CSS.Translate.toString(sortable.transform),
        transition: sortable.transition,
        ...(editor ? { outlineColor: editor.color } : {}),
      }}
      className={`card color-${card.color} ${sortable.isDragging ? "is-dragging" : ""} ${editor ? "is-remote-editing" : ""} ${card.moment_of_truth ? "is-moment" : ""}`}
      tabIndex={0}
      data-card-id={card.id}
      aria-label={t("card.label", { text: card.text || t("card.empty") })}
      {...(readOnly ? {} : dragAttributes)}
      {...(readOnly ? {} : sortable.listeners)}
      role="listitem"
      aria-roledescription={t("card.roledescription")}
    >
      {editor && (
        <div className="card-editor-badge" style={{ background: editor.color }}>
          {t("card.being_edited", { name: editor.name })}
        </div>
      )}
      <div className="card-meta">
        {laneKind === "emotions" && card.emotion_score !== null && (
          <EmotionFace score={card.emotion_score} title={t(emotionLabelKey(card.emotion_score))} />
        )}
        {laneKind === "touchpoints" && card.channel && <ChannelIcon channel={card.channel} title={channelLabel} />}
        {card.moment_of_truth && <StarIcon filled title={t("card.moment_of_truth")} />}
        {laneKind === "touchpoints" && card.touchpoint_state && (
          <span className={`tag tag-${card.touchpoint_state}`}>
            {config.choices.touchpointStates.find(([value]) => value === card.touchpoint_state)?.[1]}
          </span>
        )}
        {laneKind === "touchpoints" && card.brand_controlled !== null && (
          <span className="tag">{card.brand_controlled ? t("touchpoint.brand_short") : t("touchpoint.not_brand_short")}</span>
        )}
      </div>
      <EditableText
        className="card-text"
        value={card.text}
        label={t("card.text")}
        placeholder={readOnly ? "" : t("card.placeholder")}
        multiline
        readOnly={readOnly}
        autoEdit={autoEdit}
        onCommit={(text) => update({ text })}
        onEditingChange={(value) => {
          setEditing(value);
          onEditingChange(card.id, value);
        }}
      />
      <CardVotes card={card} />
      {card.author_name && <div className="card-author">{card.author_name}</div>}
      {!readOnly && (
        <div className="card-actions">
          <button
            type="button"
            className="icon-button"
            aria-expanded={toolsOpen}
            aria-label={t("card.options")}
            title={t("card.options")}
            onClick={() => setToolsOpen(!toolsOpen)}
            onPointerDown={(event) => event.stopPropagation()}
          >
            ⋯
          </button>
        </div>
      )}
      {toolsOpen && !readOnly && (
        <div className="card-tools" onPointerDown={(event) => event.stopPropagation()} onKeyDown={(event) => event.key !== "Escape" && event.stopPropagation()}>
          <fieldset className="swatches">
            <legend>{t("card.color")}</legend>
            {config.choices.colors.map(([value, label]) => (
              <button
                key={value}
                type="button"
                className={`swatch color-${value}`}
                aria-pressed={card.color === value}
                aria-label={label}
                title={label}
                onClick={() => update({ color: value })}
              />
            ))}
          </fieldset>
          {laneKind === "emotions" && (
            <fieldset className="scores">
              <legend>{t("card.emotion_score")}</legend>
              {EMOTION_SCORES.map((score) => (
                <button
                  key={score}
                  type="button"
                  className="score-button"
                  aria-pressed={card.emotion_score === score}
                  onClick={() => update({ emotion_score: card.emotion_score === score ? null : score })}
                >
                  <EmotionFace score={score} title={t(emotionLabelKey(score))} />
                </button>
              ))}
            </fieldset>
          )}
          {laneKind === "touchpoints" && (
            <div className="touchpoint-fields">
              <label>
                {t("card.channel")}
                <select value={card.channel} onChange={(event) => update({ channel: event.target.value })}>
                  <option value="">—</option>
                  {config.choices.channels.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("card.touchpoint_state")}
                <select value={card.touchpoint_state} onChange={(event) => update({ touchpoint_state: event.target.value })}>
                  <option value="">—</option>
                  {config.choices.touchpointStates.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              <label className="check">
                <input
                  type="checkbox"
                  checked={card.brand_controlled === true}
                  onChange={(event) => update({ brand_controlled: event.target.checked })}
                />
                {t("touchpoint.brand")}
              </label>
            </div>
          )}
          <label className="check">
            <input type="checkbox" checked={card.moment_of_truth} onChange={(event) => update({ moment_of_truth: event.target.checked })} />
            {t("card.moment_of_truth")}
          </label>
          <button type="button" className="danger" onClick={() => submit("card.delete", { id: card.id })}>
            {t("card.delete")}
          </button>
        </div>
      )}
    </article>
  );
}
