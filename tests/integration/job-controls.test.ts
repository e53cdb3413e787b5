/**
 * Job and pipeline controls on the real stack (web app, runner, Postgres, Redis, Docker) through
 * GitLab's API v4 paths: run a pipeline (`POST /pipeline`), cancel a running `sleep` job (it stops
 * quickly, after_script still runs, no container is left), play a manual job with variables, retry,
 * pipeline cancel/retry/variables/delete — and the permission refusals of each route.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPersonalAccessToken, createUser } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

const run = promisify(execFile);

// Pushes create no pipeline (the tests start theirs through the API), so nothing else competes
// for the runner.
const CI = `
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE != "push"
stages: [build]
sleeper:
  stage: build
  script:
    - echo "sleeper started"
    - sleep 300
  after_script:
    - echo "after-script-ran for $CI_JOB_NAME"
deploy:
  stage: build
  when: manual
  script:
    - echo "deploying to $TARGET"
    - test -f "$DEPLOY_CONFIG" && echo "config file holds $(cat "$DEPLOY_CONFIG")"
`;

interface ApiJob {
  id: number;
  name: string;
  status: string;
  pipeline: { id: number };
}
interface ApiPipeline {
  id: number;
  status: string;
  source: string;
  ref: string;
}

describe.runIf(webUrl)("job and pipeline controls (API v4, real runner)", () => {
  let db: Db;
  let p: TestProject;
  let devToken: string;
  let reporterToken: string;
  let pipelineId: number;
  const pid = () => encodeURIComponent(p.repo);

  async function call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const res = await fetch(new URL(`/api/v4${path}`, webUrl), {
      method,
      headers: {
        ...(token ? { "PRIVATE-TOKEN": token } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  }

  async function jobs(pipeline: number): Promise<ApiJob[]> {
    return p.api<ApiJob[]>(`/projects/${pid()}/pipelines/${pipeline}/jobs`);
  }

  async function waitJob(id: number, ok: (s: string) => boolean, seconds = 120): Promise<ApiJob> {
    for (let i = 0; i < seconds * 5; i++) {
      const j = await p.api<ApiJob>(`/projects/${pid()}/jobs/${id}`);
      if (ok(j.status)) return j;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`job ${id} did not reach the expected status`);
  }

  async function containersOf(jobId: number): Promise<string> {
    const { stdout } = await run("docker", ["ps", "-aq", "--filter", `label=minilab.job-id=${jobId}`]);
    return stdout.trim();
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    p = await testProject(db, "ctl");
    const member = async (name: string, accessLevel: number) => {
      const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
      const u = await createUser({
        db,
        username: `${name}-${suffix}`,
        email: `${name}-${suffix}@example.com`,
        password: "secret-password",
      });
      await db.projectMember.create({ data: { projectId: p.project.id, userId: u.id, accessLevel } });
      return (await createPersonalAccessToken({ db, userId: u.id, name: "t", scopes: ["api"] })).token;
    };
    devToken = await member("dev", 30);
    reporterToken = await member("rep", 20);
    await p.push({ "README.md": "# demo\n" }, "Initial commit");
  });

  afterAll(async () => {
    await db?.$disconnect();
  });

  it("POST /projects/:id/pipeline runs a pipeline with variables (source api), with GitLab's refusals", async () => {
    // main is protected (maintainers push): a developer may not run pipelines on it, as GitLab.
    expect(await call("POST", `/projects/${pid()}/pipeline`, devToken, { ref: "main" })).toEqual({
      status: 400,
      json: {
        message: {
          base: [
            "You do not have sufficient permission to run a pipeline on 'main'. Please select a different branch or contact your administrator for assistance.",
          ],
        },
      },
    });
    // The owner may; there is no CI file on main yet.
    expect(await call("POST", `/projects/${pid()}/pipeline`, p.token, { ref: "main" })).toEqual({
      status: 400,
      json: { message: { base: ["Missing CI config file"] } },
    });
    await p.push({ ".gitlab-ci.yml": CI }, "Add CI", "ctl");
    expect(await call("POST", `/projects/${pid()}/pipeline`, devToken, { ref: "no-such-branch" })).toEqual({
      status: 400,
      json: { message: { base: ["Reference not found"] } },
    });
    expect(await call("POST", `/projects/${pid()}/pipeline`, devToken, {})).toEqual({
      status: 400,
      json: { error: "ref is missing" },
    });
    expect((await call("POST", `/projects/${pid()}/pipeline`, reporterToken, { ref: "ctl" })).status).toBe(
      403,
    );
    expect((await call("POST", `/projects/${pid()}/pipeline`, null, { ref: "ctl" })).status).toBe(404);

    const created = await call("POST", `/projects/${pid()}/pipeline`, devToken, {
      ref: "ctl",
      variables: [
        { key: "TARGET", value: "from-api", variable_type: "env_var" },
        { key: "DEPLOY_CONFIG", value: "region=eu-west", variable_type: "file" },
      ],
    });
    expect(created.status).toBe(201);
    const pipeline = created.json as ApiPipeline;
    expect(pipeline).toMatchObject({ ref: "ctl", source: "api" });
    pipelineId = pipeline.id;

    const vars = await call("GET", `/projects/${pid()}/pipelines/${pipelineId}/variables`, devToken);
    expect(vars).toEqual({
      status: 200,
      json: [
        { key: "TARGET", value: "from-api", variable_type: "env_var" },
        { key: "DEPLOY_CONFIG", value: "region=eu-west", variable_type: "file" },
      ],
    });
    expect(
      (await call("GET", `/projects/${pid()}/pipelines/${pipelineId}/variables`, reporterToken)).status,
    ).toBe(403);
  });

  it("cancels a running sleep job: canceled within seconds, after_script in the log, no container left", async () => {
    const sleeper = (await jobs(pipelineId)).find((j) => j.name === "sleeper");
    expect(sleeper).toBeDefined();
    const id = sleeper!.id;
    await waitJob(id, (s) => s === "running");
    // Wait until the script itself runs (its container exists and printed its first line).
    for (
      let i = 0;
      i < 300 && !(await p.text(`/projects/${pid()}/jobs/${id}/trace`)).includes("sleeper started");
      i++
    )
      await new Promise((r) => setTimeout(r, 200));
    expect(await containersOf(id)).not.toBe("");

    expect((await call("POST", `/projects/${pid()}/jobs/${id}/cancel`, reporterToken)).status).toBe(403);
    // Anonymous callers cannot see a private project at all: GitLab's 404.
    expect((await call("POST", `/projects/${pid()}/jobs/${id}/cancel`, null)).status).toBe(404);
    const started = Date.now();
    const res = await call("POST", `/projects/${pid()}/jobs/${id}/cancel`, devToken);
    expect(res.status).toBe(201);
    expect(["canceling", "canceled"]).toContain((res.json as ApiJob).status);

    const done = await waitJob(id, (s) => s === "canceled", 60);
    const tookMs = Date.now() - started;
    expect(done.status).toBe("canceled");

    // The script stops at once (the runner hears the cancel on Redis); the bound is loose because
    // after_script starts a second container on a loaded machine. Not after `sleep 300`, certainly.
    expect(tookMs).toBeLessThan(15_000);
    const log = await p.text(`/projects/${pid()}/jobs/${id}/trace`);
    expect(log).toContain("sleeper started");
    expect(log).toContain("after-script-ran for sleeper");
    for (let i = 0; i < 50 && (await containersOf(id)) !== ""; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(await containersOf(id)).toBe("");

    // A finished job is not cancelable: 422 as GitLab.
    expect((await call("POST", `/projects/${pid()}/jobs/${id}/cancel`, devToken)).status).toBe(422);
  });

  it("plays a manual job with job_variables_attributes; a second play is 400 Unplayable Job", async () => {
    const deploy = (await jobs(pipelineId)).find((j) => j.name === "deploy")!;
    expect(deploy.status).toBe("manual");
    expect((await call("POST", `/projects/${pid()}/jobs/${deploy.id}/play`, reporterToken, {})).status).toBe(
      403,
    );
    const res = await call("POST", `/projects/${pid()}/jobs/${deploy.id}/play`, devToken, {
      job_variables_attributes: [{ key: "TARGET", value: "production" }],
    });
    expect(res.status).toBe(200);
    expect((res.json as ApiJob).status).toMatch(/^(pending|running)$/);
    await waitJob(deploy.id, (s) => s === "success");
    // The job's own variables win over the pipeline's (`from-api`).
    const trace = await p.text(`/projects/${pid()}/jobs/${deploy.id}/trace`);
    expect(trace).toContain("deploying to production");
    // A `variable_type: file` pipeline variable is a file in the job, holding the value.
    expect(trace).toContain("config file holds region=eu-west");
    expect(await call("POST", `/projects/${pid()}/jobs/${deploy.id}/play`, devToken, {})).toEqual({
      status: 400,
      json: { message: "400 Bad request - Unplayable Job" },
    });
  });

  it("retries a job (a new attempt), cancels the pipeline, retries it; unknown ids are 404", async () => {
    const sleeper = (await jobs(pipelineId)).find((j) => j.name === "sleeper")!;
    expect((await call("POST", `/projects/${pid()}/jobs/${sleeper.id}/retry`, reporterToken)).status).toBe(
      403,
    );
    const retried = await call("POST", `/projects/${pid()}/jobs/${sleeper.id}/retry`, devToken);
    expect(retried.status).toBe(201);
    const attempt = retried.json as ApiJob;
    expect(attempt.id).not.toBe(sleeper.id);
    expect(attempt.name).toBe("sleeper");

    expect(
      (await call("POST", `/projects/${pid()}/pipelines/${pipelineId}/cancel`, reporterToken)).status,
    ).toBe(403);
    const canceled = await call("POST", `/projects/${pid()}/pipelines/${pipelineId}/cancel`, devToken);
    expect(canceled.status).toBe(201);
    await waitJob(attempt.id, (s) => s === "canceled", 60);

    const again = await call("POST", `/projects/${pid()}/pipelines/${pipelineId}/retry`, devToken);
    expect(again.status).toBe(201);
    const latest = (await jobs(pipelineId)).filter((j) => j.name === "sleeper");
    expect(latest.some((j) => !["canceled", "success", "failed"].includes(j.status))).toBe(true);
    await call("POST", `/projects/${pid()}/pipelines/${pipelineId}/cancel`, devToken);

    expect((await call("POST", `/projects/${pid()}/jobs/999999999/cancel`, devToken)).status).toBe(404);
    expect((await call("POST", `/projects/${pid()}/pipelines/999999999/cancel`, devToken)).status).toBe(404);
  });

  it("deletes a pipeline: maintainer+ only, 204, then it is gone", async () => {
    expect((await call("DELETE", `/projects/${pid()}/pipelines/${pipelineId}`, devToken)).status).toBe(403);
    const res = await call("DELETE", `/projects/${pid()}/pipelines/${pipelineId}`, p.token);
    expect(res.status).toBe(204);
    expect((await call("GET", `/projects/${pid()}/pipelines/${pipelineId}`, p.token)).status).toBe(404);
    expect((await call("DELETE", `/projects/${pid()}/pipelines/${pipelineId}`, p.token)).status).toBe(404);
  });
});
