/** Tag routing against real Redis: two runners with different tags each get only the jobs they may run. */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createRedis, createTaggedWorkers, RoutedQueues, type TaggedWorkers } from "@minilab/queue";

const url = process.env["REDIS_URL"] ?? "redis://127.0.0.1:56379";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("tag routing", () => {
  it("sends tagged jobs only to runners with all tags, untagged only to run_untagged runners", async () => {
    const prefix = `test-${randomUUID()}`;
    const redis = createRedis(url);
    const routed = new RoutedQueues(redis, { prefix });
    cleanups.push(
      () => redis.quit(),
      () => routed.close(),
    );
    const seen = { docker: [] as number[], plain: [] as number[] };
    const runner = async (
      name: "docker" | "plain",
      tags: string[],
      runUntagged: boolean,
    ): Promise<TaggedWorkers> => {
      const conn = createRedis(url);
      const w = await createTaggedWorkers(conn, async (job) => void seen[name].push(job.data.jobId), {
        tags,
        runUntagged,
        prefix,
        pollMs: 100,
      });
      cleanups.push(
        () => conn.quit(),
        () => w.close(),
      );
      return w;
    };
    // Runner "docker" exists before any tagged job: it must discover the new tag sets while running.
    const docker = await runner("docker", ["docker", "linux"], false);
    await runner("plain", [], true);

    await routed.enqueue([
      { jobId: 1, tags: [] },
      { jobId: 2, tags: ["docker"] },
      { jobId: 3, tags: ["linux", "docker"] },
      { jobId: 4, tags: ["gpu"] },
      { jobId: 5, tags: ["docker", "gpu"] },
    ]);
    await docker.refresh();
    await expect.poll(() => seen.docker.length + seen.plain.length, { timeout: 10_000 }).toBe(3);
    expect(seen.docker.sort()).toEqual([2, 3]);
    expect(seen.plain).toEqual([1]);
    // Nobody may run 4 and 5: they stay on their queues.
    expect((await routed.missing([{ jobId: 4, tags: ["gpu"] }])).length).toBe(0);
  });
});
