/**
 * Artifact files leave the disk with their jobs: deleting a pipeline removes its jobs' archives and
 * dotenv files (not other pipelines'), and the orphan sweep removes files no row refers to once they
 * are older than the grace period (a crash between a delete's commit and its file removal), while
 * young files (an upload about to insert its row) and files with rows stay.
 */
import { existsSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimJob,
  coreConfig,
  deletePipeline,
  findJobArtifacts,
  sweepOrphanArtifacts,
  uploadJobArtifact,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";
import { zipOf } from "./helpers/zip.ts";

let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
});
afterAll(async () => {
  await f?.close();
});

async function* body(buf: Buffer): AsyncIterable<Uint8Array> {
  yield buf;
}

/** A pipeline whose job `a` ran and uploaded an archive and a dotenv file; returns their paths. */
async function pipelineWithArtifacts(): Promise<{ pipelineId: number; jobId: number; files: string[] }> {
  const p = await f.pipelineOf(`a: { script: a, artifacts: { paths: [x] } }`);
  const jobId = (await f.t.db.job.findFirstOrThrow({ where: { pipelineId: p.id } })).id;
  const spec = await claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId });
  const up = (buf: Buffer, type: "archive" | "dotenv") =>
    uploadJobArtifact({
      db: f.t.db,
      jobId,
      jobToken: spec.token,
      type,
      body: body(buf),
      contentLength: buf.length,
      expireIn: null,
      name: null,
    });
  await up(await zipOf({ x: "x" }), "archive");
  await up(Buffer.from("V=1\n"), "dotenv");
  const rows = await f.t.db.jobArtifact.findMany({ where: { jobId } });
  const files = rows.map((r) => path.join(coreConfig().artifactsDir, r.storagePath));
  expect(files).toHaveLength(2);
  for (const file of files) expect(existsSync(file)).toBe(true);
  return { pipelineId: p.id, jobId, files };
}

describe("artifact files of deleted jobs", () => {
  it("are removed from disk when their pipeline is deleted; other pipelines keep theirs", async () => {
    const doomed = await pipelineWithArtifacts();
    const kept = await pipelineWithArtifacts();
    await deletePipeline({ db: f.t.db, pipelineId: doomed.pipelineId, userId: f.user.id });
    for (const file of doomed.files) expect(existsSync(file)).toBe(false);
    expect(existsSync(path.dirname(doomed.files[0]!))).toBe(false);
    for (const file of kept.files) expect(existsSync(file)).toBe(true);
    const found = await findJobArtifacts({ db: f.t.db, projectId: f.project.id, jobId: kept.jobId });
    expect(found.archive?.entries).toEqual([{ path: "x", size: 1 }]);
  });

  it("a refused delete (not maintainer) removes no file", async () => {
    const p = await pipelineWithArtifacts();
    const stranger = await f.t.db.user.create({
      data: { username: `s${p.jobId}`, email: `s${p.jobId}@example.com`, name: "S", passwordHash: "x" },
    });
    await expect(
      deletePipeline({ db: f.t.db, pipelineId: p.pipelineId, userId: stranger.id }),
    ).rejects.toThrow();
    for (const file of p.files) expect(existsSync(file)).toBe(true);
  });

  it("the orphan sweep removes old files without rows, keeps young ones and files with rows", async () => {
    const live = await pipelineWithArtifacts();
    const root = coreConfig().artifactsDir;
    // A crash after the delete committed: rows gone, files left.
    const orphanDir = path.join(root, String(f.project.id), "999999");
    mkdirSync(orphanDir, { recursive: true });
    const orphan = path.join(orphanDir, "artifacts.zip");
    writeFileSync(orphan, "old");
    const young = path.join(root, String(f.project.id), "999998", "artifacts.zip");
    mkdirSync(path.dirname(young), { recursive: true });
    writeFileSync(young, "new");
    mkdirSync(path.join(root, "tmp"), { recursive: true });
    const spooled = path.join(root, "tmp", "upload-dead");
    writeFileSync(spooled, "partial");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    for (const file of [orphan, spooled, ...live.files]) utimesSync(file, twoHoursAgo, twoHoursAgo);

    expect(await sweepOrphanArtifacts({ db: f.t.db })).toBe(2);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(orphanDir)).toBe(false);
    expect(existsSync(spooled)).toBe(false);
    expect(existsSync(young)).toBe(true);
    for (const file of live.files) expect(existsSync(file)).toBe(true);
    // Later, once the young file is past the grace period too, it goes.
    expect(await sweepOrphanArtifacts({ db: f.t.db, now: new Date(Date.now() + 2 * 3600_000) })).toBe(1);
    expect(existsSync(young)).toBe(false);
  });
});
