import { useState } from "react";
import type { AgendaStepData } from "../protocol";
import { useBoard, useSubmit } from "./context";

/** The facilitator rewrites the agenda: each step's title, time box and instructions. */
export function AgendaEditor({ agenda, onClose }: { agenda: readonly AgendaStepData[]; onClose(): void }) {
  const { t } = useBoard();
  const submit = useSubmit();
  const [steps, setSteps] = useState<AgendaStepData[]>(() => agenda.map((step) => ({ ...step })));
  const change = (index: number, fields: Partial<AgendaStepData>) =>
    setSteps(steps.map((step, at) => (at === index ? { ...step, ...fields } : step)));

  return (
    <form
      className="agenda-editor"
      aria-label={t("agenda.edit")}
      onSubmit={(event) => {
        event.preventDefault();
        submit("agenda.update", { steps: steps.map((step) => ({ ...step, title: step.title.trim() || t("agenda.untitled") })) });
        onClose();
      }}
    >
      <ol>
        {steps.map((step, index) => (
          <li key={index}>
            <input aria-label={t("agenda.step_title")} value={step.title} maxLength={200} onChange={(event) => change(index, { title: event.target.value })} />
            <input
              type="number"
              min={1}
              max={600}
              aria-label={t("agenda.step_minutes")}
              value={step.minutes ?? ""}
              onChange={(event) => change(index, { minutes: event.target.value ? Number(event.target.value) : null })}
            />
            <textarea aria-label={t("agenda.step_instructions")} value={step.instructions} onChange={(event) => change(index, { instructions: event.target.value })} />
            <button type="button" className="icon-button" aria-label={t("agenda.remove_step")} disabled={steps.length === 1} onClick={() => setSteps(steps.filter((_, at) => at !== index))}>
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="workshop-row">
        <button type="button" className="button" disabled={steps.length >= 20} onClick={() => setSteps([...steps, { title: "", minutes: null, instructions: "" }])}>
          {t("agenda.add_step")}
        </button>
        <button type="submit" className="button button-primary">
          {t("agenda.save")}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t("agenda.cancel")}
        </button>
      </div>
    </form>
  );
}
