import { useEffect, useRef, useState } from "react";
import type { KeyboardEvent } from "react";

interface Props {
  value: string;
  label: string;
  onCommit(value: string): void;
  readOnly?: boolean;
  multiline?: boolean;
  placeholder?: string;
  className?: string;
  /** Start in edit mode (a card just created). */
  autoEdit?: boolean;
  onEditingChange?(editing: boolean): void;
}

/**
 * Text shown as text, edited in place. While the user edits, the draft is theirs: a remote
 * change to the same field does not overwrite what they are typing (Excalidraw's rule); the
 * last commit wins, in server order.
 */
export function EditableText({ value, label, onCommit, readOnly, multiline, placeholder, className, autoEdit, onEditingChange }: Props) {
  const [draft, setDraft] = useState<string | null>(autoEdit && !readOnly ? value : null);
  const input = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const editing = draft !== null;

  useEffect(() => {
    onEditingChange?.(editing);
    if (editing) {
      input.current?.focus();
      input.current?.select();
    }
    // Only the switch into or out of editing matters here.
  }, [editing]);

  const finish = (commit: boolean) => {
    if (draft !== null && commit && draft !== value) onCommit(multiline ? draft : draft.trim());
    setDraft(null);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      finish(false);
    } else if (event.key === "Enter" && (!multiline || event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      finish(true);
    }
  };

  if (editing) {
    const shared = {
      ref: input,
      className: `editable-input ${className ?? ""}`,
      "aria-label": label,
      value: draft,
      placeholder,
      onChange: (event: { target: { value: string } }) => setDraft(event.target.value),
      onBlur: () => finish(true),
      onKeyDown,
      onPointerDown: (event: { stopPropagation(): void }) => event.stopPropagation(),
    };
    return multiline ? <textarea rows={3} {...shared} /> : <input type="text" {...shared} />;
  }
  if (readOnly) {
    return <span className={`editable ${className ?? ""}`}>{value || placeholder}</span>;
  }
  return (
    <button
      type="button"
      className={`editable ${className ?? ""} ${value ? "" : "is-empty"}`}
      aria-label={`${label}: ${value || placeholder || ""}`}
      onClick={() => setDraft(value)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          event.stopPropagation();
          setDraft(value);
        }
      }}
    >
      {value || placeholder}
    </button>
  );
}
