/**
 * A stock GitLab API client (@gitbeaker/rest) drives the running minilab (MINILAB_WEB_URL) through a
 * scripted session: create a project, push a .gitlab-ci.yml over HTTP, create a pipeline, wait for a
 * job, read its trace, retry it, play a manual job — plus the repository, user and pagination reads
 * a client script would make. If an endpoint is missing, the failing step names it.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Gitlab } from "@gitbeaker/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPersonalAccessToken, createUser } from "@minilab/core";
import { createDb, type Db } from "@minilab/db";
import { git, webUrl } from "./support/stack-client.ts";
import { until } from "./support/until.ts";

type Client = InstanceType<typeof Gitlab>;

interface JobLike {
  id: number;
  name: string;
  status: string;
}

const CI = `stages: [build, deploy]

build:
  stage: build
  script:
    - echo "hello from $CI_JOB_NAME on $CI_COMMIT_REF_NAME"

deploy:
  stage: deploy
  when: manual
  script:
    - echo "deploying $CI_PROJECT_PATH"
`;

/** Runs one step; a failure says which endpoint a GitLab client could not use. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const cause = e as { cause?: { response?: { status?: number } }; message?: string };
    const status = cause.cause?.response?.status;
    throw new Error(`${what} failed${status ? ` with HTTP ${status}` : ""}: ${cause.message ?? String(e)}`, {
      cause: e,
    });
  }
}

describe.runIf(webUrl)("@gitbeaker/rest against a running minilab", () => {
  let db: Db;
  let api: Client;
  let username: string;
  let token: string;
  let projectId: number;
  let pathWithNamespace: string;

  beforeAll(async () => {
    db = createDb(process.env["DATABASE_URL"] ?? "");
    username = `gb-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const user = await createUser({
      db,
      username,
      email: `${username}@example.com`,
      password: "secret-password",
    });
    ({ token } = await createPersonalAccessToken({
      db,
      userId: user.id,
      name: "gitbeaker",
      scopes: ["api", "write_repository"],
    }));
    api = new Gitlab({ host: webUrl ?? "", token });
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  /** The jobs of a pipeline by name (latest attempt of each). */
  const jobsOf = async (pipelineId: number): Promise<Map<string, JobLike>> => {
    const jobs = (await api.Jobs.all(projectId, { pipelineId })) as unknown as JobLike[];
    return new Map(jobs.map((j) => [j.name, j]));
  };
  const finished = (s: string) => ["success", "failed", "canceled"].includes(s);

  it("runs the scripted session: project, push, pipeline, trace, retry, play", async () => {
    const me = await step("GET /user", () => api.Users.showCurrentUser());
    expect(me.username).toBe(username);

    const project = await step("POST /projects", () =>
      api.Projects.create({ name: "Beaker Demo", visibility: "private" }),
    );
    projectId = project.id;
    pathWithNamespace = project.path_with_namespace as string;
    expect(pathWithNamespace).toBe(`${username}/beaker-demo`);
    const byPath = await step("GET /projects/:path", () => api.Projects.show(pathWithNamespace));
    expect(byPath.id).toBe(projectId);

    // Push the CI file with the stock git client over smart HTTP (a push creates one pipeline).
    const work = await mkdtemp(path.join(tmpdir(), "minilab-gb-"));
    await git(work, "init", "-q", "-b", "main");
    await writeFile(path.join(work, ".gitlab-ci.yml"), CI);
    await writeFile(path.join(work, "README.md"), "# beaker\n");
    await git(work, "add", "-A");
    await git(work, "commit", "-q", "-m", "Add CI");
    const remote = new URL(`/${pathWithNamespace}.git`, webUrl);
    remote.username = username;
    remote.password = token;
    await git(work, "push", "-q", remote.toString(), "HEAD:refs/heads/main");
    const sha = (await git(work, "rev-parse", "HEAD")).trim();

    const pipeline = await step("POST /projects/:id/pipeline", () => api.Pipelines.create(projectId, "main"));
    expect(pipeline).toMatchObject({ ref: "main", sha, source: "api" });

    const build = await until(
      "the build job to finish",
      async () => {
        const j = (await jobsOf(pipeline.id)).get("build");
        return j && finished(j.status) ? j : undefined;
      },
      120_000,
      300,
    );
    expect(build.status).toBe("success");
    const log = await step("GET /projects/:id/jobs/:job_id/trace", () =>
      api.Jobs.showLog(projectId, build.id),
    );
    expect(log).toContain("hello from build on main");

    const retried = (await step("POST /projects/:id/jobs/:job_id/retry", () =>
      api.Jobs.retry(projectId, build.id),
    )) as unknown as JobLike;
    expect(retried.id).not.toBe(build.id);
    expect(retried.name).toBe("build");
    const retriedDone = await until(
      "the retried job to finish",
      async () => {
        const j = (await api.Jobs.show(projectId, retried.id)) as unknown as JobLike;
        return finished(j.status) ? j : undefined;
      },
      120_000,
      300,
    );
    expect(retriedDone.status).toBe("success");
    expect(await api.Jobs.showLog(projectId, retried.id)).toContain("hello from build on main");

    const deploy = (await jobsOf(pipeline.id)).get("deploy");
    expect(deploy?.status).toBe("manual");
    const played = (await step("POST /projects/:id/jobs/:job_id/play", () =>
      api.Jobs.play(projectId, deploy?.id ?? 0),
    )) as unknown as JobLike;
    expect(played.name).toBe("deploy");
    const deployed = await until(
      "the manual job to finish",
      async () => {
        const j = (await jobsOf(pipeline.id)).get("deploy");
        return j && finished(j.status) ? j : undefined;
      },
      120_000,
      300,
    );
    expect(deployed.status).toBe("success");
    expect(await api.Jobs.showLog(projectId, deployed.id)).toContain(`deploying ${pathWithNamespace}`);

    const after = await step("GET /projects/:id/pipelines/:id", () =>
      api.Pipelines.show(projectId, pipeline.id),
    );
    expect(after.status).toBe("success");
  });

  it("reads the repository, pipelines and jobs the way client scripts do", async () => {
    expect(projectId, "the scripted session created the project").toBeDefined();
    const file = await step("GET /repository/files/:path", () =>
      api.RepositoryFiles.show(projectId, ".gitlab-ci.yml", "main"),
    );
    expect(Buffer.from(file.content, "base64").toString()).toBe(CI);
    const raw = await step("GET /repository/files/:path/raw", () =>
      api.RepositoryFiles.showRaw(projectId, "README.md", "main"),
    );
    expect(typeof raw === "string" ? raw : await raw.text()).toBe("# beaker\n");
    const tree = await step("GET /repository/tree", () => api.Repositories.allRepositoryTrees(projectId));
    expect(tree.map((e) => e.path).sort()).toEqual([".gitlab-ci.yml", "README.md"]);
    const branches = await step("GET /repository/branches", () => api.Branches.all(projectId));
    expect(branches.map((b) => b.name)).toEqual(["main"]);
    const commits = await step("GET /repository/commits", () =>
      api.Commits.all(projectId, { refName: "main" }),
    );
    expect(commits[0]?.title).toBe("Add CI");

    // Pagination: gitbeaker follows X-Next-Page / Link across pages.
    const pipelines = await step("GET /projects/:id/pipelines (paginated)", () =>
      api.Pipelines.all(projectId, { perPage: 1, maxPages: 5 }),
    );
    expect(pipelines.length).toBe(2);
    const { data, paginationInfo } = await api.Jobs.all(projectId, {
      perPage: 2,
      maxPages: 1,
      showExpanded: true,
    });
    expect(data).toHaveLength(2);
    expect(paginationInfo.total).toBeGreaterThanOrEqual(4);
    expect(paginationInfo.next).toBe(2);

    const failed = await step("GET /projects/:id/jobs?scope[]", () =>
      api.Jobs.all(projectId, { scope: ["failed"] as unknown as "failed" }),
    );
    expect(failed).toEqual([]);
  });
});
