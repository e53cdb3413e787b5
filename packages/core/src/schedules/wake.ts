/**
 * In-process wake-up of the scheduler loop: saving a schedule calls {@link wakeScheduler}, so a loop
 * sleeping until a later tick re-reads the earliest `next_run_at` at once. Other processes notice
 * within their bounded sleep (see scheduler-loop.ts).
 */
const g = globalThis as { __minilabSchedulerWake?: Set<() => void> };
const listeners = (): Set<() => void> => (g.__minilabSchedulerWake ??= new Set());

export function wakeScheduler(): void {
  for (const fn of listeners()) fn();
}

export function onSchedulerWake(fn: () => void): () => void {
  listeners().add(fn);
  return () => listeners().delete(fn);
}
