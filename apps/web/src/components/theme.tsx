"use client";
/**
 * Light / dark theme. The choice ("light", "dark" or "system") lives in localStorage; "system"
 * follows prefers-color-scheme. ThemeScript applies it before first paint (no flash of the wrong
 * theme); ThemeToggle cycles it.
 */
import { useEffect, useState } from "react";

const KEY = "minilab-theme";
type Choice = "system" | "light" | "dark";
const NEXT: Record<Choice, Choice> = { system: "light", light: "dark", dark: "system" };

const script = `(function(){try{var c=localStorage.getItem("${KEY}")||"system";var d=c==="dark"||(c==="system"&&matchMedia("(prefers-color-scheme: dark)").matches);document.documentElement.classList.toggle("dark",d);}catch(e){}})();`;

export function ThemeScript() {
  return <script dangerouslySetInnerHTML={{ __html: script }} />;
}

function apply(choice: Choice) {
  const dark =
    choice === "dark" || (choice === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<Choice | null>(null);
  useEffect(() => {
    const saved = localStorage.getItem(KEY);
    setChoice(saved === "light" || saved === "dark" ? saved : "system");
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => apply((localStorage.getItem(KEY) as Choice | null) ?? "system");
    mq.addEventListener("change", onChange);
    return () => mq.removeEventListener("change", onChange);
  }, []);
  const label = choice ?? "system";
  return (
    <button
      type="button"
      className="rounded-md px-2 py-1 text-sm text-zinc-700 hover:bg-zinc-200"
      aria-label={`Theme: ${label}. Switch to ${NEXT[label]}`}
      title={`Theme: ${label}`}
      data-testid="theme-toggle"
      onClick={() => {
        const next = NEXT[label];
        localStorage.setItem(KEY, next);
        setChoice(next);
        apply(next);
      }}
    >
      <span aria-hidden="true">{label === "dark" ? "☾" : label === "light" ? "☀" : "◐"}</span>
    </button>
  );
}
