/**
 * Learns of cancels the moment the server publishes them (Redis channel `channelsFor(prefix).jobCancel`, see
 * @minilab/contracts runner-api.ts "Cancel"), instead of waiting for the next trace response.
 *
 * A job is watched from before its claim until it ends, so a cancel published between the server's
 * claim commit and the runner receiving the JobSpec is not missed: it is remembered and fires as
 * soon as the job's handler is attached. Messages for jobs this runner does not run are ignored. The
 * trace fallback (LogUploader's `Job-Status`) stays in place for messages lost while Redis was away.
 */
import { CancelEvent, channelsFor } from "@minilab/contracts";
import { subscribe } from "@minilab/queue";

export interface CancelWatch {
  /** Calls `fn` once when the job is canceled (at once if it already was). */
  onCancel(fn: () => void): void;
  /** Stops watching the job. */
  dispose(): void;
}

export interface CancelWatcher {
  watch(jobId: number): CancelWatch;
  close(): Promise<void>;
}

interface Entry {
  canceled: boolean;
  handlers: (() => void)[];
}

/**
 * Subscribes on a dedicated connection; resolves once the subscription is active. `prefix` is the
 * installation's queue prefix (channel names carry it, see channelsFor).
 */
export async function startCancelWatcher(
  redisUrl: string,
  prefix: string | undefined,
  log: (message: string) => void,
): Promise<CancelWatcher> {
  const jobs = new Map<number, Entry>();
  const fire = (jobId: number): void => {
    const entry = jobs.get(jobId);
    if (!entry || entry.canceled) return;
    entry.canceled = true;
    log(`job ${jobId}: cancel requested by the server`);
    for (const fn of entry.handlers.splice(0)) fn();
  };
  const unsubscribe = await subscribe(redisUrl, channelsFor(prefix).jobCancel, (message) => {
    let parsed: ReturnType<typeof CancelEvent.safeParse>;
    try {
      parsed = CancelEvent.safeParse(JSON.parse(message));
    } catch {
      return;
    }
    if (parsed.success) fire(parsed.data.jobId);
  });
  return {
    watch(jobId) {
      const entry: Entry = { canceled: false, handlers: [] };
      jobs.set(jobId, entry);
      return {
        onCancel(fn) {
          if (entry.canceled) fn();
          else entry.handlers.push(fn);
        },
        dispose() {
          if (jobs.get(jobId) === entry) jobs.delete(jobId);
        },
      };
    },
    close: unsubscribe,
  };
}
