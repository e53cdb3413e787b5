/** Exponential backoff with jitter for requests the runner owns the retry of (trace, finish). */
export interface Backoff {
  /** @defaultValue 100 */
  initialMs?: number;
  /** @defaultValue 5000 */
  maxMs?: number;
  /** Give up after this many attempts in total. @defaultValue 20 */
  attempts?: number;
}

export function backoffDelay(attempt: number, b: Backoff = {}): number {
  const base = Math.min(b.maxMs ?? 5000, (b.initialMs ?? 100) * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
