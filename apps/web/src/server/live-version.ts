/**
 * A page's live version (see `versions` in channelsFor, @minilab/contracts): read before the page
 * reads Postgres and handed to its live component (LiveRefresh, ProjectEvents); the page's stream
 * sends the same count once it has subscribed. Equal counts mean nothing was published in between,
 * so the page need not render itself again when its stream connects.
 *
 * `undefined` when Redis does not answer within {@link WAIT_MS}: the page then re-renders once its
 * stream connects, as it would without a version — a slow Redis never holds a page back.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { getRedis, liveChannels, liveVersion } from "@minilab/queue";

type Versions = ReturnType<typeof liveChannels>["versions"];

const WAIT_MS = 250;

export async function readLiveVersion(pick: (v: Versions) => string): Promise<string | undefined> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      liveVersion(getRedis(), pick(liveChannels().versions)),
      sleep(WAIT_MS, undefined, { signal: timer.signal }),
    ]);
  } catch {
    return undefined;
  } finally {
    timer.abort();
  }
}
