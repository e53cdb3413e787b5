/**
 * What a claimed job learns about its ref's protection: CI_COMMIT_REF_PROTECTED, and the cache key
 * suffix (`-protected` / `-non_protected`) GitLab uses so unprotected branches cannot poison
 * protected branches' caches — `cache:unprotect: true` opts a cache out, and a project with
 * separate caches turned off (`ci_separated_caches`) gets no suffix at all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimJob, createPipeline, updateProjectSettings } from "@minilab/core";
import { ciFixture, type CiFixture } from "./helpers/ci-fixture.ts";

let f: CiFixture;
beforeAll(async () => {
  f = await ciFixture();
  await f.t.db.protectedBranch.create({ data: { projectId: f.project.id, name: "release/*" } });
});
afterAll(async () => {
  await f?.close();
});

const YAML = `
plain: { script: a, cache: { key: deps, paths: [vendor/], fallback_keys: [base] } }
shared: { script: a, cache: [{ key: tools, paths: [t/], unprotect: true }, { key: { files: [a.lock] }, paths: [x/] }] }
`;

async function claimAll(ref: string) {
  const sha = f.commit({ ".gitlab-ci.yml": YAML, "a.lock": ref }, "c", ref);
  const p = await createPipeline({
    db: f.t.db,
    project: await f.t.db.project.findUniqueOrThrow({ where: { id: f.project.id } }),
    ref,
    tag: false,
    sha,
    beforeSha: "0".repeat(40),
    source: "push",
    userId: f.user.id,
  });
  if (!p) throw new Error("expected a pipeline");
  const jobs = await f.t.db.job.findMany({ where: { pipelineId: p.id }, orderBy: { name: "asc" } });
  const specs = await Promise.all(
    jobs.map((j) => claimJob({ db: f.t.db, runnerToken: f.runnerToken, jobId: j.id })),
  );
  return Object.fromEntries(specs.map((s) => [s.name, s]));
}
const varOf = (spec: { variables: { key: string; value: string }[] }, key: string) =>
  spec.variables.filter((v) => v.key === key).at(-1)?.value;

describe("cache keys of protected and unprotected refs", () => {
  it("tells the runner the ref's protection and the cache suffix", async () => {
    const prot = await claimAll("release/1");
    expect(varOf(prot["plain"]!, "CI_COMMIT_REF_PROTECTED")).toBe("true");
    expect(prot["plain"]!.cache).toEqual([expect.objectContaining({ key: "deps", keySuffix: "-protected" })]);
    expect(prot["shared"]!.cache?.map((c) => c.keySuffix)).toEqual(["-non_protected", "-protected"]);

    const feature = await claimAll("feature");
    expect(varOf(feature["plain"]!, "CI_COMMIT_REF_PROTECTED")).toBe("false");
    expect(feature["plain"]!.cache?.[0]?.keySuffix).toBe("-non_protected");
    expect(feature["shared"]!.cache?.map((c) => c.keySuffix)).toEqual(["-non_protected", "-non_protected"]);
  });

  it("sends no suffix once the project turns separate caches off", async () => {
    const project = await f.t.db.project.findUniqueOrThrow({ where: { id: f.project.id } });
    expect(project.ciSeparatedCaches).toBe(true); // GitLab's default
    await updateProjectSettings({ db: f.t.db, actor: f.user, project, ciSeparatedCaches: false });
    const prot = await claimAll("release/2");
    expect(varOf(prot["plain"]!, "CI_COMMIT_REF_PROTECTED")).toBe("true");
    expect(prot["plain"]!.cache?.[0]).not.toHaveProperty("keySuffix");
  });
});
