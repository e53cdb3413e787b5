/**
 * Line numbers of stored job logs: every chunk carries the running newline count, whichever way it
 * was stored (runner uploads, racing retries, the reconciler's final line), so a window anywhere in
 * the log knows its first line number without counting earlier chunks. Needs DATABASE_URL and REDIS_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@minilab/db";
import { appendJobLog, claimJob, createPipeline, readJobLogWindow, reconcileJobs } from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

let f: CiFixture;
let db: Db;
beforeAll(async () => {
  f = await ciFixture();
  db = f.t.db;
});
afterAll(async () => {
  await f?.close();
});

async function runningJob() {
  const sha = f.commit({ ".gitlab-ci.yml": "build:\n  script: make\n" });
  const p = await createPipeline({
    db,
    project: f.project,
    ref: "main",
    tag: false,
    sha,
    beforeSha: "0".repeat(40),
    source: "push",
    userId: f.user.id,
  });
  const job = await db.job.findFirstOrThrow({ where: { pipelineId: p?.id ?? -1 } });
  return claimJob({ db, runnerToken: f.runnerToken, jobId: job.id });
}

describe("job log line numbers", () => {
  it("numbers every window correctly after racing uploads and the reconciler's last line", async () => {
    const spec = await runningJob();
    // 3,000 lines of varying length (some with multi-byte characters), uploaded in 1,000-byte pieces
    // that split lines; each piece is sent twice at once, as a retrying runner might.
    const text = Array.from(
      { length: 3000 },
      (_, i) => `line ${i + 1} ${"✓".repeat(i % 7)}${"x".repeat(i % 50)}\n`,
    ).join("");
    const bytes = Buffer.from(text);
    for (let off = 0; off < bytes.length; off += 1000) {
      const data = bytes.subarray(off, off + 1000);
      const send = () => appendJobLog({ db, jobId: spec.id, jobToken: spec.token, start: off, data });
      await Promise.all([send(), send()]);
    }
    await db.job.update({ where: { id: spec.id }, data: { heartbeatAt: new Date(Date.now() - 3_600_000) } });
    expect(await reconcileJobs({ db })).toMatchObject({ failedStale: 1 });

    const chunks = await db.jobLogChunk.findMany({ where: { jobId: spec.id }, orderBy: { offset: "asc" } });
    const stored = Buffer.concat(chunks.map((c) => c.data));
    expect(stored.subarray(0, bytes.length).equals(bytes)).toBe(true);
    for (const c of chunks) {
      const upTo = stored.subarray(0, c.offset + c.data.length);
      expect(c.newlinesEnd).toBe(upTo.filter((b) => b === 0x0a).length);
    }
    // Windows ending anywhere: the first shown line carries its number in the whole log.
    for (const end of [stored.length, bytes.length, 123_457, 50_001, 999]) {
      const w = await readJobLogWindow({ db, jobId: spec.id, end, limit: 4000 });
      const before = stored.subarray(0, w.start).filter((b) => b === 0x0a).length;
      expect(w.firstLine).toBe(before + 1);
      expect(w.bytes.equals(stored.subarray(w.start, end))).toBe(true);
      if (end === bytes.length) expect(w.bytes.toString().split("\n").at(-2)).toMatch(/^line 3000 /);
    }
  });
});
