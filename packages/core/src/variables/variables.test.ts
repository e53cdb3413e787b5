import { createTestDatabase, type TestDatabase } from "@minilab/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../auth/index.ts";
import { readJobLogWindow } from "../jobs/index.ts";
import { createProject, protectBranch } from "../projects/index.ts";
import {
  createProjectVariable,
  deleteProjectVariable,
  isProtectedRef,
  listProjectVariables,
  refIsProtected,
  variablesForJob,
  updateProjectVariable,
  variableProblems,
} from "./index.ts";

describe("variable rules", () => {
  it("requires masked values of 8+ characters on one line, and word-character keys", () => {
    const v = { key: "TOKEN", value: "12345678", masked: true, protected: false };
    expect(variableProblems(v)).toEqual({});
    expect(variableProblems({ ...v, value: "1234567" })["value"]).toMatch(/at least 8/);
    expect(variableProblems({ ...v, value: "1234\n5678" })["value"]).toMatch(/single line/);
    expect(variableProblems({ ...v, masked: false, value: "x" })).toEqual({});
    expect(variableProblems({ ...v, key: "BAD-KEY" })["key"]).toBeDefined();
  });

  it("protects refs by protected-branch wildcards, never tags", () => {
    expect(refIsProtected(["main", "release/*"], "release/1.2", false)).toBe(true);
    expect(refIsProtected(["main", "release/*"], "feature", false)).toBe(false);
    expect(refIsProtected(["v1.0"], "v1x0", false)).toBe(false);
    expect(refIsProtected(["release/*"], "release/1.2", true)).toBe(false);
  });
});

describe("project variables", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t?.drop());

  it("lets maintainers manage variables and gives protected ones only to protected refs", async () => {
    const db = t.db;
    const owner = await createUser({ db, username: "owner", email: "o@example.com", password: "password-1" });
    const other = await createUser({ db, username: "other", email: "x@example.com", password: "password-1" });
    const project = await createProject({ db, owner, name: "demo" });
    const a = await createProjectVariable({
      db,
      actor: owner,
      project,
      variable: { key: "A", value: "plain", masked: false, protected: false },
    });
    await createProjectVariable({
      db,
      actor: owner,
      project,
      variable: { key: "DEPLOY", value: "deploy-secret", masked: true, protected: true },
    });
    await expect(
      createProjectVariable({
        db,
        actor: owner,
        project,
        variable: { key: "A", value: "again", masked: false, protected: false },
      }),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(listProjectVariables({ db, actor: other, project })).rejects.toMatchObject({
      code: "not_found",
    });

    await protectBranch({ db, actor: owner, project, name: "main" }).catch((e: unknown) => {
      // New projects protect their default branch already.
      if ((e as { code?: string }).code !== "conflict") throw e;
    });
    const onMain = await isProtectedRef({ db, projectId: project.id, ref: "main", tag: false });
    const onFeature = await isProtectedRef({ db, projectId: project.id, ref: "feature", tag: false });
    expect([onMain, onFeature]).toEqual([true, false]);
    const stored = await db.projectVariable.findMany({
      where: { projectId: project.id },
      orderBy: { key: "asc" },
    });
    expect(variablesForJob(stored, true)).toEqual([
      { key: "A", value: "plain", masked: false },
      { key: "DEPLOY", value: "deploy-secret", masked: true },
    ]);
    expect(variablesForJob(stored, false)).toEqual([{ key: "A", value: "plain", masked: false }]);

    // An empty value on edit keeps the stored one.
    const edited = await updateProjectVariable({
      db,
      actor: owner,
      project,
      id: a.id,
      variable: { key: "A2", value: undefined, masked: false, protected: false },
    });
    expect([edited.key, edited.value]).toEqual(["A2", "plain"]);
    await deleteProjectVariable({ db, actor: owner, project, id: a.id });
    expect((await listProjectVariables({ db, actor: owner, project })).map((v) => v.key)).toEqual(["DEPLOY"]);
  });

  it("reads line-aligned windows of a stored log with absolute line numbers", async () => {
    const db = t.db;
    const owner = await db.user.findFirstOrThrow();
    const project = await db.project.findFirstOrThrow({ where: { ownerId: owner.id } });
    const pipeline = await db.pipeline.create({
      data: {
        iid: 1,
        projectId: project.id,
        ref: "main",
        sha: "a".repeat(40),
        beforeSha: "0".repeat(40),
        source: "push",
      },
    });
    const job = await db.job.create({
      data: {
        pipelineId: pipeline.id,
        projectId: project.id,
        name: "j",
        stage: "test",
        stageIdx: 0,
        spec: {},
      },
    });
    const text = Array.from({ length: 100 }, (_, i) => `line ${i + 1} ✓`).join("\n") + "\n";
    const bytes = Buffer.from(text);
    // Chunks that split lines and a multi-byte character.
    for (let off = 0; off < bytes.length; off += 37)
      await db.jobLogChunk.create({
        data: {
          jobId: job.id,
          offset: off,
          data: new Uint8Array(bytes.subarray(off, off + 37)),
          newlinesEnd: bytes.subarray(0, off + 37).filter((b) => b === 0x0a).length,
        },
      });
    const w = await readJobLogWindow({ db, jobId: job.id, end: bytes.length, limit: 200 });
    const shown = w.bytes.toString("utf8");
    expect(shown.startsWith(`line ${w.firstLine} ✓\n`)).toBe(true);
    expect(shown.endsWith("line 100 ✓\n")).toBe(true);
    expect(bytes.subarray(w.start).toString("utf8")).toBe(shown);
    const earlier = await readJobLogWindow({ db, jobId: job.id, end: w.start, limit: 1_000_000 });
    expect([earlier.start, earlier.firstLine]).toEqual([0, 1]);
    expect(earlier.bytes.toString("utf8") + shown).toBe(text);
  });
});
