"use client";
import { useActionState, useState } from "react";
import { Field, FormError } from "../../../components/field";
import { emptyForm } from "../../../lib/form-state";
import { createProjectAction } from "./actions";

const LEVELS = [
  { value: "private", label: "Private", help: "Only you can see and clone the project." },
  { value: "internal", label: "Internal", help: "Any signed-in user can see and clone the project." },
  { value: "public", label: "Public", help: "Anyone, signed in or not, can see and clone the project." },
] as const;

/** Mirrors core's pathFromName so the suggested path matches what the server derives. */
const slug = (name: string) => name.trim().toLowerCase().replace(/\s+/g, "-");

export function NewProjectForm({ namespace }: { namespace: string }) {
  const [state, action, pending] = useActionState(createProjectAction, emptyForm);
  const [name, setName] = useState(state.values?.["name"] ?? "");
  const [path, setPath] = useState<string | null>(state.values?.["path"] || null);
  const visibility = state.values?.["visibility"] || "private";
  return (
    <form action={action} className="space-y-5" noValidate>
      <FormError message={state.error} />
      <Field
        label="Project name"
        name="name"
        required
        autoFocus
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder="My awesome project"
        error={state.fields?.["name"]}
      />
      <div>
        <label htmlFor="field-path" className="label">
          Project URL
        </label>
        <div className="flex items-stretch">
          <span className="inline-flex items-center rounded-l-md border border-r-0 border-zinc-300 bg-zinc-50 px-3 text-sm text-zinc-600">
            /{namespace}/
          </span>
          <input
            id="field-path"
            name="path"
            className="input rounded-l-none"
            value={path ?? slug(name)}
            onChange={(e) => setPath(e.target.value)}
            aria-invalid={state.fields?.["path"] ? true : undefined}
            aria-describedby={state.fields?.["path"] ? "field-path-error" : undefined}
          />
        </div>
        {state.fields?.["path"] && (
          <p id="field-path-error" className="field-error" role="alert">
            {state.fields["path"]}
          </p>
        )}
      </div>
      <Field
        label="Description (optional)"
        name="description"
        defaultValue={state.values?.["description"]}
        error={state.fields?.["description"]}
      />
      <fieldset>
        <legend className="label">Visibility level</legend>
        <div className="space-y-2">
          {LEVELS.map((l) => (
            <label key={l.value} className="flex cursor-pointer items-start gap-2 text-sm">
              <input
                type="radio"
                name="visibility"
                value={l.value}
                defaultChecked={visibility === l.value}
                className="mt-1 accent-brand-600"
              />
              <span>
                <span className="font-semibold">{l.label}</span>
                <span className="block text-zinc-600">{l.help}</span>
              </span>
            </label>
          ))}
        </div>
        {state.fields?.["visibility"] && <p className="field-error">{state.fields["visibility"]}</p>}
      </fieldset>
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Creating…" : "Create project"}
        </button>
      </div>
    </form>
  );
}
