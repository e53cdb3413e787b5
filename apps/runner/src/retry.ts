/**
 * Exponential backoff with jitter for requests the runner owns the retry of (trace, finish, artifacts).
 *
 * A streak of failures is bounded by time, not only by count: while the web app is down (a restart,
 * an upgrade, an outage) no request can succeed, and a runner that gave up after a minute would drop
 * the rest of the job's log and leave the job to be failed. So the runner keeps retrying for
 * {@link SERVER_RETRY_MS} by default, each retry at most `maxMs` after the previous one, so it is back
 * within seconds of the server: well inside the server's 30 s stale window once the web app is up.
 */
export interface Backoff {
  /** @defaultValue 100 */
  initialMs?: number;
  /** @defaultValue 5000 */
  maxMs?: number;
  /** Give up after this many attempts in total. @defaultValue unlimited (time-bounded only) */
  attempts?: number;
  /** Give up once a streak of failures has lasted this long. @defaultValue {@link SERVER_RETRY_MS} */
  giveUpAfterMs?: number;
}

/** How long a streak of failed requests to the web app is retried before the runner gives up. */
export const SERVER_RETRY_MS = 15 * 60_000;

export function backoffDelay(attempt: number, b: Backoff = {}): number {
  const base = Math.min(b.maxMs ?? 5000, (b.initialMs ?? 100) * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

/**
 * Whether a streak of `attempts` failures that began at `since` may be retried. `deadline` (epoch ms)
 * cuts it short, e.g. once the runner is shutting down.
 */
export function mayRetry(b: Backoff, attempts: number, since: number, deadline = Infinity): boolean {
  const now = Date.now();
  if (b.attempts !== undefined && attempts >= b.attempts) return false;
  return now - since < (b.giveUpAfterMs ?? SERVER_RETRY_MS) && now < deadline;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface RetryOptions {
  /** @defaultValue `{}` (the server policy: up to {@link SERVER_RETRY_MS}, ≤ 5 s apart) */
  backoff?: Backoff;
  /** Read before each retry (epoch ms): cuts the retrying short, e.g. once the runner is stopping. */
  deadline?: () => number;
  /** Errors not worth retrying (a 4xx answer): thrown at once. @defaultValue none */
  isFinal?: (err: unknown) => boolean;
  /** Told about each failure that is going to be retried (e.g. to say so in the job log). */
  onRetry?: (err: unknown, attempt: number) => void;
}

/**
 * Runs `fn` until it succeeds, retrying other failures by {@link mayRetry} and {@link backoffDelay};
 * when the retrying is over, the last error is thrown.
 */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const since = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (o.isFinal?.(err) || !mayRetry(o.backoff ?? {}, attempt + 1, since, o.deadline?.() ?? Infinity))
        throw err;
      o.onRetry?.(err, attempt + 1);
      await sleep(backoffDelay(attempt, o.backoff));
    }
  }
}
