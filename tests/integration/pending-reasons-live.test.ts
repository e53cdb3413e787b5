/**
 * "Why is this job pending" by server push (issue 7's pipeline page), on the running stack: the
 * pipeline page's event stream (`/-/events.stream?pending=<pipeline id>`) sends the reasons, then sends
 * them again whenever they change — when a runner with the job's tags comes online (an event from
 * outside the project) and when a job of the pipeline changes (a project event) — with no reload and
 * no polling.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateRunner, cancelJob, registerRunner } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

interface PendingEvent {
  pipelineId: number;
  reasons: Record<string, string>;
}

/** The `pending` events of an SSE response, as they arrive. */
function pendingEvents(res: Response): { next(ms: number): Promise<PendingEvent>; close(): void } {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queued: PendingEvent[] = [];
  const read = async (): Promise<void> => {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended");
    buffer += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (event === "pending" && data) queued.push(JSON.parse(data) as PendingEvent);
    }
  };
  return {
    async next(ms) {
      const deadline = Date.now() + ms;
      while (queued.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no pending event in time");
        await Promise.race([
          read(),
          new Promise((_, reject) => setTimeout(() => reject(new Error("no pending event in time")), left)),
        ]);
      }
      return queued.shift()!;
    },
    close: () => void reader.cancel().catch(() => undefined),
  };
}

describe.runIf(webUrl)("pending reasons pushed to the pipeline page", () => {
  let db: Db;
  let p: TestProject;
  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    p = await testProject(db, "pendlive");
    // Public, so the stream can be read without a session (the page itself is covered by e2e).
    await db.project.update({ where: { id: p.project.id }, data: { visibility: "public" } });
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it("sends the reasons, then new ones when a matching runner comes online and when a job changes", async () => {
    const tag = `nobody-${uniq()}`;
    const sha = await p.push(
      {
        ".gitlab-ci.yml": `
stages: [build, deploy]
lonely:
  stage: build
  tags: [${tag}]
  script: echo hi
after:
  stage: deploy
  script: echo later
`,
      },
      "tagged job",
    );
    const pipeline = await (async () => {
      for (let i = 0; i < 100; i++) {
        const found = await db.pipeline.findFirst({ where: { projectId: p.project.id, sha } });
        if (found) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("no pipeline");
    })();
    const jobs = await db.job.findMany({ where: { pipelineId: pipeline.id } });
    const lonely = jobs.find((j) => j.name === "lonely")!;
    const after = jobs.find((j) => j.name === "after")!;

    const res = await fetch(new URL(`/${p.repo}/-/events.stream?pending=${pipeline.id}`, webUrl));
    expect(res.status).toBe(200);
    const events = pendingEvents(res);
    try {
      const first = await events.next(10_000);
      expect(first.pipelineId).toBe(pipeline.id);
      expect(first.reasons[String(lonely.id)]).toBe(`No online runner with tags [${tag}]`);
      expect(first.reasons[String(after.id)]).toBe("Waiting for earlier stages to complete: lonely");
      // The job page's stream (`?pendingJob=`) carries that one job's reason only.
      const jobRes = await fetch(new URL(`/${p.repo}/-/events.stream?pendingJob=${after.id}`, webUrl));
      const jobEvents = pendingEvents(jobRes);
      try {
        expect((await jobEvents.next(10_000)).reasons).toEqual({
          [String(after.id)]: "Waiting for earlier stages to complete: lonely",
        });
      } finally {
        jobEvents.close();
      }

      // A runner with the tag comes online (its first contact): a change outside the project.
      const { token } = await registerRunner({ db, tags: [tag], runUntagged: false, description: tag });
      await authenticateRunner({ db, token });
      const second = await events.next(10_000);
      expect(second.reasons[String(lonely.id)]).toBe(
        "Waiting for a runner to pick it up; position 1 in the queue",
      );

      // The job is canceled: `after` is skipped and nothing waits any more (a project event).
      await cancelJob({ db, jobId: lonely.id, userId: p.user.id });
      const third = await events.next(10_000);
      expect(third.reasons).toEqual({});
    } finally {
      events.close();
    }

    // A pipeline of another project is not this stream's business.
    const other = await testProject(db, "pendother");
    await db.project.update({ where: { id: other.project.id }, data: { visibility: "public" } });
    const foreign = await fetch(new URL(`/${other.repo}/-/events.stream?pending=${pipeline.id}`, webUrl));
    expect(foreign.status).toBe(404);
    const foreignJob = await fetch(new URL(`/${other.repo}/-/events.stream?pendingJob=${lonely.id}`, webUrl));
    expect(foreignJob.status).toBe(404);
  }, 60_000);
});
