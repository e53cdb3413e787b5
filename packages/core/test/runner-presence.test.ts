/**
 * Runners going offline / coming back online are announced (runner-presence.ts, authenticate-runner.ts)
 * on real Postgres and Redis: a RunnerPresenceEvent on `runnerPresence` plus `queueActivity`, so the
 * admin runners page and "why is this job pending" pages update. Needs DATABASE_URL and REDIS_URL.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ONLINE_WINDOW_MS, type RunnerPresenceEvent } from "@minilab/contracts";
import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { closeShared, liveChannels, subscribe } from "@minilab/queue";
import {
  announceOfflineRunners,
  authenticateRunner,
  listRunners,
  nextOfflineAt,
  registerRunner,
  startRunnerPresence,
} from "@minilab/core";

let t: TestDatabase;
const presence: RunnerPresenceEvent[] = [];
let activity = 0;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  process.env["MINILAB_QUEUE_PREFIX"] = `test-${randomUUID()}`;
  t = await createTestDatabase();
  const url = process.env["REDIS_URL"] ?? "";
  stops.push(
    await subscribe(url, liveChannels().runnerPresence, (m) => {
      presence.push(JSON.parse(m) as RunnerPresenceEvent);
    }),
    await subscribe(url, liveChannels().queueActivity, () => {
      activity++;
    }),
  );
});
afterAll(async () => {
  for (const stop of stops) await stop();
  await closeShared();
  await t?.drop();
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("runner presence events", () => {
  it("announces a runner coming online, once, on its first contact", async () => {
    const { runner, token } = await registerRunner({ db: t.db, tags: ["a"], description: "first" });
    presence.length = 0;
    const before = activity;
    await authenticateRunner({ db: t.db, token });
    await until(() => presence.length > 0 && activity > before, 5_000);
    expect(presence).toEqual([{ runnerId: runner.id, online: true }]);
    // Further contacts of an online runner are no news.
    await t.db.runner.update({
      where: { id: runner.id },
      data: { contactedAt: new Date(Date.now() - 10_000) },
    });
    await authenticateRunner({ db: t.db, token });
    await new Promise((r) => setTimeout(r, 300));
    expect(presence).toHaveLength(1);
  });

  it("announces, within the loop's wake-up, a runner whose last contact leaves the online window", async () => {
    const { runner } = await registerRunner({ db: t.db, tags: ["b"], description: "leaving" });
    const { runner: other } = await registerRunner({ db: t.db, tags: ["c"], description: "staying" });
    // Last contacts: one leaves the window in ~700 ms, the other stays online.
    const leavesAt = Date.now() + 700;
    await t.db.runner.update({
      where: { id: runner.id },
      data: { contactedAt: new Date(leavesAt - ONLINE_WINDOW_MS) },
    });
    await t.db.runner.update({ where: { id: other.id }, data: { contactedAt: new Date() } });
    expect((await nextOfflineAt({ db: t.db }))?.getTime()).toBeLessThanOrEqual(leavesAt);
    presence.length = 0;
    const before = activity;
    // The loop sleeps until the earliest window ends (not its 60 s maximum).
    const stop = startRunnerPresence({ db: t.db, maxSleepMs: 60_000, log: { error() {} } });
    try {
      await until(() => presence.some((p) => p.runnerId === runner.id), 5_000);
      const heardAt = Date.now();
      expect(heardAt).toBeGreaterThanOrEqual(leavesAt);
      expect(heardAt - leavesAt).toBeLessThan(1_000);
      expect(presence).toEqual([{ runnerId: runner.id, online: false }]);
      await until(() => activity > before, 2_000);
      // What the admin page reads at that moment agrees with the event.
      const rows = await listRunners({ db: t.db });
      expect(rows.find((r) => r.id === runner.id)?.online).toBe(false);
      expect(rows.find((r) => r.id === other.id)?.online).toBe(true);
    } finally {
      stop();
    }
  });

  it("announces each transition once across consecutive sweeps", async () => {
    const { runner } = await registerRunner({ db: t.db, description: "once" });
    const t0 = Date.now();
    await t.db.runner.update({
      where: { id: runner.id },
      data: { contactedAt: new Date(t0 - ONLINE_WINDOW_MS + 100) },
    });
    // Window ends at t0 + 100: not in the first interval, in the second, not in the third.
    const at = (ms: number) => new Date(t0 + ms);
    expect(await announceOfflineRunners({ db: t.db, since: at(0), now: at(50) })).toEqual([]);
    expect(await announceOfflineRunners({ db: t.db, since: at(50), now: at(100) })).toEqual([runner.id]);
    expect(await announceOfflineRunners({ db: t.db, since: at(100), now: at(5_000) })).toEqual([]);
  });
});
