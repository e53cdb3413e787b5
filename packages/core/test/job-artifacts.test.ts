/**
 * Job artifacts in core, on real Postgres and disk: who may upload (the job's own token, while it
 * runs), the size limit (413 up front and while streaming), malformed uploads (400), which earlier
 * jobs' archives and dotenv variables a claimed job receives (stages, needs, dependencies), the
 * runner-side download permission, and expiry removing rows and files.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  claimJob,
  coreConfig,
  downloadArtifactsForJob,
  expireArtifacts,
  finishJob,
  findJobArtifacts,
  parseDotenv,
  uploadJobArtifact,
} from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";
import { zipOf } from "./helpers/zip.ts";

let f: CiFixture;
beforeAll(async () => {
  // A small limit keeps the over-the-limit upload cheap; ciFixture re-reads the config.
  process.env["MINILAB_MAX_ARTIFACTS_SIZE"] = String(256 * 1024);
  f = await ciFixture();
});
afterAll(async () => {
  await f?.close();
});

async function* body(buf: Buffer): AsyncIterable<Uint8Array> {
  for (let i = 0; i < buf.length; i += 1000) yield buf.subarray(i, i + 1000);
}

const jobId = async (pipelineId: number, name: string): Promise<number> =>
  (await f.t.db.job.findFirstOrThrow({ where: { pipelineId, name }, orderBy: { id: "desc" } })).id;
const claim = (id: number) => claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: id });

const upload = (
  id: number,
  token: string,
  buf: Buffer,
  over: Partial<Parameters<typeof uploadJobArtifact>[0]> = {},
) =>
  uploadJobArtifact({
    db: f.t.db,
    jobId: id,
    jobToken: token,
    type: "archive",
    body: body(buf),
    contentLength: buf.length,
    expireIn: null,
    name: null,
    ...over,
  });

describe("job artifacts", () => {
  it("passes archives and dotenv variables along stages, needs and dependencies", async () => {
    const p = await f.pipelineOf(`
stages: [build, test]
build: { stage: build, script: b, artifacts: { paths: [out/], reports: { dotenv: b.env } } }
other: { stage: build, script: o, artifacts: { paths: [o/] } }
all: { stage: test, script: t }
only_build: { stage: test, script: t, dependencies: [build] }
none: { stage: test, script: t, dependencies: [] }
needs_no_artifacts: { stage: test, script: t, needs: [{ job: build, artifacts: false }] }
`);
    const build = await jobId(p.id, "build");
    const other = await jobId(p.id, "other");
    const b = await claim(build);
    expect(b.artifacts).toMatchObject({
      paths: ["out/"],
      dotenv: ["b.env"],
      when: "on_success",
      name: "artifacts",
    });
    const stored = await upload(build, b.token, await zipOf({ "out/a.txt": "A" }), { expireIn: "1 week" });
    expect(stored.files).toBe(1);
    expect(stored.expireAt!.getTime() - Date.now()).toBeGreaterThan(6 * 86400_000);
    await upload(build, b.token, Buffer.from('# comment\nVERSION=1.2.3\nQUOTED="a b"\n'), { type: "dotenv" });
    await finishJob({ db: f.t.db, jobId: build, jobToken: b.token, state: "success" });
    const o = await claim(other);
    await upload(other, o.token, await zipOf({ "o/x": "x" }));
    await finishJob({ db: f.t.db, jobId: other, jobToken: o.token, state: "success" });

    const all = await claim(await jobId(p.id, "all"));
    expect(all.dependencies?.map((d) => d.name).sort()).toEqual(["build", "other"]);
    const vars = new Map(all.variables.map((v) => [v.key, v.value]));
    expect(vars.get("VERSION")).toBe("1.2.3");
    expect(vars.get("QUOTED")).toBe("a b");
    expect((await claim(await jobId(p.id, "only_build"))).dependencies?.map((d) => d.name)).toEqual([
      "build",
    ]);
    const none = await claim(await jobId(p.id, "none"));
    expect(none.dependencies).toBeUndefined();
    expect(none.variables.some((v) => v.key === "VERSION")).toBe(false);
    expect((await claim(await jobId(p.id, "needs_no_artifacts"))).dependencies).toBeUndefined();

    // The running `all` job may download build's archive with its own token; a made-up token may not.
    const file = await downloadArtifactsForJob({ db: f.t.db, jobId: build, jobToken: all.token });
    expect(file.filename).toBe("artifacts.zip");
    await expect(
      downloadArtifactsForJob({ db: f.t.db, jobId: build, jobToken: "nope" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("refuses uploads from other tokens, over the limit, and malformed files", async () => {
    const p = await f.pipelineOf(`a: { script: a, artifacts: { paths: [x] } }\nb: { script: b }`);
    const a = await jobId(p.id, "a");
    const b = await jobId(p.id, "b");
    const sa = await claim(a);
    const sb = await claim(b);
    const zip = await zipOf({ x: "x" });
    // Another running job's token cannot attach files to this job.
    await expect(upload(a, sb.token, zip)).rejects.toMatchObject({ code: "forbidden" });
    const max = coreConfig().maxArtifactsBytes;
    await expect(upload(a, sa.token, zip, { contentLength: max + 1 })).rejects.toMatchObject({
      code: "too_large",
    });
    // Without a (truthful) Content-Length the limit still holds while streaming.
    const big = Buffer.alloc(max + 1);
    await expect(upload(a, sa.token, big, { contentLength: null })).rejects.toMatchObject({
      code: "too_large",
    });
    await expect(upload(a, sa.token, Buffer.from("not a zip"))).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(
      upload(a, sa.token, Buffer.from("no equals sign"), { type: "dotenv" }),
    ).rejects.toMatchObject({
      code: "invalid_input",
    });
    expect(await f.t.db.jobArtifact.count({ where: { jobId: a } })).toBe(0);
    // Nothing left behind in the temp area.
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(path.join(coreConfig().artifactsDir, "tmp")).catch(() => [])).toEqual([]);
    // After the finish the token is dead.
    await finishJob({ db: f.t.db, jobId: a, jobToken: sa.token, state: "success" });
    await expect(upload(a, sa.token, zip)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("expires artifacts: hidden at once, row and file removed by the sweep", async () => {
    const p = await f.pipelineOf(`a: { script: a, artifacts: { paths: [x] } }`);
    const a = await jobId(p.id, "a");
    const s = await claim(a);
    const t0 = new Date();
    await upload(a, s.token, await zipOf({ x: "x" }), { expireIn: "1 hour", now: t0 });
    const found = await findJobArtifacts({ db: f.t.db, projectId: f.project.id, jobId: a });
    expect(found.archive?.entries).toEqual([{ path: "x", size: 1 }]);
    const file = found.archive!.absolutePath;
    expect(existsSync(file)).toBe(true);
    const later = new Date(t0.getTime() + 2 * 3600_000);
    expect(
      (await findJobArtifacts({ db: f.t.db, projectId: f.project.id, jobId: a, now: later })).archive,
    ).toBeNull();
    expect(await expireArtifacts({ db: f.t.db, now: t0 })).toBe(0);
    expect(await expireArtifacts({ db: f.t.db, now: later })).toBeGreaterThanOrEqual(1);
    expect(existsSync(file)).toBe(false);
    expect(await f.t.db.jobArtifact.count({ where: { jobId: a } })).toBe(0);
  });

  it("parses dotenv with GitLab's limits", () => {
    expect(parseDotenv("A=1\n\n# c\nexport B = two\nC='x=y'\n")).toEqual({ A: "1", B: "two", C: "x=y" });
    const many = Array.from({ length: 21 }, (_, i) => `V${i}=x`).join("\n");
    expect(() => parseDotenv(many)).toThrow(/more than 20/);
    expect(() => parseDotenv("1BAD=x")).toThrow(/line 1/);
  });
});
