"use client";
import { useState, useTransition } from "react";
import { revealVariableAction } from "./actions";

/** A variable's value, hidden until asked for; fetched on demand so the page never carries it. */
export function RevealValue({
  namespace,
  path,
  id,
  k,
}: {
  namespace: string;
  path: string;
  id: number;
  k: string;
}) {
  const [value, setValue] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <span className="flex items-center gap-2">
      <span className="code max-w-72 truncate" data-testid={`variable-value-${k}`}>
        {value ?? "*****"}
      </span>
      <button
        type="button"
        className="link-button text-xs"
        aria-label={`${value === null ? "Reveal" : "Hide"} value of ${k}`}
        disabled={pending}
        onClick={() =>
          value !== null
            ? setValue(null)
            : start(async () => setValue(await revealVariableAction(namespace, path, id)))
        }
      >
        {value === null ? "Reveal" : "Hide"}
      </button>
    </span>
  );
}
