import { useEffect, useRef } from "react";
import { useBoard } from "./context";

const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ["N", "help.new_card"],
  ["Enter", "help.edit"],
  ["Delete", "help.delete"],
  ["Escape", "help.escape"],
  ["← ↑ → ↓", "help.arrows"],
  ["Ctrl+Z", "help.undo"],
  ["Ctrl+Shift+Z", "help.redo"],
  ["?", "help.help"],
];

export function HelpOverlay({ onClose }: { onClose(): void }) {
  const { t } = useBoard();
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" onClick={onClose}>
      <div className="dialog" onClick={(event) => event.stopPropagation()}>
        <h2 id="help-title">{t("help.title")}</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([keys, label]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{t(label)}</dd>
            </div>
          ))}
        </dl>
        <button type="button" className="button" ref={closeButton} onClick={onClose}>
          {t("common.close")}
        </button>
      </div>
    </div>
  );
}
