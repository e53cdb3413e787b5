/**
 * Advancing wide pipelines: many jobs of one stage finishing concurrently (as runners do) must move
 * the next stage exactly once, at the right moment, and leave the right pipeline status — including
 * allow_failure warnings, `when: on_failure` / `always`, and `needs` released while their stage
 * still runs. advance-pipeline.ts decides most of these finishes from counts, without loading the
 * jobs; these tests pin the outcomes that shortcut must not change.
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobStatus } from "@minilab/db";
import { claimJob, finishJob } from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

const WIDE = 40;
let f: CiFixture;
const pipelineIdOf = async (yaml: string): Promise<number> => (await f.pipelineOf(yaml)).id;
beforeAll(async () => {
  f = await ciFixture();
});
afterAll(async () => {
  await f?.close();
});

async function rows(pipelineId: number) {
  return f.t.db.job.findMany({
    where: { pipelineId, retried: false },
    select: { id: true, name: true, status: true },
    orderBy: { id: "asc" },
  });
}
const statusOf = async (pipelineId: number, name: string): Promise<JobStatus | undefined> =>
  (await rows(pipelineId)).find((r) => r.name === name)?.status;
const pipeline = (id: number) =>
  f.t.db.pipeline.findUniqueOrThrow({ where: { id }, select: { status: true, warnings: true } });

/** Claims then finishes each job, 8 at a time, as concurrent runners would. */
async function runAll(
  ids: readonly number[],
  state: (id: number) => "success" | "failed" = () => "success",
): Promise<void> {
  const queue = [...ids];
  const worker = async (): Promise<void> => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: id });
      await finishJob({ db: f.t.db, jobId: id, jobToken: spec.token, state: state(id) });
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Jobs of the wide stage (instances `wide i/N`). */
const wideIds = async (pipelineId: number) =>
  (await rows(pipelineId)).filter((r) => r.name.startsWith("wide ")).map((r) => r.id);

describe("a wide stage finishing concurrently", () => {
  it("moves the next stage once, only after its last job, and dispatches each job once", async () => {
    const p = await pipelineIdOf(`
stages: [one, two]
wide: { stage: one, script: x, parallel: ${WIDE} }
next: { stage: two, script: n }
cleanup: { stage: two, script: c, when: always }
rescue: { stage: two, script: r, when: on_failure }
`);
    const ids = await wideIds(p);
    expect(ids).toHaveLength(WIDE);
    await runAll(ids.slice(0, WIDE - 1));
    // One job of the stage still pending: nothing of stage two moved, the pipeline runs.
    expect(await statusOf(p, "next")).toBe("created");
    expect(await pipeline(p)).toEqual({ status: "running", warnings: false });

    await runAll(ids.slice(WIDE - 1));
    const after = await rows(p);
    expect(
      Object.fromEntries(after.filter((r) => !r.name.startsWith("wide ")).map((r) => [r.name, r.status])),
    ).toEqual({
      next: "pending",
      cleanup: "pending",
      rescue: "skipped",
    });
    // Of stage two, exactly the pending jobs were dispatched (this test claims without consuming the
    // queue, so the wide stage's items are still there too).
    const pending = after.filter((r) => r.status === "pending").map((r) => r.id);
    const stageTwo = after.filter((r) => !r.name.startsWith("wide ")).map((r) => r.id);
    expect((await f.queuedJobIds()).filter((id) => stageTwo.includes(id))).toEqual(pending);

    await runAll(pending);
    expect(await pipeline(p)).toEqual({ status: "success", warnings: false });
  }, 120_000);

  it("an allowed failure among the wide stage passes with warnings", async () => {
    const p = await pipelineIdOf(`
stages: [one, two]
wide: { stage: one, script: x, parallel: ${WIDE} }
flaky: { stage: one, script: f, allow_failure: true }
next: { stage: two, script: n }
`);
    const all = await rows(p);
    const flaky = all.find((r) => r.name === "flaky")!.id;
    await runAll(
      all.filter((r) => r.status === "pending").map((r) => r.id),
      (id) => (id === flaky ? "failed" : "success"),
    );
    expect(await statusOf(p, "next")).toBe("pending");
    expect((await pipeline(p)).status).toBe("running");
    await runAll([all.find((r) => r.name === "next")!.id]);
    expect(await pipeline(p)).toEqual({ status: "success", warnings: true });
  }, 120_000);

  it("a hard failure in the wide stage runs on_failure and always jobs, skips the rest, fails", async () => {
    const p = await pipelineIdOf(`
stages: [one, two, three]
wide: { stage: one, script: x, parallel: ${WIDE} }
next: { stage: two, script: n }
rescue: { stage: two, script: r, when: on_failure }
cleanup: { stage: three, script: c, when: always }
`);
    const ids = await wideIds(p);
    const broken = ids[17]!;
    await runAll(ids, (id) => (id === broken ? "failed" : "success"));
    expect(await statusOf(p, "next")).toBe("skipped");
    expect(await statusOf(p, "rescue")).toBe("pending");
    // Stage three waits for stage two's on_failure job.
    expect(await statusOf(p, "cleanup")).toBe("created");
    expect((await pipeline(p)).status).toBe("running");
    await runAll([(await rows(p)).find((r) => r.name === "rescue")!.id]);
    expect(await statusOf(p, "cleanup")).toBe("pending");
    await runAll([(await rows(p)).find((r) => r.name === "cleanup")!.id]);
    expect(await pipeline(p)).toEqual({ status: "failed", warnings: false });
  }, 120_000);

  it("a job that needs one job of the stage starts while the rest of the stage still runs", async () => {
    const p = await pipelineIdOf(`
stages: [one, two]
wide: { stage: one, script: x, parallel: ${WIDE} }
solo: { stage: one, script: s }
early: { stage: two, needs: [solo], script: e }
late: { stage: two, script: l }
`);
    const all = await rows(p);
    const solo = all.find((r) => r.name === "solo")!.id;
    const ids = await wideIds(p);
    // Half the wide stage first: nothing it finishes is needed by anyone.
    await runAll(ids.slice(0, WIDE / 2));
    expect(await statusOf(p, "early")).toBe("created");
    await runAll([solo]);
    expect(await statusOf(p, "early")).toBe("pending");
    expect(await statusOf(p, "late")).toBe("created");
    await runAll(ids.slice(WIDE / 2));
    expect(await statusOf(p, "late")).toBe("pending");
    expect((await pipeline(p)).status).toBe("running");
    await runAll((await rows(p)).filter((r) => r.status === "pending").map((r) => r.id));
    expect(await pipeline(p)).toEqual({ status: "success", warnings: false });
  }, 120_000);
});
