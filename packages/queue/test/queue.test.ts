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
  liveVersion,
  publishBatch,
  publishLog,
  publishRunnerPresence,
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

  it("raises a channel's version before each message, so a late subscriber can tell it missed one", async () => {
    const prefix = `test-${randomUUID()}`;
    const previous = process.env["MINILAB_QUEUE_PREFIX"];
    process.env["MINILAB_QUEUE_PREFIX"] = prefix;
    cleanups.push(async () => {
      if (previous === undefined) delete process.env["MINILAB_QUEUE_PREFIX"];
      else process.env["MINILAB_QUEUE_PREFIX"] = previous;
    });
    const pub = createRedis(url);
    const reader = createRedis(url);
    cleanups.push(
      () => pub.quit(),
      () => reader.quit(),
    );
    const { versions, projectStatus, runnerPresence } = liveChannels();
    const version = (key: string) => liveVersion(reader, key);
    expect(await version(versions.projectStatus(1))).toBe("0");

    // By the time a subscriber hears a message, the version it vouches for is already raised.
    const heard: Record<"project" | "presence", Promise<string>[]> = { project: [], presence: [] };
    cleanups.push(
      await subscribe(url, projectStatus(1), () => heard.project.push(version(versions.projectStatus(1)))),
      await subscribe(url, runnerPresence, () => heard.presence.push(version(versions.runnerPresence))),
    );
    // One at a time: each read must see its own message counted (a later one may not be sent yet).
    await publishStatus(pub, { kind: "job", id: 5, pipelineId: 2, projectId: 1, status: "running" });
    await expect.poll(() => heard.project.length).toBe(1);
    await publishBatch(pub, {
      events: [
        { kind: "pipeline", id: 2, pipelineId: 2, projectId: 1, status: "success" },
        { kind: "pipeline", id: 3, pipelineId: 3, projectId: 2, status: "failed" },
      ],
    });
    await expect.poll(() => heard.project.length).toBe(2);
    await publishRunnerPresence(pub, { runnerId: 4, online: false });
    await expect.poll(() => heard.presence.length).toBe(1);
    expect(await Promise.all(heard.project)).toEqual(["1", "2"]);
    expect(await Promise.all(heard.presence)).toEqual(["1"]);
    expect(await version(versions.projectStatus(2))).toBe("1");
    expect(await version(versions.anyProjectStatus)).toBe("3");
    await reader.del(
      versions.projectStatus(1),
      versions.projectStatus(2),
      versions.anyProjectStatus,
      versions.runnerPresence,
    );
  });
});
