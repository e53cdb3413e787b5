/**
 * Periodic `POST /api/v4/runners/verify` so the admin page shows the runner online with its version
 * and executor. A failed beat is logged and retried at the next interval; a rejected token is fatal.
 */
import { HEARTBEAT_INTERVAL_MS } from "@minilab/contracts";
import { RunnerAuthError, type ApiClient } from "./api-client.ts";

export function startHeartbeat(
  api: Pick<ApiClient, "verify">,
  log: (message: string) => void,
  onAuthError: (err: RunnerAuthError) => void,
  intervalMs = HEARTBEAT_INTERVAL_MS,
): () => void {
  const beat = (): void => {
    api.verify().catch((err: unknown) => {
      if (err instanceof RunnerAuthError) onAuthError(err);
      else log(`heartbeat failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  };
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
