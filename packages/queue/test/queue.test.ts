/** Real Redis at REDIS_URL; every test uses its own BullMQ prefix so runs never see each other. */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { channels, channelsFor, type StatusEvent } from "@minilab/contracts";
import {
  createJobsWorker,
  createRedis,
  enqueueJobs,
  jobsQueue,
  liveChannels,
  publishLog,
  publishStatus,
  subscribe,
} from "@minilab/queue";

const url = process.env["REDIS_URL"] ?? "redis://127.0.0.1:56379";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe("jobs queue", () => {
  it("delivers each CI job once even when enqueued twice", async () => {
    const prefix = `test-${randomUUID()}`;
    const redis = createRedis(url);
    const queue = jobsQueue(redis, { prefix });
    cleanups.push(
      () => redis.quit(),
      () => queue.obliterate({ force: true }).then(() => queue.close()),
    );

    // Enqueued before any worker runs, so the duplicate meets the still-waiting first item.
    await enqueueJobs(queue, [7, 8]);
    await enqueueJobs(queue, [7]);
    expect(await queue.getWaitingCount()).toBe(2);

    const seen: number[] = [];
    const done = new Promise<void>((resolve) => {
      const workerRedis = createRedis(url);
      const worker = createJobsWorker(
        workerRedis,
        async (job) => {
          seen.push(job.data.jobId);
          if (seen.length === 2) resolve();
        },
        { prefix, concurrency: 2 },
      );
      cleanups.push(
        () => workerRedis.quit(),
        () => worker.close(),
      );
    });
    await done;
    expect(seen.sort()).toEqual([7, 8]);
  });
});

describe("pub/sub", () => {
  it("keeps installations sharing one Redis apart by their prefix", async () => {
    const pub = createRedis(url);
    cleanups.push(() => pub.quit());
    const [mine, theirs] = [`inst-${randomUUID()}`, `inst-${randomUUID()}`];
    const heard: Record<string, string[]> = { mine: [], theirs: [], unprefixed: [] };
    const projectId = Math.floor(Math.random() * 1e9);
    cleanups.push(
      await subscribe(url, channelsFor(mine).projectStatus(projectId), (m) => heard["mine"]?.push(m)),
    );
    cleanups.push(
      await subscribe(url, channelsFor(theirs).projectStatus(projectId), (m) => heard["theirs"]?.push(m)),
    );
    cleanups.push(
      await subscribe(url, channels.projectStatus(projectId), (m) => heard["unprefixed"]?.push(m)),
    );
    const saved = process.env["MINILAB_QUEUE_PREFIX"];
    process.env["MINILAB_QUEUE_PREFIX"] = mine;
    try {
      expect(liveChannels().projectStatus(projectId)).toBe(`${mine}:project:${projectId}:status`);
      await publishStatus(pub, { kind: "pipeline", id: 1, pipelineId: 1, projectId, status: "running" });
    } finally {
      if (saved === undefined) delete process.env["MINILAB_QUEUE_PREFIX"];
      else process.env["MINILAB_QUEUE_PREFIX"] = saved;
    }
    await expect.poll(() => heard["mine"]?.length).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    expect([heard["theirs"]?.length, heard["unprefixed"]?.length]).toEqual([0, 0]);
  });

  it("delivers log bytes and status events to subscribers", async () => {
    const pub = createRedis(url);
    cleanups.push(() => pub.quit());
    const logs: string[] = [];
    const statuses: string[] = [];
    const jobId = Math.floor(Math.random() * 1e9);
    const projectId = jobId + 1;
    cleanups.push(await subscribe(url, channels.jobLog(jobId), (m) => logs.push(m)));
    cleanups.push(await subscribe(url, channels.projectStatus(projectId), (m) => statuses.push(m)));

    await publishLog(pub, jobId, 5, Buffer.from("hello"));
    const event: StatusEvent = { kind: "job", id: jobId, pipelineId: 1, projectId, status: "running" };
    await publishStatus(pub, event);
    await expect.poll(() => logs.length + statuses.length).toBe(2);

    expect(JSON.parse(logs[0] ?? "")).toEqual({ offset: 5, data: Buffer.from("hello").toString("base64") });
    expect(JSON.parse(statuses[0] ?? "")).toEqual(event);
  });
});
