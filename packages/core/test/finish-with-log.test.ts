/**
 * A finish carrying the log's last bytes (runner contract: `JobFinish.trace`): stored at their
 * offset like an upload — bytes the server holds already are not stored twice — and the job ends
 * in the same transaction; a retried finish changes nothing.
 * Needs DATABASE_URL (server) and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendJobLog, claimJob, createPipeline, finishJob, readJobLog } from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
});
afterAll(async () => {
  await f?.close();
});

let n = 0;
async function claimedJob(): Promise<{ id: number; token: string }> {
  const ref = `f${++n}`;
  const sha = f.commit({ ".gitlab-ci.yml": "solo: { script: x }\n" }, "change", ref);
  const p = await createPipeline({
    db: f.t.db,
    project: f.project,
    ref,
    tag: false,
    sha,
    beforeSha: "0".repeat(40),
    source: "push",
    userId: f.user.id,
  });
  const job = await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p!.id } });
  const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: job.id });
  expect(spec.finishTrace).toBe(true);
  return { id: job.id, token: spec.token };
}
const log = async (jobId: number) => (await readJobLog({ db: f.t.db, jobId })).toString();

describe("finishJob with the log's end", () => {
  it("stores the bytes after the uploaded ones and ends the job", async () => {
    const j = await claimedJob();
    await appendJobLog({ db: f.t.db, jobId: j.id, jobToken: j.token, start: 0, data: Buffer.from("one\n") });
    const r = await finishJob({
      db: f.t.db,
      jobId: j.id,
      jobToken: j.token,
      state: "success",
      finalLog: { offset: 4, data: Buffer.from("two\nJob succeeded\n") },
    });
    expect(r.status).toBe("success");
    expect(await log(j.id)).toBe("one\ntwo\nJob succeeded\n");
    const row = await f.t.db.job.findUniqueOrThrow({ where: { id: j.id } });
    expect(row.logSize).toBe(Buffer.byteLength("one\ntwo\nJob succeeded\n"));
  });

  it("skips bytes already stored (a resend) and ignores the log of a retried finish", async () => {
    const j = await claimedJob();
    await appendJobLog({ db: f.t.db, jobId: j.id, jobToken: j.token, start: 0, data: Buffer.from("one\n") });
    const finish = () =>
      finishJob({
        db: f.t.db,
        jobId: j.id,
        jobToken: j.token,
        state: "failed",
        exitCode: 1,
        finalLog: { offset: 0, data: Buffer.from("one\ntwo\n") },
      });
    expect((await finish()).status).toBe("failed");
    expect(await finish()).toEqual({ status: "failed" });
    expect(await log(j.id)).toBe("one\ntwo\n");
  });

  it("stores nothing it cannot place after a gap, and still ends the job", async () => {
    const j = await claimedJob();
    const r = await finishJob({
      db: f.t.db,
      jobId: j.id,
      jobToken: j.token,
      state: "success",
      finalLog: { offset: 10, data: Buffer.from("late\n") },
    });
    expect(r.status).toBe("success");
    expect(await log(j.id)).toBe("");
  });
});
