/**
 * Project CI/CD variables on the real stack: jobs receive them, masked values never reach the stored
 * log (not even when printed in pieces across separate writes), protected ones reach only jobs of
 * protected branches.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProjectVariable, protectBranch, readJobLog } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

const SECRET = "s3cr3t-Value-9f8e7d";
const DEPLOY = "deploy-key-0123456789";

describe.runIf(webUrl)("project CI/CD variables", () => {
  let db: Db;
  let t: TestProject;

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "vars");
    const actor = t.user;
    const project = t.project;
    await createProjectVariable({
      db,
      actor,
      project,
      variable: { key: "API_SECRET", value: SECRET, masked: true, protected: false },
    });
    await createProjectVariable({
      db,
      actor,
      project,
      variable: { key: "PLAIN_VAR", value: "plain-visible", masked: false, protected: false },
    });
    await createProjectVariable({
      db,
      actor,
      project,
      variable: { key: "DEPLOY_KEY", value: DEPLOY, masked: true, protected: true },
    });
    await protectBranch({ db, actor, project, name: "main" }).catch((e: unknown) => {
      // New projects protect their default branch already.
      if ((e as { code?: string }).code !== "conflict") throw e;
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  const ci = `
show:
  script:
    - echo "plain=$PLAIN_VAR"
    - echo "secret=$API_SECRET"
    - printf '%s' "$(echo "$API_SECRET" | cut -c1-6)"; sleep 0.3; echo "$API_SECRET" | cut -c7-
    - echo "deploy=\${DEPLOY_KEY:-unset}"
    - test "$API_SECRET" = "${SECRET}" && echo "secret value is intact in the job"
`;

  async function storedLog(sha: string): Promise<{ status: string; log: string; jobId: number }> {
    const p = await t.finishedPipeline(sha);
    const jobs = await t.api<{ id: number }[]>(
      `/projects/${encodeURIComponent(t.repo)}/pipelines/${p.id}/jobs`,
    );
    const id = jobs[0]?.id ?? 0;
    return { status: p.status, log: (await readJobLog({ db, jobId: id })).toString("utf8"), jobId: id };
  }

  it("passes variables to jobs and never stores a masked value in the log", async () => {
    const sha = await t.push({ ".gitlab-ci.yml": ci }, "show variables");
    const { status, log, jobId } = await storedLog(sha);
    expect(status).toBe("success");
    expect(log).toContain("plain=plain-visible");
    expect(log).toContain("secret=[MASKED]");
    expect(log).toContain("secret value is intact in the job");
    // A protected branch gets the protected variable, masked as well.
    expect(log).toContain("deploy=[MASKED]");
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(DEPLOY);
    // The API trace (what a reader downloads) is the same stored bytes.
    const trace = await t.text(`/projects/${encodeURIComponent(t.repo)}/jobs/${jobId}/trace`);
    expect(trace).toContain("secret=[MASKED]");
    expect(trace).not.toContain(SECRET);
  });

  it("keeps protected variables from jobs of unprotected branches", async () => {
    const sha = await t.push({ "x.txt": "x\n" }, "feature", "feature-x");
    const { status, log } = await storedLog(sha);
    expect(status).toBe("success");
    expect(log).toContain("deploy=unset");
    expect(log).toContain("secret=[MASKED]");
    expect(log).not.toContain(SECRET);
  });
});
