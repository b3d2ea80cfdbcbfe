import type { PersonaData } from "../protocol";
import { Avatar } from "./Header";
import { useBoard, useSubmit } from "./context";
import { EditableText } from "./EditableText";
import { positionAt } from "../positions";

const LONG_FIELDS = ["demographics", "goals", "needs", "frustrations", "behaviours", "quote"] as const;

function PersonaCard({ persona }: { persona: PersonaData }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  const readOnly = !config.canEdit;
  const update = (fields: Record<string, string>) => submit("persona.update", { id: persona.id, ...fields });
  return (
    <article className="persona" aria-label={persona.name}>
      <header className="persona-head">
        {persona.avatar_url ? <img className="avatar" src={persona.avatar_url} alt="" /> : <Avatar name={persona.name} color="#5b6b8c" />}
        <div>
          <EditableText className="persona-name" value={persona.name} label={t("persona.name")} readOnly={readOnly} onCommit={(name) => name && update({ name })} />
          <EditableText
            className="persona-role"
            value={persona.role}
            label={t("persona.role")}
            placeholder={readOnly ? "" : t("persona.role")}
            readOnly={readOnly}
            onCommit={(role) => update({ role })}
          />
        </div>
      </header>
      <dl>
        {LONG_FIELDS.map((field) =>
          readOnly && !persona[field] ? null : (
            <div key={field} className={`persona-field field-${field}`}>
              <dt>{t(`persona.${field}`)}</dt>
              <dd>
                <EditableText value={persona[field]} label={t(`persona.${field}`)} placeholder="…" readOnly={readOnly} multiline onCommit={(value) => update({ [field]: value })} />
              </dd>
            </div>
          ),
        )}
      </dl>
      {!readOnly && (
        <button type="button" className="danger small" onClick={() => window.confirm(t("persona.delete_confirm", { name: persona.name })) && submit("persona.delete", { id: persona.id })}>
          {t("persona.delete")}
        </button>
      )}
    </article>
  );
}

export function PersonasPanel({ personas, onClose }: { personas: readonly PersonaData[]; onClose(): void }) {
  const { config, t } = useBoard();
  const submit = useSubmit();
  return (
    <aside className="personas-panel" aria-label={t("persona.panel")}>
      <div className="panel-head">
        <h2>{t("persona.panel")}</h2>
        <button type="button" className="icon-button" aria-label={t("common.close")} onClick={onClose}>
          ×
        </button>
      </div>
      {personas.length === 0 && <p className="muted">{t("persona.none")}</p>}
      {personas.map((persona) => (
        <PersonaCard key={persona.id} persona={persona} />
      ))}
      {config.canEdit && (
        <button
          type="button"
          className="button"
          onClick={() => submit("persona.create", { id: crypto.randomUUID(), name: t("persona.new_name"), position: positionAt(personas, personas.length) })}
        >
          + {t("persona.add")}
        </button>
      )}
    </aside>
  );
}
