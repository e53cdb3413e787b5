/**
 * Who may read job logs (GitLab's read_build) on the real stack: a guest of a private project sees
 * the project and its pipelines but gets no job page, raw log, live stream or API job/trace; a
 * reporter gets all of them; anyone may read the logs of a public project.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ACCESS_LEVELS,
  addProjectMember,
  createPersonalAccessToken,
  createSession,
  createUser,
  updateProjectSettings,
} from "@minilab/core";
import { createDb, type Db, type User } from "@minilab/db";
import { testProject, webUrl, type TestProject } from "./support/stack-client.ts";

const ci = `
show:
  script:
    - echo "the job says hello-from-the-log"
`;

interface Reader {
  user: User;
  token: string;
  cookie: string;
}

describe.runIf(webUrl)("job log access", () => {
  let db: Db;
  let t: TestProject;
  let jobId = 0;
  let pipelineId = 0;
  let guest: Reader;
  let reporter: Reader;

  async function reader(name: string, level: number): Promise<Reader> {
    const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const user = await createUser({
      db,
      username: `${name}-${suffix}`,
      email: `${name}-${suffix}@example.com`,
      password: "secret-password",
    });
    await addProjectMember({
      db,
      actor: t.user,
      project: t.project,
      username: user.username,
      accessLevel: level,
    });
    const { token } = await createPersonalAccessToken({
      db,
      userId: user.id,
      name: "r",
      scopes: ["read_api"],
    });
    const session = await createSession({ db, userId: user.id });
    return { user, token, cookie: `minilab_session=${session.token}` };
  }

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    t = await testProject(db, "logacl");
    expect(t.project.visibility).toBe("private");
    const sha = await t.push({ ".gitlab-ci.yml": ci }, "ci");
    const p = await t.finishedPipeline(sha);
    const jobs = await t.api<{ id: number }[]>(`/projects/${t.project.id}/pipelines/${p.id}/jobs`);
    jobId = jobs[0]?.id ?? 0;
    pipelineId = p.id;
    guest = await reader("guest", ACCESS_LEVELS.guest);
    reporter = await reader("reporter", ACCESS_LEVELS.reporter);
  }, 240_000);
  afterAll(async () => {
    await db?.$disconnect();
  });

  const web = (r: Reader | null, p: string) =>
    fetch(new URL(`/${t.repo}${p}`, webUrl), { headers: r ? { cookie: r.cookie } : {}, redirect: "manual" });
  const api = (r: Reader | null, p: string) =>
    fetch(new URL(`/api/v4/projects/${t.project.id}${p}`, webUrl), {
      headers: r ? { "PRIVATE-TOKEN": r.token } : {},
    });
  const routes = () => ({
    page: `/-/jobs/${jobId}`,
    raw: `/-/jobs/${jobId}/raw`,
    stream: `/-/jobs/${jobId}/trace.stream?from=0`,
    apiJob: `/jobs/${jobId}`,
    apiTrace: `/jobs/${jobId}/trace`,
  });

  it("refuses a guest of a private project every job route, while the project stays visible", async () => {
    const r = routes();
    expect((await web(guest, "")).status).toBe(200);
    expect((await web(guest, r.page)).status).toBe(404);
    expect((await web(guest, r.raw)).status).toBe(404);
    expect((await web(guest, r.stream)).status).toBe(404);
    expect((await api(guest, r.apiJob)).status).toBe(403);
    expect((await api(guest, `/pipelines/${pipelineId}/jobs`)).status).toBe(403);
    const trace = await api(guest, r.apiTrace);
    expect(trace.status).toBe(403);
    expect(await trace.text()).not.toContain("hello-from-the-log");
  });

  it("lets a reporter read the job page, raw log, live stream and API trace", async () => {
    const r = routes();
    const page = await web(reporter, r.page);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("hello-from-the-log");
    expect(await (await web(reporter, r.raw)).text()).toContain("hello-from-the-log");
    const stream = await web(reporter, r.stream);
    expect(stream.headers.get("content-type")).toContain("text/event-stream");
    expect(await stream.text()).toContain("hello-from-the-log"); // the job is finished: the stream ends
    expect((await api(reporter, r.apiJob)).status).toBe(200);
    expect((await api(reporter, `/pipelines/${pipelineId}/jobs`)).status).toBe(200);
    expect(await (await api(reporter, r.apiTrace)).text()).toContain("hello-from-the-log");
  });

  it("lets anyone read the logs of a public project", async () => {
    await updateProjectSettings({ db, actor: t.user, project: t.project, visibility: "public" });
    const r = routes();
    expect(await (await web(null, r.raw)).text()).toContain("hello-from-the-log");
    expect(await (await api(null, r.apiTrace)).text()).toContain("hello-from-the-log");
    expect(await (await api(guest, r.apiTrace)).text()).toContain("hello-from-the-log");
  });
});
