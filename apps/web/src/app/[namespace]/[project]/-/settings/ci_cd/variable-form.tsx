import type { ProjectVariable } from "@minilab/db";
import { ProjectFields } from "../notice";
import { createVariableAction, updateVariableAction } from "./actions";

/** Add (no `variable`) or edit form. On edit the value field starts empty: empty keeps the value. */
export function VariableForm({
  namespace,
  path,
  variable,
  cancelHref,
}: {
  namespace: string;
  path: string;
  variable?: ProjectVariable;
  cancelHref?: string;
}) {
  const editing = variable !== undefined;
  const id = editing ? `var-${variable.id}` : "var-new";
  return (
    <form
      action={editing ? updateVariableAction : createVariableAction}
      className="card space-y-3 p-4"
      aria-label={editing ? `Edit variable ${variable.key}` : "Add variable"}
      data-testid={editing ? "variable-edit-form" : "variable-add-form"}
    >
      <ProjectFields namespace={namespace} path={path} />
      {editing && <input type="hidden" name="id" value={variable.id} />}
      <div>
        <label htmlFor={`${id}-key`} className="label">
          Key
        </label>
        <input
          id={`${id}-key`}
          name="key"
          className="input font-mono"
          required
          maxLength={255}
          pattern="[A-Za-z0-9_]+"
          title="Letters, digits and _ only"
          defaultValue={variable?.key ?? ""}
          autoComplete="off"
        />
      </div>
      <div>
        <label htmlFor={`${id}-value`} className="label">
          Value
        </label>
        <textarea
          id={`${id}-value`}
          name="value"
          className="input font-mono"
          rows={2}
          required={!editing}
          placeholder={editing ? "Leave empty to keep the current value" : ""}
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <fieldset className="space-y-1.5">
        <legend className="label">Flags</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            name="protected"
            defaultChecked={variable?.protected ?? false}
            className="mt-1"
          />
          <span>
            <strong>Protect variable</strong>
            <span className="muted block">Only jobs of protected branches receive it.</span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input type="checkbox" name="masked" defaultChecked={variable?.masked ?? false} className="mt-1" />
          <span>
            <strong>Mask variable</strong>
            <span className="muted block">
              Hidden as [MASKED] in job logs. The value must be at least 8 characters on a single line.
            </span>
          </span>
        </label>
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary">
          {editing ? "Update variable" : "Add variable"}
        </button>
        {cancelHref && (
          <a href={cancelHref} className="btn">
            Cancel
          </a>
        )}
      </div>
    </form>
  );
}
